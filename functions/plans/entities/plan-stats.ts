import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { NotFoundError } from '../../shared/errors.js';
import { countKeys, type MeasureRecord, type PlanStatsRecord } from '../plans.model.js';

type Counted = Pick<MeasureRecord, 'goalNumbers' | 'status'>;

/** Net change of each counter between two states of a measure (an absent state counts nothing). */
export function counterDeltas(before: Counted | null, after: Counted | null): [string, number][] {
  const deltas = new Map<string, number>();
  for (const k of before ? countKeys(before.goalNumbers, before.status) : []) deltas.set(k, (deltas.get(k) ?? 0) - 1);
  for (const k of after ? countKeys(after.goalNumbers, after.status) : []) deltas.set(k, (deltas.get(k) ?? 0) + 1);
  return [...deltas].filter(([, d]) => d !== 0);
}

/**
 * Exact counts of a plan's measures per filter (`PLAN#<id>` / `STATS`), moved in the same
 * transaction as each measure write, so `totalCount` is one item whatever the plan's size.
 */
export const planStatsEntity = {
  table: 'measures',
  key: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'STATS' }),

  parse(item: Item): PlanStatsRecord {
    return { counts: new Fields(item, 'plan stats').counts('counts') };
  },

  /** Empty counters of a new plan. */
  create(planId: string): TxItem {
    return putNew('measures', { ...planStatsEntity.key(planId), counts: {} });
  },

  /** Moves counters by the given deltas; the plan must exist. Null when nothing moves. */
  move(planId: string, deltas: readonly (readonly [string, number])[]): TxItem | null {
    if (deltas.length === 0) return null;
    const names: Record<string, string> = {};
    const values: Record<string, number> = { ':zero': 0 };
    const sets = deltas.map(([key, delta], i) => {
      names[`#c${i}`] = key;
      values[`:d${i}`] = delta;
      return `counts.#c${i} = if_not_exists(counts.#c${i}, :zero) + :d${i}`;
    });
    return {
      table: 'measures',
      op: {
        Update: {
          Key: planStatsEntity.key(planId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      onConditionFailed: () => new NotFoundError(`There is no plan ${planId}.`, 'planId'),
    };
  },
} as const;
