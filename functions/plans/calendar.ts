import { isIsoDate } from '../shared/dates.js';
import { BadUserInputError } from '../shared/errors.js';
import { type Period, type PlanRecord, parsePeriod } from './plans.model.js';

/**
 * The reporting calendar: a plan's periods and due dates, and the day everything is judged against.
 * Dates are ISO days (YYYY-MM-DD), so comparing them as strings compares them as days.
 */

/** A period of a plan's schedule and the day its reports are due. */
export interface ReportingPeriodRecord {
  readonly period: string;
  readonly dueDate: string;
}

/** How many periods a schedule may hold (quarters over 25 years). */
export const SCHEDULE_MAX = 100;
/** A milestone not done is DUE from this many days before its due date (today included). */
export const MILESTONE_DUE_WITHIN_DAYS = 14;
/** The time zone duties and milestones are judged in: a report due on the 15th is on time until midnight in Oslo. */
export const TIME_ZONE = 'Europe/Oslo';

/**
 * en-CA formats a date as YYYY-MM-DD. Made once: building a DateTimeFormat loads its locale and time zone data
 * (about a millisecond), and `Agency.name` asks for today once per agency in a response.
 */
const osloDay = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Oslo, as YYYY-MM-DD. */
export function osloToday(now: Date = new Date()): string {
  return osloDay.format(now);
}

/** The Oslo day of an instant (an ISO timestamp). */
export const osloDateOf = (instant: string) => osloToday(new Date(instant));

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The day `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A Date input that is a real day (the scalar checks the form; this the calendar), or BAD_USER_INPUT naming the field. */
export function isoDay(value: string, field: string): string {
  if (!isIsoDate(value)) {
    throw new BadUserInputError(`${field} must be a day, YYYY-MM-DD.`, field);
  }
  return value;
}

/** The default schedule: the plan's years, each due 15 February of the following year. */
export function defaultSchedule(plan: Pick<PlanRecord, 'periodStart' | 'periodEnd'>): ReportingPeriodRecord[] {
  const first = Number(plan.periodStart.slice(0, 4));
  const last = Number(plan.periodEnd.slice(0, 4));
  const periods: ReportingPeriodRecord[] = [];
  for (let year = first; year <= last && periods.length < SCHEDULE_MAX; year++) {
    periods.push({ period: String(year), dueDate: `${year + 1}-02-15` });
  }
  return periods;
}

/** A plan's schedule: the one set, else the default. */
export function scheduleOf(plan: Pick<PlanRecord, 'periodStart' | 'periodEnd' | 'reportingPeriods'>): readonly ReportingPeriodRecord[] {
  return plan.reportingPeriods ?? defaultSchedule(plan);
}

/** A period of the plan's schedule with its dates, or BAD_USER_INPUT naming `field`. */
export function scheduledPeriod(plan: PlanRecord, label: string, field = 'period'): Period & { readonly dueDate: string } {
  const period = parsePeriod(label);
  if (!period) throw new BadUserInputError(`${field} must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".`, field);
  const entry = scheduleOf(plan).find((p) => p.period === label);
  if (!entry) throw new BadUserInputError(`${label} is not a reporting period of plan ${plan.id}.`, field);
  return { ...period, dueDate: entry.dueDate };
}

/** Whether a period lies inside the plan's period. */
export const insidePlan = (plan: Pick<PlanRecord, 'periodStart' | 'periodEnd'>, period: Period) =>
  period.start >= plan.periodStart && period.end <= plan.periodEnd;

/**
 * Checks a schedule against its plan and sorts it by period: each period a known form inside the
 * plan, each due date a day not before its period ends, no two periods overlapping. BAD_USER_INPUT
 * names the offending field (`periods[2].dueDate`).
 */
export function validSchedule(
  plan: Pick<PlanRecord, 'periodStart' | 'periodEnd'>,
  periods: readonly { readonly period: string; readonly dueDate: string }[],
): ReportingPeriodRecord[] {
  if (periods.length === 0) throw new BadUserInputError('Give at least one reporting period.', 'periods');
  if (periods.length > SCHEDULE_MAX) throw new BadUserInputError(`Give at most ${SCHEDULE_MAX} reporting periods.`, 'periods');
  const parsed = periods.map((p, i) => {
    const period = parsePeriod(p.period);
    if (!period)
      throw new BadUserInputError('period must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".', `periods[${i}].period`);
    if (!insidePlan(plan, period)) {
      throw new BadUserInputError(
        `${p.period} lies outside the plan's period, ${plan.periodStart} to ${plan.periodEnd}.`,
        `periods[${i}].period`,
      );
    }
    const dueDate = isoDay(p.dueDate, `periods[${i}].dueDate`);
    if (dueDate < period.end) {
      throw new BadUserInputError(`The due date of ${p.period} comes before the period ends (${period.end}).`, `periods[${i}].dueDate`);
    }
    return { index: i, period, dueDate };
  });
  const sorted = [...parsed].sort((a, b) => a.period.start.localeCompare(b.period.start) || a.period.end.localeCompare(b.period.end));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    const current = sorted[i];
    if (before && current && current.period.start <= before.period.end) {
      const later = Math.max(before.index, current.index);
      throw new BadUserInputError(`${current.period.label} overlaps ${before.period.label}.`, `periods[${later}].period`);
    }
  }
  return sorted.map((p) => ({ period: p.period.label, dueDate: p.dueDate }));
}

export type DutyStatus = 'DUE' | 'OVERDUE' | 'SUBMITTED';

/** A duty's status and days overdue against a day. */
export function dutyStatus(dueDate: string, submitted: boolean, asOf: string): { status: DutyStatus; daysOverdue: number } {
  if (submitted) return { status: 'SUBMITTED', daysOverdue: 0 };
  const late = daysBetween(dueDate, asOf);
  return late > 0 ? { status: 'OVERDUE', daysOverdue: late } : { status: 'DUE', daysOverdue: 0 };
}

export type MilestoneStatus = 'UPCOMING' | 'DUE' | 'LATE' | 'DONE';

/** DONE when done; else LATE after the due date, DUE within MILESTONE_DUE_WITHIN_DAYS of it, UPCOMING before. */
export function milestoneStatus(dueDate: string, doneOn: string | null, asOf: string): MilestoneStatus {
  if (doneOn !== null) return 'DONE';
  const left = daysBetween(asOf, dueDate);
  if (left < 0) return 'LATE';
  return left <= MILESTONE_DUE_WITHIN_DAYS ? 'DUE' : 'UPCOMING';
}
