import { AuditRepository } from '../audit/audit.repository.js';
import { type Db, tableName, withoutKeys } from '../shared/db.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { type TxItem, transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import {
  countKeys,
  type MeasureRecord,
  type MeasureStatus,
  measureGoalKey,
  measureKey,
  measureOrderKey,
  type Period,
  type PlanRecord,
  planGoalByStatusPk,
  planGoalPk,
  planKey,
  planMeasuresByStatusPk,
  planMeasuresPk,
  planNoLeadPk,
  planPeriodPk,
  planStatsKey,
  plansListPk,
  type StatusReportRecord,
  statusReportKey,
} from './plans.model.js';

/** The fields of a measure that `updateMeasure` may change. */
export interface MeasureChanges {
  readonly title?: string;
  readonly description?: string | null;
  readonly status?: MeasureStatus;
  readonly goalNumbers?: readonly number[];
}

const numberMarkerKey = (planId: string, n: number) => ({ pk: `PLAN#${planId}`, sk: `NUMBER#${n}` });

/** The measure item's index keys, derived from its fields so that they can never disagree. */
export function measureIndexKeys(m: Pick<MeasureRecord, 'id' | 'planId' | 'number' | 'status' | 'leadAgencyId'>) {
  const order = measureOrderKey(m.number, m.id);
  return {
    gsi1pk: planMeasuresPk(m.planId),
    gsi1sk: order,
    gsi2pk: planMeasuresByStatusPk(m.planId, m.status),
    gsi2sk: order,
    ...(m.leadAgencyId ? {} : { gsi3pk: planNoLeadPk(m.planId), gsi3sk: order }),
  };
}

/** The item that lists a measure under one of its goals, with the keys of both goal listings. */
export function goalLinkItem(m: Pick<MeasureRecord, 'id' | 'planId' | 'number' | 'status'>, goal: number) {
  const order = measureOrderKey(m.number, m.id);
  return {
    ...measureGoalKey(m.id, goal),
    measureId: m.id,
    goalNumber: goal,
    gsi1pk: planGoalPk(m.planId, goal),
    gsi1sk: order,
    gsi2pk: planGoalByStatusPk(m.planId, goal, m.status),
    gsi2sk: order,
  };
}

/** Net change of each counter between two states of a measure (absent state: not counted). */
function counterDeltas(
  before: Pick<MeasureRecord, 'goalNumbers' | 'status'> | null,
  after: Pick<MeasureRecord, 'goalNumbers' | 'status'> | null,
) {
  const deltas = new Map<string, number>();
  for (const k of before ? countKeys(before.goalNumbers, before.status) : []) deltas.set(k, (deltas.get(k) ?? 0) - 1);
  for (const k of after ? countKeys(after.goalNumbers, after.status) : []) deltas.set(k, (deltas.get(k) ?? 0) + 1);
  return [...deltas].filter(([, d]) => d !== 0);
}

/** Writes of the measures table. Each method is one transaction with its counters and audit entry. */
export class PlanWrites {
  private readonly audit: AuditRepository;

  constructor(private readonly db: Db) {
    this.audit = new AuditRepository(db);
  }

  private get table() {
    return tableName(this.db, 'measures');
  }

  private statsUpdate(planId: string, deltas: [string, number][]): TxItem | null {
    if (deltas.length === 0) return null;
    const names: Record<string, string> = {};
    const values: Record<string, number> = { ':zero': 0 };
    const sets = deltas.map(([key, delta], i) => {
      names[`#c${i}`] = key;
      values[`:d${i}`] = delta;
      return `counts.#c${i} = if_not_exists(counts.#c${i}, :zero) + :d${i}`;
    });
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: planStatsKey(planId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      onConditionFailed: () => new NotFoundError(`There is no plan ${planId}.`, 'planId'),
    };
  }

