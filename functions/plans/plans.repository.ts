import { type Db, loadItem, type Page, queryAll, queryPage } from '../shared/db.js';
import {
  countKeyOf,
  type MeasureRecord,
  type MeasureStatus,
  measureKey,
  type Period,
  type PlanRecord,
  type PlanStatsRecord,
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

export interface MeasureFilter {
  readonly status?: MeasureStatus | null;
  readonly goalNumber?: number | null;
}

/** Reads of the measures table: plans, goals, measures and status reports. */
export class PlansRepository {
  constructor(private readonly db: Db) {}

  plan(id: string): Promise<PlanRecord | undefined> {
    return loadItem<PlanRecord>(this.db, 'measures', planKey(id));
  }

  async plans(): Promise<PlanRecord[]> {
    return queryAll<PlanRecord>(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': plansListPk },
      forward: true,
    });
  }

  measure(id: string): Promise<MeasureRecord | undefined> {
    return loadItem<MeasureRecord>(this.db, 'measures', measureKey(id));
  }

  /** Exact number of a plan's measures matching a filter, from the plan's counters: one item, whatever the data size. */
  async measureCount(planId: string, filter: MeasureFilter): Promise<number> {
    const stats = await loadItem<PlanStatsRecord>(this.db, 'measures', planStatsKey(planId));
    return stats?.counts[countKeyOf(filter.goalNumber, filter.status)] ?? 0;
  }

  /**
   * A page of a plan's measures in order. Without a goal filter the index holds the measures
   * themselves; with one it holds the measure-goal links, whose measures come in one batch.
   */
  async measures(planId: string, filter: MeasureFilter, first: number | null | undefined, after: string | null | undefined) {
    const { status, goalNumber } = filter;
    const scope = `measures:${planId}:${goalNumber ?? ''}:${status ?? ''}`;
    const byGoal = goalNumber !== null && goalNumber !== undefined;
    const index = status ? 'gsi2' : 'gsi1';
    const pk = byGoal
      ? status
        ? planGoalByStatusPk(planId, goalNumber, status)
        : planGoalPk(planId, goalNumber)
      : status
        ? planMeasuresByStatusPk(planId, status)
        : planMeasuresPk(planId);
    const page = await queryPage<MeasureRecord | { measureId: string }>(this.db, {
      table: 'measures',
      index,
      keyCondition: `${index}pk = :pk`,
      values: { ':pk': pk },
      forward: true,
      scope,
      first,
      after,
    });
    if (!byGoal) return page as Page<MeasureRecord>;
    const measures = await Promise.all(page.items.map((e) => this.measure((e.node as { measureId: string }).measureId)));
    return {
      hasNextPage: page.hasNextPage,
      items: page.items.flatMap((e, i) => {
        const node = measures[i];
        return node ? [{ node, cursor: e.cursor }] : [];
      }),
    } satisfies Page<MeasureRecord>;
  }

  /** The plan's measures that no agency leads, read from a sparse index that holds only those. */
  measuresWithoutLead(planId: string): Promise<MeasureRecord[]> {
    return queryAll<MeasureRecord>(this.db, {
      table: 'measures',
      index: 'gsi3',
      keyCondition: 'gsi3pk = :pk',
      values: { ':pk': planNoLeadPk(planId) },
      forward: true,
    });
  }

  /** Ids of the plan's measures that have at least one report for a period. */
  async measureIdsReportedIn(planId: string, period: string): Promise<Set<string>> {
    const reports = await queryAll<StatusReportRecord>(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': planPeriodPk(planId, period) },
      forward: true,
    });
    return new Set(reports.map((r) => r.measureId));
  }

  /** Every measure of a plan, in order. */
  allMeasures(planId: string): Promise<MeasureRecord[]> {
    return queryAll<MeasureRecord>(this.db, {
      table: 'measures',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': planMeasuresPk(planId) },
      forward: true,
    });
  }

  /** One agency's report on a measure for a period, if any. */
  statusReport(measureId: string, period: Period, agencyId: string): Promise<StatusReportRecord | undefined> {
    return loadItem<StatusReportRecord>(this.db, 'measures', statusReportKey(measureId, period, agencyId));
  }

  /** A page of a measure's status reports, newest period first. */
  statusReports(measureId: string, first: number | null | undefined, after: string | null | undefined) {
    return queryPage<StatusReportRecord>(this.db, {
      table: 'measures',
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': measureKey(measureId).pk, ':prefix': 'REPORT#' },
      forward: false,
      scope: `reports:${measureId}`,
      first,
      after,
    });
  }
}
