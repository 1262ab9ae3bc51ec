import { createRepositories, type Repositories } from '../functions/app/context.js';
import {
  measureIndicatorsKey,
  measureMilestonesKey,
  milestoneDoneKey,
  milestoneDueKey,
  owedKey,
  submittedKey,
} from '../functions/plans/entities/plan-stats.js';
import { countKeys, owes } from '../functions/plans/plans.model.js';
import type { Db } from '../functions/shared/db.js';
import { queryAll } from '../functions/shared/db.js';

/**
 * A plan's counters recounted from the facts (its measures, their roles, reports and milestones),
 * by the rules the writes move them by: what the stored STATS item must equal. Reads every measure
 * of the plan: a script and test tool, never a request path.
 */
export async function recountPlan(repos: Pick<Repositories, 'plans'>, planId: string): Promise<{ counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const add = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const m of await repos.plans.allMeasures(planId)) {
    for (const k of countKeys(m.goalNumbers, m.status)) add(k);
    for (const agencyId of Object.keys(m.responsibilities)) add(owedKey(m.assignedOn?.[agencyId]));
    const reports = await repos.plans.statusReports(m.id, 100, null);
    for (const { node: r } of reports.items) if (owes(m, r.agencyId, r.period)) add(submittedKey(r.period));
    for (const ms of await repos.plans.milestones(m.id)) {
      add(milestoneDueKey(ms.dueDate));
      if (ms.doneOn !== null) add(milestoneDoneKey(ms.dueDate));
      add(measureMilestonesKey(m.id));
    }
    for (const _ of await repos.plans.indicators(m.id)) add(measureIndicatorsKey(m.id));
  }
  return { counts };
}

/** The actor the audit trail would name; the migration writes counters and index keys only, which are not audited facts. */
export interface CalendarMigrationResult {
  readonly plans: number;
  readonly responsibilities: number;
}

/**
 * Brings data stored before the reporting calendar up to it: every responsibility item gets its
 * plan and the plan's duty index keys (a role stored before the calendar holds from the plan's
 * start), and every plan's counters are set to a recount. Idempotent. Run it with no writer
 * active (it sets counters outright); the seed and demo loaders write through the repositories and
 * need it not.
 */
export async function migrateCalendar(makeDb: () => Db): Promise<CalendarMigrationResult> {
  const db = makeDb();
  const repos = createRepositories(db);
  let responsibilities = 0;
  const plans = await repos.plans.plans();
  for (const plan of plans) {
    for (const m of await repos.plans.allMeasures(plan.id)) {
      const stored = await queryAll(db, {
        table: 'responsibilities',
        keyCondition: 'pk = :pk',
        values: { ':pk': `MEASURE#${m.id}` },
        forward: true,
        parse: (item) => item,
      });
      const reports = (await repos.plans.statusReports(m.id, 100, null)).items.map((e) => e.node);
      for (const item of stored) {
        if (item.planId === plan.id && typeof item.gsi2pk === 'string') continue;
        const agencyId = String(item.agencyId);
        const reported = reports.filter((r) => r.agencyId === agencyId && owes(m, agencyId, r.period)).map((r) => r.period);
        await repos.agencies.reindexResponsibility(item, m, reported);
        responsibilities++;
      }
    }
    const { counts } = await recountPlan(createRepositories(makeDb()), plan.id);
    await repos.plans.setPlanCounts(plan.id, counts);
  }
  return { plans: plans.length, responsibilities };
}
