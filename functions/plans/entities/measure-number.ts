import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { BadUserInputError, ConflictError } from '../../shared/errors.js';

/** Holds a measure number unique within its plan (`PLAN#<id>` / `NUMBER#<n>`), created with the measure; names the measure holding it. */
export const measureNumberEntity = {
  table: 'measures',
  key: (planId: string, n: number) => ({ pk: `PLAN#${planId}`, sk: `NUMBER#${n}` }),

  /** The id of the measure holding the number. */
  parse(item: Item): string {
    return new Fields(item, 'measure number').string('measureId');
  },

  claim(planId: string, n: number, measureId: string): TxItem {
    return putNew(
      'measures',
      { ...measureNumberEntity.key(planId, n), measureId },
      () => new ConflictError(`The plan already has a measure number ${n}.`, { field: 'number' }),
    );
  },

  /**
   * Holds a write that lowers a plan's declared measure count to below `n` to a number `n` no measure holds: a
   * `createMeasure` that claimed it after the count was checked makes the write fail, rather than leave a measure
   * numbered above the count.
   */
  unclaimed(planId: string, n: number): TxItem {
    return {
      table: 'measures',
      op: { ConditionCheck: { Key: measureNumberEntity.key(planId, n), ConditionExpression: 'attribute_not_exists(pk)' } },
      onConditionFailed: () => new BadUserInputError(`measureCount must be at least ${n}, a measure number in use.`, 'measureCount'),
    };
  },
} as const;
