import { type Item, put, remove, type TxItem } from '../../shared/entity.js';
import type { MeasureRecord, MeasureStatus } from '../plans.model.js';
import { measureOrderKey } from '../plans.model.js';

export const planGoalPk = (planId: string, goal: number) => `PLAN#${planId}#G#${goal}`;
export const planGoalByStatusPk = (planId: string, goal: number, status: MeasureStatus) => `PLAN#${planId}#G#${goal}#S#${status}`;

type Linked = Pick<MeasureRecord, 'id' | 'planId' | 'number' | 'status'>;

/**
 * The item that lists a measure under one of its goals (`MEASURE#<id>` / `GOAL#<nnn>`), in the
 * goal's listing (gsi1) and the goal's listing by status (gsi2). It carries only the measure's id:
 * a page of it reads the measures in one batch.
 */
export const measureGoalEntity = {
  table: 'measures',
  key: (measureId: string, goal: number) => ({ pk: `MEASURE#${measureId}`, sk: `GOAL#${String(goal).padStart(3, '0')}` }),

  toItem(m: Linked, goal: number): Item {
    const order = measureOrderKey(m.number, m.id);
    return {
      ...measureGoalEntity.key(m.id, goal),
      measureId: m.id,
      goalNumber: goal,
      gsi1pk: planGoalPk(m.planId, goal),
      gsi1sk: order,
      gsi2pk: planGoalByStatusPk(m.planId, goal, m.status),
      gsi2sk: order,
    };
  },

  /** The id of the measure a link names. */
  measureIdOf(item: Item): string {
    const id = item.measureId;
    if (typeof id !== 'string') throw new Error('Stored measure-goal link without a measure id');
    return id;
  },

  put(m: Linked, goal: number): TxItem {
    return put('measures', measureGoalEntity.toItem(m, goal));
  },

  remove(measureId: string, goal: number): TxItem {
    return remove('measures', measureGoalEntity.key(measureId, goal));
  },
} as const;
