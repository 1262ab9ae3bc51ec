import { BadUserInputError } from './errors.js';

/**
 * Money in NOK as a decimal string with at most two decimals, kept as integer øre (bigint) so that
 * no amount is ever a float. DynamoDB numbers hold 38 significant digits; amounts are capped far
 * below that (10^30 øre) so that any sum of them is still stored exactly.
 */
export const MAX_ORE = 10n ** 30n;
const MONEY = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

/** Parses "1250000.00" into øre; anything else (a float, a third decimal, an exponent, a sign) is refused. */
export function parseMoney(value: unknown, field: string): bigint {
  if (typeof value !== 'string') throw new BadUserInputError(`${field} must be a decimal string such as "1250000.00".`, field);
  const m = MONEY.exec(value);
  if (!m)
    throw new BadUserInputError(`${field} must be a non-negative amount in NOK with at most two decimals, such as "1250000.00".`, field);
  const ore = BigInt(m[1] ?? '0') * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (ore >= MAX_ORE) throw new BadUserInputError(`${field} is larger than the platform can hold exactly.`, field);
  return ore;
}

/** Formats øre as "1250000.00". */
export function formatMoney(ore: bigint | number | string): string {
  const value = BigInt(ore);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
