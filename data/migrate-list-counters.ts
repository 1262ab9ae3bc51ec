import { createRepositories } from '../functions/app/context.js';
import type { Db } from '../functions/shared/db.js';
import { migrateCalendar } from './recount-plan.js';

/** What the list-counters migration counted. */
export interface ListCountersResult {
  readonly plans: number;
  readonly agencies: number;
  readonly budgetLines: number;
}

/**
 * Sets the counters that hold lists to their caps (docs/limits.md) to a recount of what is stored: every plan's
 * counters (with each measure's milestones and indicators, `ML_<id>` and `IN_<id>`, by the calendar migration's
 * recount), the count of plans, of the directory's agencies, and of the budget lines of each fiscal year and each
 * plan. Data stored before the caps has none of these, and a write counts from 0 where a counter is missing, so ops
 * run it once per stage after deploying the caps. Idempotent: a second run sets the same figures. Run it with no
 * writer active (it sets counters outright). Reads everything: a maintenance script, never a request path.
 */
export async function migrateListCounters(makeDb: () => Db): Promise<ListCountersResult> {
  await migrateCalendar(makeDb);
  const repos = createRepositories(makeDb());
  const plans = await repos.plans.plans();
  await repos.plans.setPlansCount(plans.length);
  const agencies = await repos.agencies.agencies();
  await repos.agencies.setAgenciesCount(agencies.length);
  const years = new Map<number, number>();
  const perPlan = new Map<string, number>();
  let budgetLines = 0;
  // A line's fiscal year lies inside its plan's period: the years of every plan hold every line.
  const fiscalYears = new Set(
    plans.flatMap((p) => {
      const first = Number(p.periodStart.slice(0, 4));
      return Array.from({ length: Number(p.periodEnd.slice(0, 4)) - first + 1 }, (_, i) => first + i);
    }),
  );
  for (const year of fiscalYears) {
    for (const line of await repos.funding.budgetLines(year, null)) {
      years.set(line.fiscalYear, (years.get(line.fiscalYear) ?? 0) + 1);
      perPlan.set(line.planId, (perPlan.get(line.planId) ?? 0) + 1);
      budgetLines++;
    }
  }
  await repos.funding.setLineCounts(years, perPlan);
  return { plans: plans.length, agencies: agencies.length, budgetLines };
}
