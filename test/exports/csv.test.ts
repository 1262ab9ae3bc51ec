import { describe, expect, it } from 'vitest';
import { CsvWriter, fraction, int, money, neutralise, text } from '../../functions/exports/csv.js';

describe('CSV dialects', () => {
  it('writes RFC 4180: commas, CRLF, quotes doubled, a point for decimals', () => {
    const w = new CsvWriter('rfc4180');
    expect(w.header(['a', 'b'])).toBe('a,b\r\n');
    expect(w.row([text('Kap. 1, post "70"'), money(123456n), int(2012), fraction(0.25), text(null)])).toBe(
      '"Kap. 1, post ""70""",1234.56,2012,0.25,\r\n',
    );
    expect(w.row([text('to\nlinjer')])).toBe('"to\nlinjer"\r\n');
  });

  it('writes excel-nb: a byte order mark, semicolons, a decimal comma', () => {
    const w = new CsvWriter('excel-nb');
    expect(w.header(['a', 'b'])).toBe('\uFEFFa;b\r\n');
    expect(w.row([money(123456n), fraction(0.5), text('Bø; Telemark'), text('1,5')])).toBe('1234,56;0,5;"Bø; Telemark";"1,5"\r\n');
  });

  it('neutralises a cell a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+2', '+47 22', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(bad)).toBe(`'${bad}`);
    for (const fine of ['Tilskudd', '1=1', " '=x"]) expect(neutralise(fine)).toBe(fine);
    expect(new CsvWriter('rfc4180').row([text('=HYPERLINK("http://x")')])).toBe('"\'=HYPERLINK(""http://x"")"\r\n');
  });
});
