import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { type DomainError, NotFoundError } from '../../shared/errors.js';
import { countKeys, type MeasureRecord, type PlanStatsRecord } from '../plans.model.js';

type Counted = Pick<MeasureRecord, 'goalNumbers' | 'status'>;

/**
 * Counters of the reporting calendar and milestones, beside the measure counts in the same item:
 * `RA_<day>` LEAD/SHARED roles held, by the day assigned (`0000-00-00`: from the plan's start), so
 * the reports owed for a period are the sum up to its last day; `RP_<period>` reports submitted for
 * a period by an agency holding a role on the measure; `MD_<day>` milestones by due date and
 * `MX_<day>` done milestones by due date, so "due by a day" is a sum too. Every counter moves in
 * the transaction of the write that changes what it counts.
 */
export const owedKey = (assignedOn: string | undefined) => `RA_${assignedOn ?? '0000-00-00'}`;
export const submittedKey = (period: string) => `RP_${period}`;
export const milestoneDueKey = (dueDate: string) => `MD_${dueDate}`;
export const milestoneDoneKey = (dueDate: string) => `MX_${dueDate}`;
/** `ML_<measureId>` a measure's milestones and `IN_<measureId>` its indicators, held to their caps (schema/limits.json). */
export const measureMilestonesKey = (measureId: string) => `ML_${measureId}`;
export const measureIndicatorsKey = (measureId: string) => `IN_${measureId}`;
/** The measures of the plan (every measure counts under it). */
export const allMeasuresKey = 'all';

/** A counter that a write moves up and that must stay at most `max`: the write fails with `error` at the cap. */
export interface CounterCap {
  readonly key: string;
  readonly max: number;
  readonly error: () => DomainError;
}

/** Deltas of the same counter added together; those that cancel dropped. */
export function mergeDeltas(deltas: readonly (readonly [string, number])[]): [string, number][] {
  const merged = new Map<string, number>();
  for (const [k, d] of deltas) merged.set(k, (merged.get(k) ?? 0) + d);
  return [...merged].filter(([, d]) => d !== 0);
}

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

  /**
   * Moves counters by the given deltas; the plan must exist. Null when nothing moves. Each cap holds a counter that
   * the write raises below its maximum, in the same condition, so racing writers never pass it.
   */
  move(planId: string, deltas: readonly (readonly [string, number])[], caps: readonly CounterCap[] = []): TxItem | null {
    if (deltas.length === 0) return null;
    const names: Record<string, string> = {};
    const values: Record<string, number> = { ':zero': 0 };
    const sets = deltas.map(([key, delta], i) => {
      names[`#c${i}`] = key;
      values[`:d${i}`] = delta;
      return `counts.#c${i} = if_not_exists(counts.#c${i}, :zero) + :d${i}`;
    });
    const conditions = caps.map((cap, i) => {
      names[`#k${i}`] = cap.key;
      values[`:max${i}`] = cap.max;
      return ` AND (attribute_not_exists(counts.#k${i}) OR counts.#k${i} < :max${i})`;
    });
    return {
      table: 'measures',
      op: {
        Update: {
          Key: planStatsEntity.key(planId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk)${conditions.join('')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ...(caps.length > 0 ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no plan ${planId}.`, 'planId');
        const counts = planStatsEntity.parse(stored).counts;
        const full = caps.find((cap) => (counts[cap.key] ?? 0) >= cap.max);
        return full ? full.error() : new NotFoundError(`There is no plan ${planId}.`, 'planId');
      },
    };
  },
} as const;
