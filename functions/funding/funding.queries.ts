import type { PlanRecord } from '../plans/plans.model.js';
import type { PlansRepository } from '../plans/plans.repository.js';
import type { Page } from '../shared/db.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { assertCanReadFunding } from '../shared/policy.js';
import { intIn } from '../shared/validate.js';
import type { Viewer } from '../shared/viewer.js';
import type { AllocationListKey } from './entities/allocation.js';
import type { DisbursementListKey } from './entities/disbursement.js';
import {
  type AllocationRecord,
  type BudgetLineRecord,
  type DisbursementRecord,
  demoShare,
  type FundingGroupBy,
  rateOf,
  type SummaryRecord,
} from './funding.model.js';
import type { FundingRepository } from './funding.repository.js';

/**
 * Funding as readers see it: the queries that the GraphQL resolvers and the exports both call, each with
 * its policy check first, so that a CSV holds what the same reader gets through GraphQL and no more.
 */

/** What funding is read with: the reader, the funding table and the plans (periods, goals). */
export interface FundingReads {
  readonly viewer: Viewer;
  readonly funding: FundingRepository;
  readonly plans: PlansRepository;
}

/** Fiscal years a filter may name: the state budget's years, loosely. */
const FISCAL_YEARS = { min: 1900, max: 2100 } as const;

/**
 * The one field of a list filter that is set; none or several is BAD_USER_INPUT naming the filter.
 * Each field is served by an index of its own, so combining them would need a filter over reads.
 */
export function oneFilterField<F extends Record<string, unknown>>(filter: F, name: string): keyof F & string {
  const set = Object.keys(filter).filter((k) => filter[k] !== null && filter[k] !== undefined);
  if (set.length !== 1 || !set[0])
    throw new BadUserInputError(
      `${name} must set exactly one field (${set.length === 0 ? 'none is set' : `${set.join(', ')} are set`}).`,
      name,
    );
  return set[0] as keyof F & string;
}

/** An allocation filter as the list it names. */
export function allocationListOf(filter: {
  budgetLineId?: string | null;
  measureId?: string | null;
  recipientAgencyId?: string | null;
  shelterId?: string | null;
  fiscalYear?: number | null;
}): AllocationListKey {
  const by = oneFilterField(filter, 'filter');
  if (by === 'fiscalYear') return { by, year: intIn(filter.fiscalYear ?? 0, 'filter.fiscalYear', FISCAL_YEARS.min, FISCAL_YEARS.max) };
  return { by, id: String(filter[by]) };
}

/** A disbursement filter as the list it names. */
export function disbursementListOf(filter: {
  allocationId?: string | null;
  recipientAgencyId?: string | null;
  fiscalYear?: number | null;
}): DisbursementListKey {
  const by = oneFilterField(filter, 'filter');
  if (by === 'fiscalYear') return { by, year: intIn(filter.fiscalYear ?? 0, 'filter.fiscalYear', FISCAL_YEARS.min, FISCAL_YEARS.max) };
  return { by, id: String(filter[by]) };
}

/** A group's totals as readers see them: appropriated only where the group holds lines, and the rate disbursed / appropriated. */
export interface FundingTotal {
  readonly key: string;
  readonly label: string;
  readonly fiscalYear: number | null;
  readonly appropriated: bigint | null;
  readonly allocated: bigint;
  readonly disbursed: bigint;
  readonly rate: number | null;
  readonly demoShare: number;
}

export function fundingTotal(r: SummaryRecord): FundingTotal {
  return {
    key: r.key,
    label: r.label,
    fiscalYear: r.fiscalYear ?? null,
    appropriated: r.appropriatedOre ?? null,
    allocated: r.allocatedOre,
    disbursed: r.disbursedOre,
    rate: rateOf(r),
    demoShare: demoShare(r),
  };
}

/** A line's appropriation when it was recorded: the original, also for lines stored before revisions were kept. */
export const appropriatedOriginalOf = (line: BudgetLineRecord): bigint => line.appropriatedOriginalOre ?? line.appropriatedOre;

/** A fiscal year's budget lines, optionally of one agency. */
export async function budgetLines(
  reads: FundingReads,
  fiscalYear: number,
  agencyId: string | null | undefined,
): Promise<BudgetLineRecord[]> {
  assertCanReadFunding(reads.viewer);
  return reads.funding.budgetLines(fiscalYear, agencyId);
}

/** One page of a list of allocations. Every reader of funding reads every allocation, an agency's own among them. */
export async function allocationsPage(
  reads: FundingReads,
  list: AllocationListKey,
  first: number | null | undefined,
  after: string | null | undefined,
  bulkPageSize?: number,
): Promise<Page<AllocationRecord>> {
  assertCanReadFunding(reads.viewer);
  return reads.funding.allocations(list, first, after, bulkPageSize);
}

/** One page of a list of disbursements, read as allocations are. */
export async function disbursementsPage(
  reads: FundingReads,
  list: DisbursementListKey,
  first: number | null | undefined,
  after: string | null | undefined,
  bulkPageSize?: number,
): Promise<Page<DisbursementRecord>> {
  assertCanReadFunding(reads.viewer);
  return reads.funding.disbursements(list, first, after, bulkPageSize);
}

/** The plan funding is read for; NOT_FOUND naming `planId` when there is none. */
export async function fundedPlan(reads: FundingReads, planId: string): Promise<PlanRecord> {
  const plan = await reads.plans.plan(planId);
  if (!plan) throw new NotFoundError(`There is no plan ${planId}.`, 'planId');
  return plan;
}

/** A plan's funding totals by a grouping, of every year or of one inside the plan's period: one Query over rollup items. */
export async function fundingSummary(
  reads: FundingReads,
  args: { readonly planId: string; readonly groupBy: FundingGroupBy; readonly fiscalYear?: number | null },
): Promise<FundingTotal[]> {
  assertCanReadFunding(reads.viewer);
  const plan = await fundedPlan(reads, args.planId);
  const { fiscalYear } = args;
  if (fiscalYear != null && (fiscalYear < Number(plan.periodStart.slice(0, 4)) || fiscalYear > Number(plan.periodEnd.slice(0, 4)))) {
    throw new BadUserInputError(
      `fiscalYear must lie within the plan's period, ${plan.periodStart.slice(0, 4)}–${plan.periodEnd.slice(0, 4)}.`,
      'fiscalYear',
    );
  }
  const rows = await reads.funding.summary(plan.id, args.groupBy, fiscalYear ?? null);
  return rows.map(fundingTotal);
}
