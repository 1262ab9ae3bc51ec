import type { Repositories } from '../graphql/context.js';
import { parsePeriod } from '../plans/plans.model.js';
import type { DutyDigestRow } from './digest.js';

/**
 * INTEGRATION: replace with openDutiesForDigest from functions/plans/duties.ts
 *
 * A stand-in for the reporting calendar until it is merged: every plan has yearly periods, each due
 * 15 February of the following year, and every LEAD or SHARED responsibility owes one report per
 * period from the year it was assigned through API (the plan's first year for seeded and imported
 * ones). It reads the real records: the agency directory, each agency's responsibilities, their
 * measures and plans, and each owed report by key. It is not index-backed per period as the real
 * one is, and is used by the reminders only (never on a request path).
 */
export async function interimOpenDuties(repos: Repositories, asOf: string, withinDays: number): Promise<DutyDigestRow[]> {
  const horizon = addDays(asOf, withinDays);
  const rows: DutyDigestRow[] = [];
  for (const agency of await repos.agencies.agencies()) {
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof repos.agencies.responsibilitiesOf>> = await repos.agencies.responsibilitiesOf(
        agency.id,
        null,
        100,
        after,
      );
      const owed = await Promise.all(
        page.items.map(async ({ node: r }) => {
          const measure = await repos.plans.measure(r.measureId);
          const plan = measure ? await repos.plans.plan(measure.planId) : undefined;
          if (!measure || !plan) return [];
          const assigned = r.provenance?.kind === 'API' && r.provenance.recordedAt ? Number(r.provenance.recordedAt.slice(0, 4)) : 0;
          const first = Math.max(Number(plan.periodStart.slice(0, 4)), assigned);
          const duties: DutyDigestRow[] = [];
          for (let year = first; year <= Number(plan.periodEnd.slice(0, 4)); year++) {
            const dueDate = `${year + 1}-02-15`;
            if (dueDate > horizon) break;
            const period = parsePeriod(String(year));
            if (!period || (await repos.plans.statusReport(measure.id, period, agency.id))) continue;
            duties.push({
              measureId: measure.id,
              measureCode: measure.number === null ? measure.id : String(measure.number),
              measureTitle: measure.title,
              agencyId: agency.id,
              role: r.role,
              planId: plan.id,
              period: period.label,
              dueDate,
              status: dueDate < asOf ? 'OVERDUE' : 'DUE',
              daysOverdue: Math.max(0, daysBetween(dueDate, asOf)),
            });
          }
          return duties;
        }),
      );
      rows.push(...owed.flat());
      after = page.hasNextPage ? (page.items.at(-1)?.cursor ?? null) : null;
    } while (after);
  }
  return rows;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
