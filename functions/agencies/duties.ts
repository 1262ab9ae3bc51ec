import { addDays, type DutyStatus, dutyStatus, type ReportingPeriodRecord, scheduleOf } from '../plans/calendar.js';
import {
  type MeasureRecord,
  owes,
  parsePeriod,
  type ResponsibilityRecord,
  type ResponsibilityRole,
  type StatusReportRecord,
} from '../plans/plans.model.js';
import type { PlansRepository } from '../plans/plans.repository.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/cursor.js';
import type { Page } from '../shared/db.js';
import type { AgenciesRepository } from './agencies.repository.js';

/** What duties are read from: the plans (schedules, measures, reports) and the responsibilities. */
export interface DutyReads {
  readonly plans: PlansRepository;
  readonly agencies: AgenciesRepository;
}

/**
 * Reporting duties, derived on read and never stored: every LEAD or SHARED role owes one report
 * per period of its plan's schedule from the period in which it was assigned (a role with no day
 * assigned owes from the plan's start). A duty is SUBMITTED when the agency itself has a status
 * report on the measure for the period (the report's key is the duty's: measure, period, agency);
 * a report by the coordinator or another agency does not discharge it. Otherwise it is DUE until
 * its due date has passed in Oslo time, then OVERDUE.
 */
export interface DutyRecord {
  readonly measureId: string;
  readonly agencyId: string;
  readonly role: ResponsibilityRole;
  readonly planId: string;
  readonly period: string;
  readonly dueDate: string;
  readonly status: DutyStatus;
  readonly daysOverdue: number;
  readonly report: StatusReportRecord | null;
}

/** The duties a set of roles owes for periods, with their status: one batch of report reads for all of them. */
export async function judge(repos: DutyReads, owed: readonly OwedDuty[], asOf: string): Promise<DutyRecord[]> {
  const [reports] = await Promise.all([
    Promise.all(
      owed.map(({ role, period }) => {
        const parsed = parsePeriod(period.period);
        return parsed ? repos.plans.statusReport(role.measureId, parsed, role.agencyId) : undefined;
      }),
    ),
    // The measures and agencies a duty shows come in the same batch as the reports, not one level later.
    ...owed.map(({ role }) => repos.plans.measure(role.measureId)),
    ...[...new Set(owed.map(({ role }) => role.agencyId))].map((id) => repos.agencies.agency(id)),
  ]);
  return owed.map(({ role, period }, i) => {
    const report = reports[i] ?? null;
    return {
      measureId: role.measureId,
      agencyId: role.agencyId,
      role: role.role,
      planId: role.planId,
      period: period.period,
      dueDate: period.dueDate,
      ...dutyStatus(period.dueDate, report !== null, asOf),
      report,
    };
  });
}

const withPlan = (r: ResponsibilityRecord, planId: string) => ({ ...r, planId });

/**
 * A page of a plan's duties for one period of its schedule. Without a status filter: one Query of
 * the plan's roles assigned by the period's end and one batch of reports, whatever the plan's size.
 * A filter whose answer the due date settles (DUE after it, OVERDUE before) reads nothing; any
 * other reads on page by page until the page is full, two requests per step.
 */
