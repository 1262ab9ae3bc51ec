import type { AuditRepository } from '../audit/audit.repository.js';
import { type Db, loadItem, type Page, queryAll, queryPage } from '../shared/db.js';
import { type Cap, countSet, put, type TxItem } from '../shared/entity.js';
import { BadUserInputError, ConflictError } from '../shared/errors.js';
import { transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import { measureEntity, planMeasuresByStatusPk, planMeasuresPk, planNoLeadPk } from './entities/measure.js';
import { measureGoalEntity, planGoalByStatusPk, planGoalPk } from './entities/measure-goal.js';
import { measureNumberEntity } from './entities/measure-number.js';
import { indicatorEntity, measureIdOf, milestoneEntity } from './entities/milestone.js';
import { planEntity } from './entities/plan.js';
import { type CounterCap, mergeDeltas, planStatsEntity, submittedKey } from './entities/plan-stats.js';
import { responsibilityEntity } from './entities/responsibility.js';
import { planPeriodPk, ReportReplaced, statusReportEntity } from './entities/status-report.js';
import {
  countKeyOf,
  type IndicatorRecord,
  type MeasureRecord,
  type MeasureStatus,
  type MilestoneRecord,
  owes,
  type Period,
  type PlanRecord,
  parsePeriod,
  type StatusReportRecord,
} from './plans.model.js';

export interface MeasureFilter {
  readonly status?: MeasureStatus | null;
  readonly goalNumber?: number | null;
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

/**
 * The measures table: plans, goals, measures and status reports. Reads go through the request's
 * batch loader (keys asked for in one tick are one BatchGetItem); each write is one transaction
 * with its counters and audit entry.
 */
/** How far one change may lower a plan's declared measure count: each number it gives up is one check in the transaction. */
export const MEASURE_COUNT_DROP_MAX = 90;

/**
 * A plan whose declared measure count goes down keeps no measure numbered above it: the numbers given up must be
 * free when the write lands, not only when they were read, since `createMeasure` may claim one in between (it is
 * held to the count it read in turn, `planEntity.declares`). One check per number given up, so one change lowers
 * the count by at most MEASURE_COUNT_DROP_MAX.
 */
function numbersFreeAbove(current: PlanRecord, next: PlanRecord): TxItem[] {
  if (next.measureCount >= current.measureCount) return [];
  if (current.measureCount - next.measureCount > MEASURE_COUNT_DROP_MAX)
    throw new BadUserInputError(
      `measureCount can go down by at most ${MEASURE_COUNT_DROP_MAX} in one change (from ${current.measureCount}).`,
      'measureCount',
    );
  return Array.from({ length: current.measureCount - next.measureCount }, (_, i) =>
    measureNumberEntity.unclaimed(current.id, next.measureCount + 1 + i),
  );
}

export class PlansRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
  ) {}

  plan(id: string): Promise<PlanRecord | undefined> {
    return loadItem(this.db, 'measures', planEntity.key(id), planEntity.parse);
  }

  plans(): Promise<PlanRecord[]> {
    return queryAll(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': planEntity.listPk },
      forward: true,
      parse: planEntity.parse,
    });
  }

  measure(id: string): Promise<MeasureRecord | undefined> {
    return loadItem(this.db, 'measures', measureEntity.key(id), measureEntity.parse);
  }

  /** The id of the measure holding a number in a plan, if one does. */
  measureWithNumber(planId: string, n: number): Promise<string | undefined> {
    return loadItem(this.db, 'measures', measureNumberEntity.key(planId, n), measureNumberEntity.parse);
  }

  /** Exact number of a plan's measures matching a filter, from the plan's counters: one item, whatever the data size. */
  async measureCount(planId: string, filter: MeasureFilter): Promise<number> {
    const stats = await loadItem(this.db, 'measures', planStatsEntity.key(planId), planStatsEntity.parse);
    return stats?.counts[countKeyOf(filter.goalNumber, filter.status)] ?? 0;
  }

  /**
   * A page of a plan's measures in order. Without a goal filter the index holds the measures
   * themselves; with one it holds the measure-goal links, whose measures come in one batch.
   */
  async measures(planId: string, filter: MeasureFilter, first: number | null | undefined, after: string | null | undefined) {
    const { status, goalNumber } = filter;
    const scope = `measures:${planId}:${goalNumber ?? ''}:${status ?? ''}`;
    const index = status ? 'gsi2' : 'gsi1';
    const query = { table: 'measures', index, keyCondition: `${index}pk = :pk`, forward: true, scope, first, after } as const;
    if (goalNumber === null || goalNumber === undefined) {
      const pk = status ? planMeasuresByStatusPk(planId, status) : planMeasuresPk(planId);
      return queryPage(this.db, { ...query, values: { ':pk': pk }, parse: measureEntity.parse });
    }
    const pk = status ? planGoalByStatusPk(planId, goalNumber, status) : planGoalPk(planId, goalNumber);
    const links = await queryPage(this.db, { ...query, values: { ':pk': pk }, parse: measureGoalEntity.measureIdOf });
    const measures = await Promise.all(links.items.map((e) => this.measure(e.node)));
    return {
      hasNextPage: links.hasNextPage,
      items: links.items.flatMap((e, i) => {
        const node = measures[i];
        return node ? [{ node, cursor: e.cursor }] : [];
      }),
    } satisfies Page<MeasureRecord>;
  }

  /** The plan's measures that no agency leads, read from a sparse index that holds only those. */
  measuresWithoutLead(planId: string): Promise<MeasureRecord[]> {
    return queryAll(this.db, {
      table: 'measures',
      index: 'gsi3',
      keyCondition: 'gsi3pk = :pk',
      values: { ':pk': planNoLeadPk(planId) },
      forward: true,
      parse: measureEntity.parse,
    });
  }

  /** Ids of the plan's measures that have at least one report for a period. */
  async measureIdsReportedIn(planId: string, period: string): Promise<Set<string>> {
    const reports = await queryAll(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': planPeriodPk(planId, period) },
      forward: true,
      parse: statusReportEntity.parse,
    });
    return new Set(reports.map((r) => r.measureId));
  }

  /** Every measure of a plan, in order. */
  allMeasures(planId: string): Promise<MeasureRecord[]> {
    return queryAll(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': planMeasuresPk(planId) },
      forward: true,
      parse: measureEntity.parse,
    });
  }

  /** One agency's report on a measure for a period, if any. */
  statusReport(measureId: string, period: Period, agencyId: string): Promise<StatusReportRecord | undefined> {
    return loadItem(this.db, 'measures', statusReportEntity.key(measureId, period, agencyId), statusReportEntity.parse);
  }

  /** A page of a measure's status reports, newest period first. */
  statusReports(measureId: string, first: number | null | undefined, after: string | null | undefined) {
    return queryPage(this.db, {
      table: 'measures',
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': measureEntity.key(measureId).pk, ':prefix': statusReportEntity.prefix },
      forward: false,
      scope: `reports:${measureId}`,
      first,
      after,
      parse: statusReportEntity.parse,
    });
  }

  /** Stores a plan with its goals and empty counters; nothing happens when it exists. Returns whether it was created. */
  async createPlan(plan: PlanRecord, actor: Viewer, at: string): Promise<boolean> {
    try {
      await transact(this.db, [
        planEntity.create(plan),
        planEntity.counted(),
        planStatsEntity.create(plan.id),
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

  /**
   * Adds a plan with empty counters (an id in use is a CONFLICT naming `id`), with its audit entry; the count of plans
   * is held below `cap` in the same transaction.
   */
  async addPlan(plan: PlanRecord, actor: Viewer, at: string, cap?: Cap): Promise<PlanRecord> {
    await transact(this.db, [
      planEntity.create(plan),
      planEntity.counted(cap),
      planStatsEntity.create(plan.id),
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
    return plan;
  }

  /** Replaces a plan read at its version (`updatePlan`, `createGoal`), with its audit entry. */
  async replacePlan(action: string, current: PlanRecord, next: PlanRecord, actor: Viewer, at: string): Promise<PlanRecord> {
    const shrinks = next.periodStart > current.periodStart || next.periodEnd < current.periodEnd;
    await transact(this.db, [
      planEntity.replace(current, next),
      ...numbersFreeAbove(current, next),
      ...(shrinks ? [await this.nothingDatedOutside(next)] : []),
      ...this.audit.entry({
        action,
        entityId: next.id,
        actor,
        before: { ...current },
        after: { ...next },
        ownerAgencyIds: [...new Set([current.coordinatorId, next.coordinatorId])],
        at,
      }),
    ]);
    return next;
  }

  /**
   * Stores a new measure, its goal links, its number's uniqueness marker, the plan's counters and the audit entry.
   * `caps` hold the plan's counters (its measures) below their maximum in the same condition.
   */
  async createMeasure(measure: MeasureRecord, actor: Viewer, caps: readonly CounterCap[] = []): Promise<MeasureRecord> {
    await transact(this.db, [
      ...measureEntity.create(measure, caps),
      ...(measure.number === null ? [] : [planEntity.declares(measure.planId, measure.number)]),
      ...this.auditMeasure('createMeasure', null, measure, actor, measure.updatedAt),
    ]);
    return measure;
  }

  /** Replaces a measure the client read at `expectedVersion` (a stale one is CONFLICT naming the current version). */
  async updateMeasure(current: MeasureRecord, next: MeasureRecord, expectedVersion: number, actor: Viewer): Promise<MeasureRecord> {
    await transact(this.db, [
      ...measureEntity.replace(current, next, { expectedVersion, stale: 'expectedVersion', idField: 'id' }),
      ...this.auditMeasure('updateMeasure', current, next, actor, next.updatedAt),
    ]);
    return next;
  }

  private auditMeasure(action: string, before: MeasureRecord | null, after: MeasureRecord, actor: Viewer, at: string): TxItem[] {
    return this.audit.entry({
      action,
      entityId: after.id,
      actor,
      before: before ? publicFields(before) : null,
      after: publicFields(after),
      ownerAgencyIds: [...Object.keys(before?.responsibilities ?? {}), ...Object.keys(after.responsibilities)],
      facts: { planId: after.planId },
      at,
    });
  }

  /**
   * Stores a status report, replacing exactly the earlier one for the same measure, period and
   * agency. When the report sets the measure's status, the measure is replaced at the version it
   * was read at; otherwise that version is only checked, so the reporter's right still holds. The
   * plan's period is a condition. With `previous: 'unknown'` the write first assumes there is none
   * and, when one is stored, replaces that one (one more request, for a replacement only).
   */
  async submitStatusReport(input: {
    readonly measure: MeasureRecord;
    readonly period: Period;
    readonly report: StatusReportRecord;
    readonly previous: StatusReportRecord | undefined | 'unknown';
    readonly setsStatus: boolean;
    readonly actor: Viewer;
  }): Promise<MeasureRecord> {
    const { measure, period, report, setsStatus, actor } = input;
    const next: MeasureRecord =
      setsStatus && measure.status !== report.status
        ? { ...measure, status: report.status, version: measure.version + 1, updatedAt: report.reportedAt }
        : measure;
    const write = (previous: StatusReportRecord | undefined) => {
      // A first report by an agency that owes one for the period counts as submitted (progress).
      const counters: [string, number][] =
        !previous && owes(measure, report.agencyId, report.period) ? [[submittedKey(report.period), 1]] : [];
      return transact(
        this.db,
        [
          // First: a period outside the plan is the caller's error, whatever else fails.
          planEntity.coversPeriod(measure.planId, period),
          statusReportEntity.put(report, previous),
          ...(counters.length > 0 ? [responsibilityEntity.countReport(measure.id, report.agencyId, report.period)] : []),
          ...(next === measure
            ? [measureEntity.unchanged(measure), ...[planStatsEntity.move(measure.planId, counters)].filter((i) => i !== null)]
            : measureEntity.replace(measure, next, { expectedVersion: measure.version, stale: 'retry', idField: 'measureId', counters })),
          ...this.audit.entry({
            action: 'submitStatusReport',
            entityId: measure.id,
            actor,
            before: previous ? reportFields(previous) : null,
            after: { ...reportFields(report), ...(next !== measure ? { measureStatus: next.status } : {}) },
            ownerAgencyIds: [...Object.keys(measure.responsibilities), report.agencyId],
            facts: {
              planId: report.planId,
              period: report.period,
              agencyId: report.agencyId,
              status: report.status,
              progressPercent: report.progressPercent,
            },
            at: report.reportedAt,
          }),
        ],
        // A measure only checked is answered as it was read.
        next === measure ? [{ table: 'measures', item: measureEntity.toItem(measure) }] : [],
      );
    };
    if (input.previous !== 'unknown') await write(input.previous);
    else {
      try {
        await write(undefined);
      } catch (error) {
        if (!(error instanceof ReportReplaced) || !error.stored) throw error;
        await write(error.stored);
      }
    }
    return next;
  }

  /** One milestone by id (its measure is part of the id). */
  milestone(id: string): Promise<MilestoneRecord | undefined> {
    const measureId = measureIdOf(id, 'M');
    return measureId
      ? loadItem(this.db, 'measures', milestoneEntity.key(measureId, id), milestoneEntity.parse)
      : Promise.resolve(undefined);
  }

  /** One indicator by id (its measure is part of the id). */
  indicator(id: string): Promise<IndicatorRecord | undefined> {
    const measureId = measureIdOf(id, 'I');
    return measureId
      ? loadItem(this.db, 'measures', indicatorEntity.key(measureId, id), indicatorEntity.parse)
      : Promise.resolve(undefined);
  }

  /** A measure's milestones, by due date (bounded: a measure's steps). */
  async milestones(measureId: string): Promise<MilestoneRecord[]> {
    const all = await queryAll(this.db, {
      table: 'measures',
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': measureEntity.key(measureId).pk, ':prefix': milestoneEntity.prefix },
      forward: true,
      parse: milestoneEntity.parse,
    });
    return all.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
  }

  /** A measure's indicators, in the order defined. */
  async indicators(measureId: string): Promise<IndicatorRecord[]> {
    const all = await queryAll(this.db, {
      table: 'measures',
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': measureEntity.key(measureId).pk, ':prefix': indicatorEntity.prefix },
      forward: true,
      parse: indicatorEntity.parse,
    });
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Every plan's count set outright (the list-counters migration, from a recount). */
  async setPlansCount(n: number): Promise<void> {
    await transact(this.db, [countSet('measures', planEntity.countKey, n)]);
  }

  /** Sets a plan's counters outright (the calendar migration, from a recount). */
  async setPlanCounts(planId: string, counts: Readonly<Record<string, number>>): Promise<void> {
    await transact(this.db, [put('measures', { ...planStatsEntity.key(planId), counts: { ...counts } })]);
  }

  /**
   * A plan's period may shrink only past nothing stored in it: no period of its reporting schedule, no milestone due
   * and no status report for a period outside the new one. Milestones and reports are counted by day and period in
   * the plan's counters (one item, `plan-stats.ts`), which are read here and held unchanged to the write, so a
   * milestone or a report landing meanwhile makes it a retryable CONFLICT rather than leave it outside.
   */
  private async nothingDatedOutside(next: PlanRecord): Promise<TxItem> {
    const inside = (start: string, end: string) => start >= next.periodStart && end <= next.periodEnd;
    // Named after the end that moved past it.
    const outside = (what: string, start: string) =>
      new BadUserInputError(
        `The plan's period cannot shrink to ${next.periodStart}–${next.periodEnd}: ${what} lies outside it.`,
        start < next.periodStart ? 'periodStart' : 'periodEnd',
      );
    for (const p of next.reportingPeriods ?? []) {
      const period = parsePeriod(p.period);
      if (period && !inside(period.start, period.end)) throw outside(`the reporting period ${p.period}`, period.start);
    }
    const stats = await loadItem(this.db, 'measures', planStatsEntity.key(next.id), (item) => item);
    const counts = stats ? planStatsEntity.parse(stats).counts : {};
    for (const [key, count] of Object.entries(counts)) {
      if (count <= 0) continue;
      const day = /^M[DX]_(\d{4}-\d{2}-\d{2})$/.exec(key)?.[1];
      if (day && !inside(day, day)) throw outside(`a milestone due ${day}`, day);
      const label = /^RP_(.+)$/.exec(key)?.[1];
      const period = label ? parsePeriod(label) : null;
      if (label && period && !inside(period.start, period.end)) throw outside(`a status report for ${label}`, period.start);
    }
    return {
      table: 'measures',
      op: {
        ConditionCheck: {
          Key: planStatsEntity.key(next.id),
          ConditionExpression: stats?.counts === undefined ? 'attribute_not_exists(counts)' : 'counts = :counts',
          ...(stats?.counts === undefined ? {} : { ExpressionAttributeValues: { ':counts': stats.counts } }),
        },
      },
      onConditionFailed: () =>
        new ConflictError("The plan's milestones or reports changed while its period was being changed; read it again.", {
          field: 'expectedVersion',
          retryable: true,
        }),
    };
  }

  /** The plan's counters, as stored (one item). */
  async planCounts(planId: string): Promise<Readonly<Record<string, number>>> {
    const stats = await loadItem(this.db, 'measures', planStatsEntity.key(planId), planStatsEntity.parse);
    return stats?.counts ?? {};
  }

  /**
   * Writes a milestone or indicator of a measure: the item, the measure held at the version read
   * (the writer's right as LEAD holds only while the roles read stand), the plan's counters and the audit entry.
   */
  async writeMeasurePart(input: {
    readonly action: string;
    readonly measure: MeasureRecord;
    readonly write: TxItem;
    readonly counters: readonly (readonly [string, number])[];
    /** Counters the write raises that must stay below their maximum (a measure's milestones, its indicators). */
    readonly caps?: readonly CounterCap[];
    readonly entityId: string;
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown>;
    /** Facts beyond the measure and plan (e.g. the period of a recorded value). */
    readonly facts?: Readonly<Record<string, string | number>>;
    readonly actor: Viewer;
    readonly at: string;
  }): Promise<void> {
    const { measure } = input;
    await transact(this.db, [
      input.write,
      measureEntity.unchanged(measure),
      ...[planStatsEntity.move(measure.planId, mergeDeltas(input.counters), input.caps)].filter((i) => i !== null),
      ...this.audit.entry({
        action: input.action,
        entityId: input.entityId,
        actor: input.actor,
        before: input.before,
        after: input.after,
        facts: { measureId: measure.id, planId: measure.planId, ...input.facts },
        ownerAgencyIds: Object.keys(measure.responsibilities),
        at: input.at,
      }),
    ]);
  }
}
