import { describe, expect, it } from 'vitest';
import { capacityFigures, dateInYear, intIn, maxLength, money, parseMoney, pastDate, period, requiredText } from './rules';

describe('client-side checks mirror the server', () => {
  it('reads kroner as Norwegians type them into the API form', () => {
    expect(parseMoney('1 250 000,5')).toBe('1250000.50');
    expect(parseMoney('1250000.50')).toBe('1250000.50');
    expect(parseMoney('12 kr')).toBe('12.00');
    expect(parseMoney('1,234')).toBeNull(); // a third decimal
    expect(parseMoney('-5')).toBeNull(); // a sign
    expect(parseMoney('1e6')).toBeNull(); // an exponent
    expect(parseMoney('0012')).toBeNull();
    expect(money('0', { positive: true })?.key).toBe('validation.moneyPositive');
    expect(money('')?.key).toBe('validation.required');
  });

  it('limits text as the server counts it (trimmed)', () => {
    expect(requiredText('   ', 300)?.key).toBe('validation.required');
    expect(maxLength(`${'a'.repeat(300)}   `, 300)).toBeNull();
    expect(maxLength('a'.repeat(301), 300)).toEqual({ key: 'validation.maxLength', params: { max: 300, length: 301 } });
  });

  it('takes the reporting periods inside 2011–2014', () => {
    for (const ok of ['2011', '2012-H1', '2012-H2', '2013-Q3', '2014-Q4']) expect(period(ok), ok).toBeNull();
    expect(period('2012-Q5')?.key).toBe('validation.period');
    expect(period('2012-h1')?.key).toBe('validation.period');
    expect(period('2015')?.key).toBe('validation.periodRange');
    expect(period('2010-H2')?.key).toBe('validation.periodRange');
  });

  it('refuses a future day, judged in Oslo', () => {
    // 23:30 UTC on 31 December is already New Year's Day in Oslo.
    const now = new Date('2013-12-31T23:30:00Z');
    expect(pastDate('2014-01-01', { now })).toBeNull();
    expect(pastDate('2014-01-02', { now })?.key).toBe('validation.futureDate');
    expect(pastDate('2013-02-30', { now })?.key).toBe('validation.date');
    expect(pastDate('1999-12-31', { now, earliest: '2000-01-01' })?.key).toBe('validation.dateTooEarly');
  });

  it('keeps occupancy within capacity, both whole numbers', () => {
    expect(capacityFigures('10', '10')).toEqual({});
    expect(capacityFigures('10', '11').occupied?.key).toBe('validation.occupiedOverCapacity');
    expect(capacityFigures('ten', '1').capacity?.key).toBe('validation.integer');
    expect(capacityFigures('', '').capacity?.key).toBe('validation.required');
    expect(capacityFigures('10', '-1').occupied?.key).toBe('validation.range');
  });

  it('checks numbers and payment days', () => {
    expect(intIn('101', 0, 100)?.key).toBe('validation.range');
    expect(intIn('4.5', 0, 100)?.key).toBe('validation.integer');
    expect(dateInYear('2013-06-01', 2013)).toBeNull();
    expect(dateInYear('2014-01-01', 2013)?.key).toBe('validation.dateInYear');
  });
});
