import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';

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
} as const;