export async function planDutiesPage(
  repos: DutyReads,
  planId: string,
  period: ReportingPeriodRecord & { readonly end: string },
  filter: { readonly status?: DutyStatus | null; readonly asOf: string },
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<DutyRecord>> {
  const { status, asOf } = filter;
  const unsubmitted = dutyStatus(period.dueDate, false, asOf).status;
  if ((status === 'DUE' || status === 'OVERDUE') && status !== unsubmitted) return { items: [], hasNextPage: false };
  const items: { node: DutyRecord; cursor: string }[] = [];
  let cursor = after;
  const size = Math.min(Math.max(first ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  for (;;) {
    const page = await repos.agencies.planDuties(planId, period.end, first, cursor);
    const judged = await judge(
      repos,
      page.items.map((e) => ({ role: withPlan(e.node, planId), period })),
      asOf,
    );
    for (const [i, duty] of judged.entries()) {
      const edge = page.items[i];
      if (edge && (!status || duty.status === status)) items.push({ node: duty, cursor: edge.cursor });
    }
    // A full page ends the reading; whether a match follows is left to the next page (which may be empty).
    if (!status || items.length >= size || !page.hasNextPage) {
      return { items: items.slice(0, size), hasNextPage: items.length > size || page.hasNextPage };
    }
    cursor = page.items.at(-1)?.cursor;
  }
}

/** A duty before its reports are read: what is owed, by whom, for which period. */
export interface OwedDuty {
  readonly role: ResponsibilityRecord & { readonly planId: string };
  readonly period: ReportingPeriodRecord;
}

/**
 * Every duty an agency owes for periods that have begun by `asOf`, across its plans, by due date,
 * before any report is read: one Query of its roles and one batch of their plans (bounded: the
 * roles one agency holds times the periods of a plan).
 */
export async function agencyOwed(repos: DutyReads, agencyId: string, asOf: string): Promise<OwedDuty[]> {
  const roles = (await repos.agencies.allResponsibilitiesOf(agencyId)).filter((r) => r.planId !== undefined);
  const plans = await Promise.all(roles.map((r) => repos.plans.plan(r.planId ?? '')));
  const owed = roles.flatMap((role, i) => {
    const plan = plans[i];
    if (!plan) return [];
    return scheduleOf(plan)
      .filter((p) => {
        const period = parsePeriod(p.period);
        return period !== null && period.start <= asOf && (role.assignedOn === undefined || role.assignedOn <= period.end);
      })
      .map((period) => ({ role: withPlan(role, plan.id), period }));
  });
  return owed.sort((a, b) => owedKey(a).localeCompare(owedKey(b)));
}

/** An owed duty's place in an agency's list, unique: due date, plan, period, measure. */
export const owedKey = (d: OwedDuty) => `${d.period.dueDate}#${d.role.planId}#${d.period.period}#${d.role.measureId}`;

/** A judged duty's place in an agency's list: the same as its owed duty's. */
export const dutyKey = (d: DutyRecord) => `${d.dueDate}#${d.planId}#${d.period}#${d.measureId}`;

/** One row of the daily reminder digest. */
export interface DutyDigestRow {
  measureId: string;
  measureCode: string;
  measureTitle: string;
  agencyId: string;
  role: 'LEAD' | 'SHARED';
  planId: string;
  period: string;
  dueDate: string;
  status: 'DUE' | 'OVERDUE';
  daysOverdue: number;
}

/**
 * Across all plans and agencies, the duties not submitted that are overdue or due within
 * `withinDays` of `asOf` (a YYYY-MM-DD day in Oslo time), for the daily reminders. No Scan: the
 * plans list (one Query), then per period concerned the plan's roles assigned by its end (one Query
 * each), their reports and measures in batches. `measureCode` is the measure's number in its plan,
 * or its id where the plan gives none. Rows come by agency, then due date, plan, period, measure.
 */
export async function openDutiesForDigest(repos: DutyReads, options: { asOf: string; withinDays: number }): Promise<DutyDigestRow[]> {
  const { asOf, withinDays } = options;
  const horizon = addDays(asOf, withinDays);
  const plans = await repos.plans.plans();
  const perPeriod = await Promise.all(
    plans.flatMap((plan) =>
      scheduleOf(plan)
        .filter((p) => p.dueDate <= horizon)
        .map(async (p) => {
          const period = parsePeriod(p.period);
          if (!period) return [];
          const roles = await repos.agencies.allPlanDuties(plan.id, period.end);
          return judge(
            repos,
            roles.map((role) => ({ role: withPlan(role, plan.id), period: p })),
            asOf,
          );
        }),
    ),
  );
  const open = perPeriod.flat().filter((d) => d.status !== 'SUBMITTED');
  const measures = await Promise.all(open.map((d) => repos.plans.measure(d.measureId)));
  const rows: DutyDigestRow[] = open.flatMap((d, i) => {
    const m = measures[i];
    if (!m || d.status === 'SUBMITTED') return [];
    return [
      {
        measureId: d.measureId,
        measureCode: m.number !== null ? String(m.number) : m.id,
        measureTitle: m.title,
        agencyId: d.agencyId,
        role: d.role,
        planId: d.planId,
        period: d.period,
        dueDate: d.dueDate,
        status: d.status,
        daysOverdue: d.daysOverdue,
      },
    ];
  });
  return rows.sort(
    (a, b) =>
      a.agencyId.localeCompare(b.agencyId) ||
      `${a.dueDate}#${a.planId}#${a.period}#${a.measureId}`.localeCompare(`${b.dueDate}#${b.planId}#${b.period}#${b.measureId}`),
  );
}
