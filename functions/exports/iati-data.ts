import { nameAt } from '../agencies/agencies.model.js';
import type { Repositories } from '../app/context.js';
import type { AllocationRecord, DisbursementRecord } from '../funding/funding.model.js';
import { osloToday } from '../plans/calendar.js';
import { BadUserInputError } from '../shared/errors.js';
import type { IatiOrganisation, IatiPlanData } from './iati.js';

/**
 * The lists an IATI file reads that the repositories do not offer one by one: the funding table's
 * allocation and disbursement indexes. Each must yield every item, page after page, and only what
 * the reader of the export may read (the file is then exactly what that reader sees).
 */
export interface IatiListings {
  /** Every allocation made to a measure (any order). Called once or twice per funded measure. */
  readonly allocationsOfMeasure: (measureId: string) => AsyncIterable<AllocationRecord>;
  /** Every disbursement of an allocation (any order). Not called for an allocation with nothing disbursed. */
  readonly disbursementsOfAllocation: (allocationId: string) => AsyncIterable<DisbursementRecord>;
}

/** Whole years from the first to the last of a plan's period. */
function yearsOf(periodStart: string, periodEnd: string): number[] {
  const first = Number(periodStart.slice(0, 4));
  const last = Number(periodEnd.slice(0, 4));
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/**
 * Gathers what `renderIatiActivities` needs for a plan from the repositories: the plan (one
 * BatchGetItem), then together the agency directory, the plan's measures, its MEASURE funding
 * summary (which measures have any allocation, from the rollups) and its budget lines (one Query per
 * fiscal year of the period); allocations and disbursements are read lazily, measure by measure,
 * through `listings` while the file streams. A plan that does not exist is BAD_USER_INPUT naming
 * `planId`.
 */
export async function loadIatiPlanData(
  repos: Pick<Repositories, 'plans' | 'agencies' | 'funding'>,
  planId: string,
  listings: IatiListings,
  now: Date = new Date(),
): Promise<IatiPlanData> {
  const plan = await repos.plans.plan(planId);
  if (!plan) throw new BadUserInputError(`There is no plan ${planId}.`, 'planId');
  const [agencies, measures, summary, lines] = await Promise.all([
    repos.agencies.agencies(),
    repos.plans.allMeasures(plan.id),
    repos.funding.summary(plan.id, 'MEASURE', null),
    Promise.all(yearsOf(plan.periodStart, plan.periodEnd).map((year) => repos.funding.budgetLines(year, null))),
  ]);
  // Each organisation under the name it bears on the day the file is made, not a name recorded ahead of its first day.
  const today = osloToday(now);
  const organisations = new Map<string, IatiOrganisation>(agencies.map((a) => [a.id, { ...a, name: nameAt(a, today) }]));
  // Measures no allocation ever named are not asked for their (empty) lists.
  const funded = new Set(summary.filter((row) => row.allocatedOre > 0n).map((row) => row.key));
  return {
    generatedAt: now.toISOString(),
    plan,
    reportingOrg: organisations.get(plan.coordinatorId) ?? { id: plan.coordinatorId, name: plan.coordinatorId, kind: 'MINISTRY' },
    organisations,
    budgetLines: new Map(
      lines
        .flat()
        .filter((l) => l.planId === plan.id)
        .map((l) => [l.id, l]),
    ),
    measures: measures
      .filter((m) => funded.has(m.id))
      .map((m) => ({
        id: m.id,
        number: m.number,
        title: m.title,
        description: m.description,
        status: m.status,
        updatedAt: m.updatedAt,
        leadAgencyId: m.leadAgencyId ?? null,
      })),
    allocationsOf: listings.allocationsOfMeasure,
    disbursementsOf: listings.disbursementsOfAllocation,
  };
}
