/**
 * The digests of reporting duties: one per agency (its duties due within the window and overdue)
 * and one for the coordinator (every overdue duty), in Norwegian bokmål with English below.
 */

import type { DutyDigestRow } from '../agencies/duties.js';

/** A duty as the digest needs it: what `openDutiesForDigest` answers. */
export type { DutyDigestRow };

/** The duties still open on a day: due within `withinDays` after it, or overdue. */
export type LoadDuties = (asOf: string, withinDays: number) => Promise<DutyDigestRow[]>;

export interface Digest {
  readonly subject: string;
  readonly text: string;
}

const nbDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const nbRole = { LEAD: 'ansvarlig', SHARED: 'medansvarlig' } as const;
const enRole = { LEAD: 'lead', SHARED: 'shared' } as const;

const byDue = (a: DutyDigestRow, b: DutyDigestRow) =>
  a.dueDate.localeCompare(b.dueDate) ||
  a.measureCode.localeCompare(b.measureCode, 'nb', { numeric: true }) ||
  a.agencyId.localeCompare(b.agencyId);

function nbLine(d: DutyDigestRow, withAgency: string | null): string {
  const late = d.status === 'OVERDUE' ? ` – ${d.daysOverdue} ${d.daysOverdue === 1 ? 'dag' : 'dager'} over fristen` : '';
  const who = withAgency ? `${withAgency}, ` : '';
  return `- Tiltak ${d.measureCode} «${d.measureTitle}» (${who}${nbRole[d.role]}): periode ${d.period}, frist ${nbDate(d.dueDate)}${late}`;
}

function enLine(d: DutyDigestRow, withAgency: string | null): string {
  const late = d.status === 'OVERDUE' ? ` – ${d.daysOverdue} ${d.daysOverdue === 1 ? 'day' : 'days'} overdue` : '';
  const who = withAgency ? `${withAgency}, ` : '';
  return `- Measure ${d.measureCode} "${d.measureTitle}" (${who}${enRole[d.role]}): period ${d.period}, due ${d.dueDate}${late}`;
}

/** An agency's digest of its open duties; null when it has none. */
export function agencyDigest(agencyName: string, rows: readonly DutyDigestRow[], asOf: string, withinDays: number): Digest | null {
  if (rows.length === 0) return null;
  const overdue = rows.filter((r) => r.status === 'OVERDUE').sort(byDue);
  const due = rows.filter((r) => r.status === 'DUE').sort(byDue);
  const nb = [
    `Hei, ${agencyName}.`,
    '',
    `Dette er den daglige oversikten over statusrapporter ${agencyName} skal levere i Samordning, per ${nbDate(asOf)}.`,
    '',
    ...(overdue.length > 0 ? [`Over fristen (${overdue.length}):`, ...overdue.map((d) => nbLine(d, null)), ''] : []),
    ...(due.length > 0 ? [`Frist innen ${withinDays} dager (${due.length}):`, ...due.map((d) => nbLine(d, null)), ''] : []),
    'Rapporten leveres på tiltakets side i Samordning. Denne e-posten sendes én gang per dag så lenge noe står åpent.',
  ];
  const en = [
    `Hello, ${agencyName}.`,
    '',
    `This is the daily overview of the status reports ${agencyName} owes in Samordning, as of ${asOf}.`,
    '',
    ...(overdue.length > 0 ? [`Overdue (${overdue.length}):`, ...overdue.map((d) => enLine(d, null)), ''] : []),
    ...(due.length > 0 ? [`Due within ${withinDays} days (${due.length}):`, ...due.map((d) => enLine(d, null)), ''] : []),
    "Reports are submitted on the measure's page in Samordning. This mail is sent once a day while anything is open.",
  ];
  return {
    subject: `Samordning: ${overdue.length} over fristen, ${due.length} med frist snart / ${overdue.length} overdue, ${due.length} due soon`,
    text: `${nb.join('\n')}\n\n-- English --\n\n${en.join('\n')}\n`,
  };
}

/** The coordinator's digest of every overdue duty, by agency; null when none is overdue. */
export function coordinatorDigest(rows: readonly DutyDigestRow[], agencyNames: ReadonlyMap<string, string>, asOf: string): Digest | null {
  const overdue = rows.filter((r) => r.status === 'OVERDUE').sort(byDue);
  if (overdue.length === 0) return null;
  const name = (id: string) => agencyNames.get(id) ?? id;
  const agencies = new Set(overdue.map((r) => r.agencyId)).size;
  const nb = [
    `Per ${nbDate(asOf)} er ${overdue.length} statusrapporter fra ${agencies} virksomheter over fristen:`,
    '',
    ...overdue.map((d) => nbLine(d, name(d.agencyId))),
  ];
  const en = [
    `As of ${asOf}, ${overdue.length} status reports from ${agencies} agencies are overdue:`,
    '',
    ...overdue.map((d) => enLine(d, name(d.agencyId))),
  ];
  return {
    subject: `Samordning: ${overdue.length} rapporter over fristen / ${overdue.length} reports overdue`,
    text: `${nb.join('\n')}\n\n-- English --\n\n${en.join('\n')}\n`,
  };
}
