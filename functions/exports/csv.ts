import { formatMoney } from '../shared/money.js';

/**
 * CSV as funders open it: RFC 4180 by default (comma, CRLF, quotes doubled, a header row), or
 * `excel-nb` for a spreadsheet in Norwegian settings (semicolon, decimal comma, a UTF-8 byte order
 * mark so that æøå survive, CRLF).
 */
export type Dialect = 'rfc4180' | 'excel-nb';
export const dialects: readonly Dialect[] = ['rfc4180', 'excel-nb'];

/** One cell: text (neutralised against formulas), or a number the dialect writes with its decimal mark. */
export type Cell =
  | { readonly text: string | null }
  | { readonly money: bigint | null }
  | { readonly int: number | null }
  | { readonly fraction: number | null };

export const text = (value: string | null | undefined): Cell => ({ text: value ?? null });
export const money = (value: bigint | null | undefined): Cell => ({ money: value ?? null });
export const int = (value: number | null | undefined): Cell => ({ int: value ?? null });
export const fraction = (value: number | null | undefined): Cell => ({ fraction: value ?? null });

/**
 * A text cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP's CSV-injection advice says, so it is shown, never run.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Writes rows in a dialect: `header()` once, then `row()` per record; each returns the text to send. */
export class CsvWriter {
  private readonly separator: string;
  private readonly decimal: string;

  constructor(readonly dialect: Dialect) {
    this.separator = dialect === 'excel-nb' ? ';' : ',';
    this.decimal = dialect === 'excel-nb' ? ',' : '.';
  }

  /** The byte order mark (excel-nb only) and the header row. */
  header(names: readonly string[]): string {
    return `${this.dialect === 'excel-nb' ? '\uFEFF' : ''}${this.line(names.map((n) => this.quote(neutralise(n))))}`;
  }

  row(cells: readonly Cell[]): string {
    return this.line(cells.map((c) => this.cell(c)));
  }

  private line(fields: readonly string[]): string {
    return `${fields.join(this.separator)}\r\n`;
  }

  private cell(c: Cell): string {
    if ('text' in c) return c.text === null ? '' : this.quote(neutralise(c.text));
    if ('money' in c) return c.money === null ? '' : formatMoney(c.money).replace('.', this.decimal);
    if ('int' in c) return c.int === null ? '' : String(c.int);
    return c.fraction === null ? '' : String(c.fraction).replace('.', this.decimal);
  }

  /** Quoted when it holds the separator, a quote, CR or LF (RFC 4180 §2.6–2.7). */
  private quote(value: string): string {
    return /[",;\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }
}
