/**
 * Records of the funding table. Money is integer øre (bigint in code, a DynamoDB Number in storage);
 * every total is a rollup item that the allocation or disbursement moving it writes in its own
 * transaction.
 */
export type FundingGroupBy = 'MEASURE' | 'GOAL' | 'AGENCY' | 'BUDGET_LINE' | 'FISCAL_YEAR';

/** DynamoDB returns a Number as a JS number while it is exact, and as a bigint past that (see shared/dynamo.ts). */
export type StoredOre = number | bigint;

export interface BudgetLineRecord {
  readonly id: string;
  readonly planId: string;
  readonly fiscalYear: number;
  readonly agencyId: string;
  readonly chapter: number;
  readonly post: number;
  readonly title: string;
  readonly appropriatedOre: StoredOre;
  readonly allocatedOre: StoredOre;
  /** appropriated − allocated: a condition can compare it, where it cannot add. */
  readonly remainingOre: StoredOre;
  readonly disbursedOre: StoredOre;
  readonly createdAt: string;
}

export interface AllocationRecord {
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
  readonly amountOre: StoredOre;
  readonly disbursedOre: StoredOre;
  /** amount − disbursed, for the same reason as remainingOre. */
  readonly undisbursedOre: StoredOre;
  readonly createdAt: string;
}

export interface DisbursementRecord {
  readonly id: string;
  readonly allocationId: string;
  readonly date: string;
  readonly amountOre: StoredOre;
  readonly createdAt: string;
}

/** One group of a plan's funding summary. */
export interface SummaryRecord {
  readonly key: string;
  readonly label: string;
  readonly fiscalYear: number | null;
  readonly allocatedOre: StoredOre;
  readonly disbursedOre: StoredOre;
}

export interface FundingTotalsRecord {
  readonly allocatedOre: bigint;
  readonly disbursedOre: bigint;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly resultId: string;
}

export const budgetLineKey = (id: string) => ({ pk: `LINE#${id}`, sk: 'LINE' });
export const budgetLineNaturalKey = (agencyId: string, fiscalYear: number, chapter: number, post: number) => ({
  pk: `LINEKEY#${agencyId}#${fiscalYear}#${chapter}#${post}`,
  sk: 'LINEKEY',
});
export const allocationKey = (id: string) => ({ pk: `ALLOC#${id}`, sk: 'ALLOC' });
export const disbursementKey = (allocationId: string, date: string, id: string) => ({
  pk: `ALLOC#${allocationId}`,
  sk: `DISB#${date}#${id}`,
});
export const idempotencyKey = (scope: string, kind: 'allocateFunds' | 'recordDisbursement', key: string) => ({
  pk: `IDEMPOTENCY#${scope}#${kind}#${key}`,
  sk: 'IDEMPOTENCY',
});
export const summaryPk = (planId: string, groupBy: FundingGroupBy, fiscalYear: number | null) =>
  `SUMMARY#${planId}#${groupBy}#${fiscalYear ?? 'ALL'}`;
export const shelterTotalKey = (shelterId: string) => ({ pk: `TOTAL#SHELTER#${shelterId}`, sk: 'ALL' });
export const yearLinesPk = (fiscalYear: number) => `YEAR#${fiscalYear}`;
export const lineSortKey = (agencyId: string, chapter: number, post: number, id: string) =>
  `AGENCY#${agencyId}#${String(chapter).padStart(4, '0')}#${String(post).padStart(2, '0')}#${id}`;

export const ore = (value: StoredOre | undefined | null): bigint => BigInt(value ?? 0);

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
