import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { type AllocationRecord, fundingGroupBys, type Group } from '../funding.model.js';

const readGroup = (g: Fields): Group => ({ groupBy: g.oneOf('groupBy', fundingGroupBys), key: g.string('key'), label: g.string('label') });

/**
 * An allocation from a budget line (`ALLOC#<id>` / `ALLOC`); its disbursements share its partition.
 * `undisbursedOre` (amount − disbursed) is stored for the same reason as a line's `remainingOre`.
 */
export const allocationEntity = {
  table: 'funding',
  key: (id: string) => ({ pk: `ALLOC#${id}`, sk: 'ALLOC' }),

  toItem(a: AllocationRecord): Item {
    return {
      ...allocationEntity.key(a.id),
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
