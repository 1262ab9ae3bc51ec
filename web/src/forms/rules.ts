import type { MessageKey, Params } from '../i18n/i18n';
import { limits } from '../limits';

/**
 * Client-side checks that mirror the server's rules (functions/*: the resolvers and shared/validate,
 * shared/money), so most mistakes are caught before a request; the server stays the judge, and its
 * answer is shown at the field it names.
 */
export interface Problem {
  key: MessageKey;
  params?: Params;
}

export type Errors<F extends string> = Partial<Record<F, Problem | string>>;

/**
 * The server's limits: the lengths and sizes as the API declares them (schema/limits.json, generated into the
 * client package), the dates as the resolvers check them.
 */
export const LIMITS = {
  measureTitle: limits.measureTitle,
  measureText: limits.measureText,
  shelterName: limits.shelterName,
  municipality: limits.shelterMunicipality,
  address: limits.shelterAddress,
  maxCapacity: limits.shelterCapacityMax,
  earliestReport: '2000-01-01',
  planStartYear: 2011,
  planEndYear: 2014,
} as const;

export function required(value: string): Problem | null {
  return value.trim().length === 0 ? { key: 'validation.required' } : null;
}

/** Trimmed length, as the server counts it. */
export function maxLength(value: string, max: number): Problem | null {
  const length = value.trim().length;
  return length > max ? { key: 'validation.maxLength', params: { max, length } } : null;
}

export function requiredText(value: string, max: number): Problem | null {
  return required(value) ?? maxLength(value, max);
}

/** A whole number in [min, max] from what was typed; null when it is one. */
export function intIn(value: string, min: number, max: number): Problem | null {
  if (!/^-?\d+$/.test(value.trim())) return { key: 'validation.integer' };
  const n = Number(value.trim());
  return n < min || n > max ? { key: 'validation.range', params: { min, max } } : null;
}

/**
 * Kroner as typed by a Norwegian reader ("1 250 000,50", "1250000.5") into the API's Money form
 * ("1250000.50"); null when it is not an amount with at most two decimals.
 */
export function parseMoney(value: string): string | null {
  const compact = value
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^kr/i, '')
    .replace(/kr$/i, '')
    .replace(',', '.');
  const m = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/.exec(compact);
  if (!m) return null;
  // The server holds amounts below 10^28 kroner exactly.
  if ((m[1] ?? '').length > 28) return null;
  return `${m[1]}.${(m[2] ?? '').padEnd(2, '0')}`;
}

export function money(value: string, options: { positive?: boolean } = {}): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  const parsed = parseMoney(value);
  if (!parsed) return { key: 'validation.money' };
  if (options.positive && /^0\.00$/.test(parsed)) return { key: 'validation.moneyPositive' };
  return null;
}

const PERIOD = /^(\d{4})(?:-(H[12]|Q[1-4]))?$/;

/** "2012", "2012-H1" or "2012-Q3", inside the plan's years. */
export function period(value: string, start: number = LIMITS.planStartYear, end: number = LIMITS.planEndYear): Problem | null {
  const m = PERIOD.exec(value.trim());
  if (!m) return { key: 'validation.period' };
  const year = Number(m[1]);
  return year < start || year > end ? { key: 'validation.periodRange', params: { start: String(start), end: String(end) } } : null;
}

/** Today in Oslo, where the operators report (as the server judges "the future"). */
export function todayInOslo(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(now);
}

/** Whether a text is a real calendar day written YYYY-MM-DD. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar day, not after today in Oslo and not before `earliest`. */
export function pastDate(value: string, options: { earliest?: string; now?: Date } = {}): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  if (!isDate(value)) return { key: 'validation.date' };
  if (value > todayInOslo(options.now)) return { key: 'validation.futureDate' };
  if (options.earliest && value < options.earliest) return { key: 'validation.dateTooEarly', params: { date: options.earliest } };
  return null;
}

/** A day of payment inside the budget line's fiscal year. */
export function dateInYear(value: string, year: number): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  if (!isDate(value)) return { key: 'validation.date' };
  return value.startsWith(`${year}-`) ? null : { key: 'validation.dateInYear', params: { year: String(year) } };
}

/** A day a budget revision was decided: inside or before the line's fiscal year. */
export function dateUpToYear(value: string, year: number): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  if (!isDate(value)) return { key: 'validation.date' };
  return value <= `${year}-12-31` ? null : { key: 'validation.dateAfterYear', params: { year: String(year) } };
}

/** Capacity and occupancy as the server takes them: whole numbers, 0 ≤ occupied ≤ capacity. */
export function capacityFigures(capacity: string, occupied: string): { capacity?: Problem; occupied?: Problem } {
  const c = required(capacity) ?? intIn(capacity, 0, LIMITS.maxCapacity);
  const o = required(occupied) ?? intIn(occupied, 0, LIMITS.maxCapacity);
  if (c || o) return { ...(c ? { capacity: c } : {}), ...(o ? { occupied: o } : {}) };
  return Number(occupied) > Number(capacity) ? { occupied: { key: 'validation.occupiedOverCapacity' } } : {};
}

export function atLeastOne(values: readonly unknown[]): Problem | null {
  return values.length === 0 ? { key: 'validation.atLeastOne' } : null;
}

/** Drops the fields without a problem; an empty result means the form may be sent. */
export function collect<F extends string>(checks: Record<F, Problem | null | undefined>): Errors<F> {
  const out: Errors<F> = {};
  for (const [field, problem] of Object.entries(checks) as [F, Problem | null | undefined][]) if (problem) out[field] = problem;
  return out;
}

export const hasErrors = (errors: Errors<string>) => Object.keys(errors).length > 0;
