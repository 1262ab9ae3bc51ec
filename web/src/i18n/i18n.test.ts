import { describe, expect, it } from 'vitest';
import { en } from './en';
import { formatDate, formatMoney, formatNumber } from './format';
import { formatPeriod, makeI18n, translate } from './i18n';
import { nb } from './nb';

// Intl separates groups with a no-break space (U+00A0) in nb-NO; the tests compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatting in nb-NO (the default) and English', () => {
  it('formats money in kroner from the decimal string, keeping øre', () => {
    expect(plain(formatMoney('nb', '1250000.50'))).toBe('1 250 000,50 kr');
    expect(plain(formatMoney('nb', '1250000.00'))).toBe('1 250 000 kr');
    expect(plain(formatMoney('en', '1250000.50'))).toBe('NOK 1,250,000.50');
  });

  it('keeps every digit of amounts beyond a float', () => {
    expect(plain(formatMoney('nb', '12345678901234567890.12'))).toBe('12 345 678 901 234 567 890,12 kr');
  });

  it('formats numbers and dates in nb-NO form', () => {
    expect(plain(formatNumber('nb', 12345))).toBe('12 345');
    expect(formatDate('nb', '2013-04-01')).toBe('1. apr. 2013');
    expect(formatDate('en', '2013-04-01')).toBe('1 Apr 2013');
  });

  it('names the plan periods in words', () => {
    expect(formatPeriod('nb', '2012')).toBe('2012');
    expect(formatPeriod('nb', '2012-H1')).toBe('1. halvår 2012');
    expect(formatPeriod('nb', '2012-Q3')).toBe('3. kvartal 2012');
    expect(formatPeriod('nb', '2013-04')).toBe('april 2013');
    expect(formatPeriod('en', '2012-Q3')).toBe('Q3 2012');
  });

  it('fills placeholders and formats numbers among them', () => {
    expect(plain(translate('nb', 'plan.measuresHeld', { held: 1200, declared: 35 }))).toBe('1 200 av 35 tiltak er registrert');
    expect(makeI18n('en').t('plan.statusCount', { count: 3 })).toBe('3 measures');
  });

  it('has every message in both languages, none empty', () => {
    for (const [section, messages] of Object.entries(nb)) {
      const english = en[section as keyof typeof en] as Record<string, string>;
      for (const [key, text] of Object.entries(messages)) {
        expect(text, `${section}.${key}`).not.toBe('');
        expect(english[key], `${section}.${key} in English`).toBeTruthy();
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(placeholders(english[key] as string), `${section}.${key} placeholders`).toEqual(placeholders(text));
      }
    }
  });
});
