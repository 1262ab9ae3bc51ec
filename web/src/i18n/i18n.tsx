import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en';
import * as f from './format';
import { type Messages, nb } from './nb';

export type { Locale } from './format';

type Locale = f.Locale;

const catalogues: Record<Locale, Messages> = { nb, en };
const STORAGE_KEY = 'samordning.locale';

/** "section.key" for every message of the catalogue. */
export type MessageKey = { [S in keyof Messages]: `${S & string}.${keyof Messages[S] & string}` }[keyof Messages];
export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; numbers are formatted for the locale. A missing parameter stays visible. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const [section, name] = key.split('.') as [keyof Messages, string];
  const template = (catalogues[locale][section] as Record<string, string>)[name] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, p: string) => {
    const value = params[p];
    if (value === undefined) return whole;
    return typeof value === 'number' ? f.formatNumber(locale, value) : value;
  });
}

/** "2012" → "2012"; "2012-H1" → "1. halvår 2012"; "2012-Q3" → "3. kvartal 2012"; "2013-04" → "april 2013". */
export function formatPeriod(locale: Locale, period: string): string {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(period);
  if (!m) return period;
  const year = m[1] as string;
  const part = m[2];
  if (!part) return translate(locale, 'period.year', { year });
  if (part.startsWith('H')) return translate(locale, 'period.half', { year, half: part.slice(1) });
  if (part.startsWith('Q')) return translate(locale, 'period.quarter', { year, quarter: part.slice(1) });
  return f.formatMonth(locale, period);
}

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, params?: Params) => string;
  number: (value: number) => string;
  percent: (ratio: number) => string;
  money: (amount: string) => string;
  date: (isoDate: string) => string;
  dateTime: (iso: string) => string;
  period: (label: string) => string;
}

export function makeI18n(locale: Locale, setLocale: (locale: Locale) => void = () => {}): I18n {
  return {
    locale,
    setLocale,
    t: (key, params) => translate(locale, key, params),
    number: (value) => f.formatNumber(locale, value),
    percent: (ratio) => f.formatPercent(locale, ratio),
    money: (amount) => f.formatMoney(locale, amount),
    date: (isoDate) => f.formatDate(locale, isoDate),
    dateTime: (iso) => f.formatDateTime(locale, iso),
    period: (label) => formatPeriod(locale, label),
  };
}

const I18nContext = createContext<I18n>(makeI18n('nb'));

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'nb';
  } catch {
    return 'nb';
  }
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(fixed ?? initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this page.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale === 'nb' ? 'nb' : 'en';
  }, [locale]);
  const value = useMemo(() => makeI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
