/** Money strings ("1250000.00") as integer øre and back, so sums and differences stay exact. */
export function toOre(amount: string): bigint {
  const [kr = '0', dec = ''] = amount.split('.');
  return BigInt(kr || '0') * 100n + BigInt(dec.padEnd(2, '0').slice(0, 2));
}

export function fromOre(ore: bigint): string {
  const sign = ore < 0n ? '-' : '';
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export const sumMoney = (amounts: readonly string[]) => fromOre(amounts.reduce((total, a) => total + toOre(a), 0n));
export const subtractMoney = (a: string, b: string) => fromOre(toOre(a) - toOre(b));

/** A budget line's kapittel/post as written: "440/01". */
export const lineCode = (line: { chapter: number; post: number }) => `${line.chapter}/${String(line.post).padStart(2, '0')}`;
