/**
 * Numbers, money, dates and periods in the reader's locale (nb-NO by default), through Intl only.
 * Money arrives as the API's decimal string ("1250000.00") and is formatted from the string itself,
 * so no amount passes through a float.
 */
export type Locale = 'nb' | 'en';

export const intlLocale = (locale: Locale) => (locale === 'nb' ? 'nb-NO' : 'en-GB');

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, format);
  }
  return format;
}

export function formatNumber(locale: Locale, value: number): string {
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export function formatPercent(locale: Locale, ratio: number): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** "1250000.00" → "1 250 000,00 kr" (nb) or "NOK 1,250,000.00" (en). Whole amounts drop the øre. */
export function formatMoney(locale: Locale, amount: string): string {
  const whole = /\.0*$/.test(amount) || !amount.includes('.');
  const format = numberFormat(locale, {
    style: 'currency',
    currency: 'NOK',
    currencyDisplay: locale === 'nb' ? 'symbol' : 'code',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  });
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3), so large amounts keep every digit.
  return format.format(amount as unknown as number);
}

/** Kroner as a number for charts only (a chart needs no øre precision); tables use formatMoney. */
export const moneyToNumber = (amount: string) => Number(amount);

/** "2013-04-01" → "1. apr. 2013" (nb). Dates are calendar days: formatted in UTC so no zone shifts them. */
export function formatDate(locale: Locale, isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** An instant in Oslo time: "1. apr. 2013, 14:05". */
export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso));
}

/** "2013-04" → "april 2013". */
export function formatMonth(locale: Locale, period: string): string {
  const date = new Date(`${period}-01T00:00:00Z`);
  return new Intl.DateTimeFormat(intlLocale(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
