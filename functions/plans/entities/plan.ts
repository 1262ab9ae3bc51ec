import { atStoredVersion, type Cap, countUp, Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { Period, PlanRecord } from '../plans.model.js';

/** An action plan with its goals: `PLAN#<id>` / `PLAN`, listed in gsi1 under `PLANS`. */
export const planEntity = {
  table: 'measures',
  key: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'PLAN' }),
  /** Every plan, by id (gsi1). */
  listPk: 'PLANS',

  toItem(plan: PlanRecord): Item {
    return {
      ...planEntity.key(plan.id),
      gsi1pk: planEntity.listPk,
      gsi1sk: plan.id,
      id: plan.id,
      title: plan.title,
      periodStart: plan.periodStart,
      periodEnd: plan.periodEnd,
      measureCount: plan.measureCount,
      coordinatorId: plan.coordinatorId,
      goals: plan.goals.map((g) => ({ number: g.number, title: g.title })),
      ...(plan.version !== undefined ? { version: plan.version } : {}),
      ...(plan.reportingPeriods ? { reportingPeriods: plan.reportingPeriods.map((p) => ({ period: p.period, dueDate: p.dueDate })) } : {}),
      ...(plan.source !== undefined ? { source: plan.source } : {}),
      ...provenanceAttribute(plan.provenance),
    };
  },

  parse(item: Item): PlanRecord {
    const f = new Fields(item, 'plan');
    const source = f.optionalString('source');
    return {
      id: f.string('id'),
      title: f.string('title'),
      periodStart: f.string('periodStart'),
      periodEnd: f.string('periodEnd'),
      measureCount: f.int('measureCount'),
      coordinatorId: f.string('coordinatorId'),
      goals: f.objects('goals', (g) => ({ number: g.int('number'), title: g.string('title') })),
      ...(f.has('version') ? { version: f.int('version') } : {}),
      ...(f.has('reportingPeriods')
        ? { reportingPeriods: f.objects('reportingPeriods', (p) => ({ period: p.string('period'), dueDate: p.string('dueDate') })) }
        : {}),
      ...(source !== undefined ? { source } : {}),
      ...readProvenance(f),
    };
  },

  create(plan: PlanRecord): TxItem {
    return putNew('measures', planEntity.toItem(plan), () => new ConflictError(`Plan ${plan.id} exists.`, { field: 'id' }));
  },

  /** Replaces a plan read at `current.version` (a plan stored before plans could change has none: it must still have none). */
  replace(current: PlanRecord, next: PlanRecord): TxItem {
    const version = current.version ?? 1;
    return {
      table: 'measures',
      op: {
        Put: {
          Item: planEntity.toItem(next),
          ...atStoredVersion(current.version),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored
          ? new ConflictError(`The plan has changed since version ${version}; read it again.`, {
              field: 'expectedVersion',
              currentVersion: stored.version ?? 1,
              retryable: true,
            })
          : new NotFoundError(`There is no plan ${current.id}.`, 'id'),
    };
  },

  /** Holds the transaction to a plan whose period covers a reporting period (a string comparison of ISO dates). */
  coversPeriod(planId: string, period: Period): TxItem {
    return {
      table: 'measures',
      op: {
        ConditionCheck: {
          Key: planEntity.key(planId),
          ConditionExpression: 'periodStart <= :start AND periodEnd >= :end',
          ExpressionAttributeValues: { ':start': period.start, ':end': period.end },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no plan ${planId}.`, 'planId');
        const plan = planEntity.parse(stored);
        return new BadUserInputError(
          `period must lie within the plan's period, ${plan.periodStart.slice(0, 4)}–${plan.periodEnd.slice(0, 4)}.`,
          'period',
        );
      },
    };
  },

  /**
   * Holds a new measure's number `n` to a plan that still declares at least `n` measures: an `updatePlan` that
   * lowered the count after `createMeasure` read the plan makes the measure's write fail.
   */
  declares(planId: string, n: number): TxItem {
    return {
      table: 'measures',
      op: {
        ConditionCheck: {
          Key: planEntity.key(planId),
          ConditionExpression: 'measureCount >= :n',
          ExpressionAttributeValues: { ':n': n },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored
          ? new BadUserInputError(
              `number must be from 1 to ${planEntity.parse(stored).measureCount}, the measures the plan declares.`,
              'number',
            )
          : new NotFoundError(`There is no plan ${planId}.`, 'planId'),
    };
  },

  /** The count of every plan (`PLANS` / `COUNT`, attribute `n`), raised by each new plan and held to a cap. */
  countKey: { pk: 'PLANS', sk: 'COUNT' },
  counted(cap?: Cap): TxItem {
    return countUp('measures', planEntity.countKey, cap);
  },

  /** Holds the transaction to a plan that exists. */
  exists(planId: string): TxItem {
    return {
      table: 'measures',
      op: { ConditionCheck: { Key: planEntity.key(planId), ConditionExpression: 'attribute_exists(pk)' } },
      onConditionFailed: () => new NotFoundError(`There is no plan ${planId}.`, 'planId'),
    };
  },
} as const;