  /** Stores a plan with its goals and empty counters; nothing happens when it exists. Returns whether it was created. */
  async createPlan(plan: PlanRecord, actor: Viewer, at: string): Promise<boolean> {
    try {
      await transact(this.db, [
        {
          item: {
            Put: {
              TableName: this.table,
              Item: { ...planKey(plan.id), gsi1pk: plansListPk, gsi1sk: plan.id, ...plan },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError(`Plan ${plan.id} exists.`),
        },
        {
          item: {
            Put: { TableName: this.table, Item: { ...planStatsKey(plan.id), counts: {} }, ConditionExpression: 'attribute_not_exists(pk)' },
          },
        },
        ...this.audit.entry({
          action: 'createPlan',
          entityId: plan.id,
          actor,
          before: null,
          after: { ...plan },
          ownerAgencyIds: [plan.coordinatorId],
          at,
        }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Stores a new measure, its goal links, its number's uniqueness marker, the plan's counters and the audit entry. */
  async createMeasure(measure: MeasureRecord, actor: Viewer): Promise<MeasureRecord> {
    const items: (TxItem | null)[] = [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: { ...withoutKeys(measure), ...measureKey(measure.id), ...measureIndexKeys(measure) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () => new ConflictError(`A measure with id ${measure.id} exists.`, { field: 'id' }),
      },
      ...measure.goalNumbers.map((g): TxItem => ({ item: { Put: { TableName: this.table, Item: goalLinkItem(measure, g) } } })),
      measure.number === null
        ? null
        : {
            item: {
              Put: {
                TableName: this.table,
                Item: { ...numberMarkerKey(measure.planId, measure.number), measureId: measure.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            onConditionFailed: () => new ConflictError(`The plan already has a measure number ${measure.number}.`, { field: 'number' }),
          },
      this.statsUpdate(measure.planId, counterDeltas(null, measure)),
      ...this.audit.entry({
        action: 'createMeasure',
        entityId: measure.id,
        actor,
        before: null,
        after: publicFields(measure),
        ownerAgencyIds: Object.keys(measure.responsibilities),
        at: measure.updatedAt,
      }),
    ];
    await transact(
      this.db,
      items.filter((i): i is TxItem => i !== null),
    );
    return measure;
  }

  /**
   * Applies changes to a measure read at `current.version`. The version condition makes the read
   * state the one replaced, so the counters and goal links computed from it are exact.
   */
  async updateMeasure(
    current: MeasureRecord,
    expectedVersion: number,
    changes: MeasureChanges,
    actor: Viewer,
    at: string,
  ): Promise<MeasureRecord> {
    const next: MeasureRecord = {
      ...current,
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.goalNumbers !== undefined ? { goalNumbers: [...new Set(changes.goalNumbers)].sort((a, b) => a - b) } : {}),
      version: expectedVersion + 1,
      updatedAt: at,
    };
    await transact(this.db, [
      ...this.measureReplacement(current, next, expectedVersion),
      ...this.auditMeasure('updateMeasure', current, next, actor, at),
    ]);
    return next;
  }

  /** The transaction items that replace a measure read at `expectedVersion` by `next`, with its links and counters. */
  measureReplacement(current: MeasureRecord, next: MeasureRecord, expectedVersion: number, staleIsRetryable = false): TxItem[] {
    const removedGoals = current.goalNumbers.filter((g) => !next.goalNumbers.includes(g));
    const statusChanged = current.status !== next.status;
    const keptOrAdded = next.goalNumbers.filter((g) => statusChanged || !current.goalNumbers.includes(g));
    return [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: { ...withoutKeys(next), ...measureKey(next.id), ...measureIndexKeys(next) },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        onConditionFailed: (stored) =>
          stored && staleIsRetryable
            ? new ConflictError('The measure changed while this was being stored; please retry.', {
                retryable: true,
                currentVersion: stored.version,
              })
            : stored
              ? new ConflictError(`The measure has changed since version ${expectedVersion}; it is now at version ${stored.version}.`, {
                  field: 'expectedVersion',
                  currentVersion: stored.version,
                })
              : new NotFoundError(`There is no measure ${next.id}.`, 'id'),
      },
      ...removedGoals.map((g): TxItem => ({ item: { Delete: { TableName: this.table, Key: measureGoalKey(next.id, g) } } })),
      ...keptOrAdded.map((g): TxItem => ({ item: { Put: { TableName: this.table, Item: goalLinkItem(next, g) } } })),
      ...[this.statsUpdate(next.planId, counterDeltas(current, next))].filter((i): i is TxItem => i !== null),
    ];
  }

  auditMeasure(
    action: string,
    before: MeasureRecord | null,
    after: MeasureRecord,
    actor: Viewer,
    at: string,
    extraOwners: readonly string[] = [],
  ): TxItem[] {
    return this.audit.entry({
      action,
      entityId: after.id,
      actor,
      before: before ? publicFields(before) : null,
      after: publicFields(after),
      ownerAgencyIds: [...Object.keys(before?.responsibilities ?? {}), ...Object.keys(after.responsibilities), ...extraOwners],
      at,
    });
  }

  /**
   * Stores a status report, replacing the same measure, period and agency's earlier one. When the
   * report sets the measure's status, the measure is replaced at the version it was read at.
   */
  async submitStatusReport(input: {
    readonly measure: MeasureRecord;
    readonly period: Period;
    readonly report: StatusReportRecord;
    readonly previous: StatusReportRecord | undefined;
    readonly setsStatus: boolean;
    readonly actor: Viewer;
  }): Promise<MeasureRecord> {
    const { measure, period, report, previous, setsStatus, actor } = input;
    const next: MeasureRecord =
      setsStatus && measure.status !== report.status
        ? { ...measure, status: report.status, version: measure.version + 1, updatedAt: report.reportedAt }
        : measure;
    const reporterStillResponsible: TxItem = {
      item: {
        ConditionCheck: {
          TableName: this.table,
          Key: measureKey(measure.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': measure.version },
        },
      },
      onConditionFailed: () =>
        new ConflictError('The measure changed while the report was being stored; please retry.', { retryable: true }),
    };
    await transact(this.db, [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...statusReportKey(measure.id, period, report.agencyId),
              ...report,
              gsi1pk: planPeriodPk(measure.planId, period.label),
              gsi1sk: `${measure.id}#${report.agencyId}`,
            },
          },
        },
      },
      ...(next === measure ? [reporterStillResponsible] : this.measureReplacement(measure, next, measure.version, true)),
      ...this.audit.entry({
        action: 'submitStatusReport',
        entityId: measure.id,
        actor,
        before: previous ? reportFields(previous) : null,
        after: { ...reportFields(report), ...(next !== measure ? { measureStatus: next.status } : {}) },
        ownerAgencyIds: [...Object.keys(measure.responsibilities), report.agencyId],
        at: report.reportedAt,
      }),
    ]);
    return next;
  }
}

/** The fields of a measure an audit diff shows. */
export function publicFields(m: MeasureRecord): Record<string, unknown> {
  return {
    number: m.number,
    title: m.title,
    description: m.description,
    status: m.status,
    goalNumbers: m.goalNumbers,
    leadAgencyId: m.leadAgencyId ?? null,
    responsibilities: m.responsibilities,
  };
}

function reportFields(r: StatusReportRecord): Record<string, unknown> {
  return { period: r.period, agencyId: r.agencyId, status: r.status, progressPercent: r.progressPercent, summary: r.summary };
}
