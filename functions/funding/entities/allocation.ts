import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { type AllocationRecord, fundingGroupBys, type Group } from '../funding.model.js';

const readGroup = (g: Fields): Group => ({ groupBy: g.oneOf('groupBy', fundingGroupBys), key: g.string('key'), label: g.string('label') });

/** What an allocation list is filtered by: exactly one of these (AllocationFilter). */
export type AllocationListKey =
  | { readonly by: 'budgetLineId'; readonly id: string }
  | { readonly by: 'measureId'; readonly id: string }
  | { readonly by: 'recipientAgencyId'; readonly id: string }
  | { readonly by: 'shelterId'; readonly id: string }
  | { readonly by: 'fiscalYear'; readonly year: number };

/**
 * The index and partition of each allocation list, oldest first within it (sort key `<createdAt>#<id>`).
 * gsi1 and gsi2 are shared with budget lines (`YEAR#<year>` partitions), hence the `#ALLOC` suffix;
 * gsi3–gsi5 are sparse: only allocations naming a measure, a recipient or a shelter carry them.
 */
export const allocationLists = {
  budgetLineId: { index: 'gsi1', pk: (id: string) => `LINE#${id}#ALLOC` },
  fiscalYear: { index: 'gsi2', pk: (year: number) => `YEAR#${year}#ALLOC` },
  measureId: { index: 'gsi3', pk: (id: string) => `MEASURE#${id}#ALLOC` },
  recipientAgencyId: { index: 'gsi4', pk: (id: string) => `AGENCY#${id}#ALLOC` },
  shelterId: { index: 'gsi5', pk: (id: string) => `SHELTER#${id}#ALLOC` },
} as const;

/** The index keys an allocation is listed under; the migration `funding-indexes` adds them to items stored before. */
export function allocationIndexKeys(
  a: Pick<AllocationRecord, 'id' | 'budgetLineId' | 'fiscalYear' | 'measureId' | 'recipientId' | 'shelterId' | 'createdAt'>,
): Item {
  const sk = `${a.createdAt}#${a.id}`;
  return {
    gsi1pk: allocationLists.budgetLineId.pk(a.budgetLineId),
    gsi1sk: sk,
    gsi2pk: allocationLists.fiscalYear.pk(a.fiscalYear),
    gsi2sk: sk,
    ...(a.measureId ? { gsi3pk: allocationLists.measureId.pk(a.measureId), gsi3sk: sk } : {}),
    ...(a.recipientId ? { gsi4pk: allocationLists.recipientAgencyId.pk(a.recipientId), gsi4sk: sk } : {}),
    ...(a.shelterId ? { gsi5pk: allocationLists.shelterId.pk(a.shelterId), gsi5sk: sk } : {}),
  };
}

/**
 * An allocation from a budget line (`ALLOC#<id>` / `ALLOC`); its disbursements share its partition.
 * `undisbursedOre` (amount − disbursed) is stored for the same reason as a line's `remainingOre`.
 */
export const allocationEntity = {
  table: 'funding',
  key: (id: string) => ({ pk: `ALLOC#${id}`, sk: 'ALLOC' }),
  isAllocation: (item: Item) => typeof item.pk === 'string' && item.pk.startsWith('ALLOC#') && item.sk === 'ALLOC',

  toItem(a: AllocationRecord): Item {
    return {
      ...allocationEntity.key(a.id),
      ...allocationIndexKeys(a),
      id: a.id,
      planId: a.planId,
      budgetLineId: a.budgetLineId,
      fiscalYear: a.fiscalYear,
      lineAgencyId: a.lineAgencyId,
      measureId: a.measureId,
      goalNumbers: [...a.goalNumbers],
      recipientId: a.recipientId,
      shelterId: a.shelterId,
      amountOre: a.amountOre,
      disbursedOre: a.disbursedOre,
      undisbursedOre: a.amountOre - a.disbursedOre,
      createdAt: a.createdAt,
      ...(a.groups ? { groups: a.groups.map((g) => ({ groupBy: g.groupBy, key: g.key, label: g.label })) } : {}),
      ...provenanceAttribute(a.provenance),
    };
  },

  parse(item: Item): AllocationRecord {
    const f = new Fields(item, 'allocation');
    return {
      id: f.string('id'),
      planId: f.string('planId'),
      budgetLineId: f.string('budgetLineId'),
      fiscalYear: f.int('fiscalYear'),
      lineAgencyId: f.string('lineAgencyId'),
      measureId: f.nullableString('measureId'),
      goalNumbers: f.ints('goalNumbers'),
      recipientId: f.nullableString('recipientId'),
      shelterId: f.nullableString('shelterId'),
      amountOre: f.ore('amountOre'),
      disbursedOre: f.ore('disbursedOre'),
      createdAt: f.string('createdAt'),
      ...(f.has('groups') ? { groups: f.objects('groups', readGroup) } : {}),
      ...readProvenance(f),
    };
  },

  create(a: AllocationRecord): TxItem {
    return putNew('funding', allocationEntity.toItem(a));
  },

  /** Records a payment: `undisbursedOre >= amount` keeps payments within the allocation however many writers race. */
  disburse(allocationId: string, amount: bigint): TxItem {
    return {
      table: 'funding',
      op: {
        Update: {
          Key: allocationEntity.key(allocationId),
          UpdateExpression: 'ADD undisbursedOre :minus, disbursedOre :amount',
          ConditionExpression: 'undisbursedOre >= :amount',
          ExpressionAttributeValues: { ':amount': amount, ':minus': -amount },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no allocation ${allocationId}.`, 'allocationId');
        const remaining = formatMoney(new Fields(stored, 'allocation').ore('undisbursedOre'));
        return new ConflictError(`The amount exceeds what is left to disburse of the allocation (${remaining}).`, {
          field: 'amount',
          remaining,
        });
      },
    };
  },
} as const;
