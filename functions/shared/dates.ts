const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day in "YYYY-MM-DD" form. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}
