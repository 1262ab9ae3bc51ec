import { randomUUID } from 'node:crypto';
import type { Recorded } from '../shared/provenance.js';

/**
 * Records of the funding table and the rules of their values. Money is integer øre (bigint in code,
 * a DynamoDB Number in storage); every total is a rollup item that the allocation or disbursement
 * moving it writes in its own transaction. The stored shape belongs to the entities in ./entities/.
 */
export type FundingGroupBy = 'MEASURE' | 'GOAL' | 'AGENCY' | 'BUDGET_LINE' | 'FISCAL_YEAR';
export const fundingGroupBys: readonly FundingGroupBy[] = ['MEASURE', 'GOAL', 'AGENCY', 'BUDGET_LINE', 'FISCAL_YEAR'];

export interface BudgetLineRecord extends Recorded {
  readonly id: string;
  readonly planId: string;
  readonly fiscalYear: number;
  readonly agencyId: string;
  readonly chapter: number;
  readonly post: number;
  readonly title: string;
  /** The appropriation now: the original, or the last revision's. */
  readonly appropriatedOre: bigint;
  /** The appropriation when recorded; absent until the first revision (then it is `appropriatedOre`). */
  readonly appropriatedOriginalOre?: bigint;
  readonly revisions?: readonly BudgetRevisionRecord[];
  /** Absent on lines never revised: version 1. */
  readonly version?: number;
  readonly allocatedOre: bigint;
  readonly disbursedOre: bigint;
  readonly createdAt: string;
}

/** A revision of a line's appropriation. */
export interface BudgetRevisionRecord {
  readonly appropriatedOre: bigint;
  readonly reason: string;
  readonly decidedOn: string;
  readonly recordedAt: string;
}

export interface AllocationRecord extends Recorded {
  readonly id: string;
  readonly planId: string;
  readonly budgetLineId: string;
  readonly fiscalYear: number;
  readonly lineAgencyId: string;
  readonly measureId: string | null;
  /** The measure's goals when the allocation was made: what GOAL totals count it under, for good. */
  readonly goalNumbers: readonly number[];
  readonly recipientId: string | null;
  readonly shelterId: string | null;
  readonly amountOre: bigint;
  readonly disbursedOre: bigint;
  readonly createdAt: string;
  /**
   * The groups it counts under, with their labels, as when it was made: a disbursement moves the
   * same rollups without reading the line, the measure and the plan again. Absent on allocations
   * stored before it was kept; those are read anew.
   */
  readonly groups?: readonly Group[];
}

export interface DisbursementRecord extends Recorded {
  readonly id: string;
  readonly allocationId: string;
  /** The allocation's recipient, kept so that a recipient's disbursements are listed by index (null: none, or stored before it was kept). */
  readonly recipientId: string | null;
  readonly date: string;
  readonly amountOre: bigint;
  readonly createdAt: string;
}

/** One group of a plan's funding summary. */
export interface SummaryRecord extends FundingTotalsRecord {
  readonly key: string;
  readonly label: string;
  readonly fiscalYear: number | null;
}

export interface FundingTotalsRecord {
  /** Appropriated on the group's lines (AGENCY, BUDGET_LINE, FISCAL_YEAR groups only; absent elsewhere). */
  readonly appropriatedOre?: bigint;
  readonly allocatedOre: bigint;
  readonly disbursedOre: bigint;
  /** Of `allocatedOre`, what demo or synthetic allocations make (absent: none). */
  readonly inventedOre?: bigint;
}

/** The share of an allocated total that rests on invented records: 0 for real money only, 1 for demo money only. */
export const demoShare = (t: FundingTotalsRecord): number =>
  t.allocatedOre === 0n ? 0 : Number(((t.inventedOre ?? 0n) * 1_000_000n) / t.allocatedOre) / 1_000_000;

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly resultId: string;
}

/** One rollup group an allocation counts under, with the label a summary shows for it. */
export interface Group {
  readonly groupBy: FundingGroupBy;
  readonly key: string;
  readonly label: string;
}

/** What the labels of an allocation's groups are made of. */
export interface GroupNames {
  readonly agencyName: string | undefined;
  readonly measure: { readonly number: number | null; readonly title: string } | undefined;
  readonly goals: readonly { readonly number: number; readonly title: string }[];
}

/**
 * The groups an allocation counts under: the agency holding its line, the line, the fiscal year, its
 * measure, and the measure's goals when it was made.
 */
export function groupsOf(
  line: Pick<BudgetLineRecord, 'id' | 'agencyId' | 'chapter' | 'post' | 'title' | 'fiscalYear'>,
  allocation: Pick<AllocationRecord, 'measureId' | 'goalNumbers'>,
  names: GroupNames,
): Group[] {
  const { measure } = names;
  return [
    { groupBy: 'AGENCY', key: line.agencyId, label: names.agencyName ?? line.agencyId },
    {
      groupBy: 'BUDGET_LINE',
      key: line.id,
      label: `Kap. ${line.chapter} post ${String(line.post).padStart(2, '0')} ${line.title} (${line.fiscalYear})`,
    },
    { groupBy: 'FISCAL_YEAR', key: String(line.fiscalYear), label: String(line.fiscalYear) },
    ...(allocation.measureId
      ? [
          {
            groupBy: 'MEASURE' as const,
            key: allocation.measureId,
            label: measure ? `${measure.number === null ? '' : `${measure.number}. `}${measure.title}` : allocation.measureId,
          },
        ]
      : []),
    ...allocation.goalNumbers.map((n) => ({
      groupBy: 'GOAL' as const,
      key: String(n),
      label: `${n}. ${names.goals.find((g) => g.number === n)?.title ?? ''}`.trim(),
    })),
  ];
}

/** The groups a budget line's appropriation counts under: its agency, itself and its fiscal year. */
export function lineGroupsOf(
  line: Pick<BudgetLineRecord, 'id' | 'agencyId' | 'chapter' | 'post' | 'title' | 'fiscalYear'>,
  agencyName: string | undefined,
): Group[] {
  return groupsOf(line, { measureId: null, goalNumbers: [] }, { agencyName, measure: undefined, goals: [] });
}

/** disbursed / appropriated, or null without an appropriation. */
export const rateOf = (t: FundingTotalsRecord): number | null =>
  t.appropriatedOre === undefined || t.appropriatedOre === 0n
    ? null
    : Number((t.disbursedOre * 1_000_000n) / t.appropriatedOre) / 1_000_000;

/** A new id of a funding record: a prefix and a UUID. */
export const newId = (prefix: string) => `${prefix}-${randomUUID()}`;
