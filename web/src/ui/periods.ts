/** The first day of a period label ("2013", "2013-H2", "2013-Q2", "2013-04") as a UTC date, for a time axis. */
export function periodStart(label: string): Date {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(label);
  if (!m) return new Date(Number.NaN);
  const year = Number(m[1]);
  const part = m[2];
  const month = !part
    ? 0
    : part.startsWith('H')
      ? part === 'H1'
        ? 0
        : 6
      : part.startsWith('Q')
        ? (Number(part[1]) - 1) * 3
        : Number(part) - 1;
  return new Date(Date.UTC(year, month, 1));
}
