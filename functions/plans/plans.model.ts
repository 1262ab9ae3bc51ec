import { roleOf } from '../shared/policy.js';
import type { Recorded } from '../shared/provenance.js';
import type { ResponsibilityRole } from '../shared/responsibility.js';

/**
 * Records of the measures table (plans, goals, measures, status reports) and the rules of their
 * values. Their stored shape (keys, index keys, items) belongs to the entities in ./entities/.
 */
export type MeasureStatus = 'NOT_REPORTED' | 'PLANNED' | 'IN_PROGRESS' | 'COMPLETED' | 'DELAYED' | 'DISCONTINUED';
export const measureStatuses: readonly MeasureStatus[] = ['NOT_REPORTED', 'PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED', 'DISCONTINUED'];
/** The state before the first report: the platform claims nothing about the measure's progress. */
export const NOT_REPORTED: MeasureStatus = 'NOT_REPORTED';
export { type ResponsibilityRole, responsibilityRoles } from '../shared/responsibility.js';

/** An agency's role on a measure, as the responsibilities table keeps it. */
export interface ResponsibilityRecord extends Recorded {
  readonly measureId: string;
  readonly agencyId: string;
  readonly role: ResponsibilityRole;
  /** The measure's plan; absent on items stored before the reporting calendar (the migration adds it). */
  readonly planId?: string;
  /** The day the role was assigned; absent: held from the plan's start. */
  readonly assignedOn?: string;
  /** The periods whose first report by this agency counted as submitted (plan progress), kept in the reports' transactions. */
  readonly reported?: readonly string[];
}

/** Where a seeded fact comes from; written records carry none. */
export interface Source {
  readonly source?: string;
}

export interface GoalRecord {
  readonly planId: string;
  readonly number: number;
  readonly title: string;
}

export interface PlanRecord extends Source, Recorded {
  readonly id: string;
  readonly title: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly measureCount: number;
  readonly coordinatorId: string;
  readonly goals: readonly { readonly number: number; readonly title: string }[];
  /** Increases by one with every change; absent on plans stored before plans could change. */
  readonly version?: number;
  /** The reporting schedule set by the coordinator; absent: the default (calendar.ts). */
  readonly reportingPeriods?: readonly { readonly period: string; readonly dueDate: string }[];
}

/** Exact counts of a plan's measures per filter, moved in the same transaction as each measure write. */
export interface PlanStatsRecord {
  readonly counts: Readonly<Record<string, number>>;
}

export interface MeasureRecord extends Source, Recorded {
  readonly id: string;
  readonly planId: string;
  readonly number: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly status: MeasureStatus;
  readonly version: number;
  readonly updatedAt: string;
  readonly goalNumbers: readonly number[];
  /** The agency holding LEAD; the condition on this attribute keeps LEAD unique. */
  readonly leadAgencyId?: string;
  /** Every responsible agency and its role, kept in the same transaction as the responsibility items. */
  readonly responsibilities: Readonly<Record<string, ResponsibilityRole>>;
  /** The measure of an earlier plan that this one continues, so a plan's lineage can be read. */
  readonly continues?: string;
  /**
   * The day each responsible agency was assigned (Oslo time), for the reporting duties it owes from
   * that period on; an agency absent here holds its role from the plan's start (the plan's own text
   * named it, or it was assigned before the calendar existed).
   */
  readonly assignedOn?: Readonly<Record<string, string>>;
}

export interface StatusReportRecord extends Recorded {
  readonly id: string;
  readonly measureId: string;
  readonly planId: string;
  readonly period: string;
  readonly status: MeasureStatus;
  readonly progressPercent: number;
  readonly summary: string;
  readonly agencyId: string;
  readonly reportedAt: string;
}

export interface MilestoneRecord {
  /** `<measureId>#M#<n>`: the measure is part of the id, so a milestone is found by it alone. */
  readonly id: string;
  readonly measureId: string;
  readonly planId: string;
  readonly title: string;
  readonly dueDate: string;
  readonly doneOn: string | null;
  /** The Oslo day it was added; it cannot have been done before. */
  readonly addedOn: string;
  readonly version: number;
  readonly updatedAt: string;
}

export type IndicatorDirection = 'INCREASE' | 'DECREASE';
export const indicatorDirections: readonly IndicatorDirection[] = ['INCREASE', 'DECREASE'];

export interface IndicatorRecord {
  /** `<measureId>#I#<n>`. */
  readonly id: string;
  readonly measureId: string;
  readonly planId: string;
  readonly name: string;
  readonly unit: string;
  readonly baseline: number;
  readonly target: number;
  readonly direction: IndicatorDirection;
  /** One value per period, in period order. */
  readonly values: readonly { readonly period: string; readonly value: number; readonly comment: string | null }[];
  readonly version: number;
  readonly createdAt: string;
}

/** Counter names in the plan's stats item, one per filter `measures` accepts. */
export const countKeys = (goalNumbers: readonly number[], status: MeasureStatus): string[] => [
  'all',
  `S_${status}`,
  ...goalNumbers.flatMap((g) => [`G${g}`, `G${g}_S_${status}`]),
];
export const countKeyOf = (goalNumber: number | null | undefined, status: MeasureStatus | null | undefined): string =>
  [goalNumber != null ? `G${goalNumber}` : '', status ? `S_${status}` : ''].filter(Boolean).join('_') || 'all';

/** Measures sort by number, unnumbered ones last, then by id. */
export const measureOrderKey = (number: number | null, id: string) => `${number === null ? 'U' : `N${pad(number, 5)}`}#${id}`;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A reporting period: a year, a half or a quarter. */
export interface Period {
  readonly label: string;
  readonly start: string;
  readonly end: string;
}

const PERIOD = /^(\d{4})(?:-(H[12]|Q[1-4]))?$/;

/** Parses "2012", "2012-H1" or "2012-Q3"; null for anything else. */
export function parsePeriod(label: string): Period | null {
  const m = PERIOD.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const part = m[2];
  const [firstMonth, lastMonth] = !part
    ? [1, 12]
    : part.startsWith('H')
      ? [part === 'H1' ? 1 : 7, part === 'H1' ? 6 : 12]
      : [(Number(part[1]) - 1) * 3 + 1, Number(part[1]) * 3];
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return {
    label,
    start: `${year}-${String(firstMonth).padStart(2, '0')}-01`,
    end: `${year}-${String(lastMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`,
  };
}

/** Whether an agency's role on a measure, as read, owes a report for a period. */
export function owes(measure: Pick<MeasureRecord, 'responsibilities' | 'assignedOn'>, agencyId: string, periodLabel: string): boolean {
  if (roleOf(measure.responsibilities, agencyId) === undefined) return false;
  const period = parsePeriod(periodLabel);
  if (!period) return false;
  const assigned = measure.assignedOn && Object.hasOwn(measure.assignedOn, agencyId) ? measure.assignedOn[agencyId] : undefined;
  return assigned === undefined || assigned <= period.end;
}
