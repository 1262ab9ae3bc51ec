import type { AuditRepository } from '../audit/audit.repository.js';
import { type Db, loadItem, queryAll, queryPage } from '../shared/db.js';
import type { TxItem } from '../shared/entity.js';
import { apiProvenance, type Provenance } from '../shared/provenance.js';
import { transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import { rollupRules } from './disclosure.js';
import { capacityReportEntity } from './entities/capacity-report.js';
import { capacityRollupEntity } from './entities/capacity-rollup.js';
import { type LastReport, lastReportEntity } from './entities/last-report.js';
import { shelterEntity } from './entities/shelter.js';
import { shelterListingEntity } from './entities/shelter-listing.js';
import {
  type AssistanceService,
  type CapacityFigures,
  type CapacityReportRecord,
  type Granularity,
  granularities,
  periodOf,
  type RollupRecord,
  rollupDelta,
  type ShelterRecord,
  type TargetGroup,
} from './shelters.model.js';

export interface ShelterFilter {
  readonly region?: string | null;
  readonly operatorId?: string | null;
  readonly service?: AssistanceService | null;
  readonly targetGroup?: TargetGroup | null;
}

/** What a capacity report must check, read in one batch: the shelter, the day's report, and the last report of each period. */
export interface ReportState {
  readonly shelter: ShelterRecord | undefined;
  readonly previous: CapacityReportRecord | undefined;
  readonly lasts: ReadonlyMap<Granularity, LastReport | undefined>;
}

const CONFIDENTIAL_FIELDS = ['address'];

/** What an audit diff shows of a shelter; the address only as a marker (see AuditRepository.diff). */
function auditFields(s: ShelterRecord): Record<string, unknown> {
  return {
    name: s.name,
    operatorId: s.operatorId,
    region: s.region,
    municipality: s.municipality,
    address: s.address,
    targetGroups: s.targetGroups,
    services: s.services,
    measureIds: s.measureIds,
  };
}

/** The shelters table: profiles, listings, capacity reports, each period's last report, and the rollups. */
export class SheltersRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
  ) {}

  shelter(id: string): Promise<ShelterRecord | undefined> {
    return loadItem(this.db, 'shelters', shelterEntity.key(id), shelterEntity.parse);
  }

  /**
   * A page of shelters by name. The most selective listing key the filter names picks the index
   * partition; the filter's other fields are a FilterExpression on the listing items, which carry
   * them for that purpose. The profiles of the page then come in one batch.
   */
  async shelters(filter: ShelterFilter, first: number | null | undefined, after: string | null | undefined) {
    const { region, operatorId, service, targetGroup } = filter;
    const listing = shelterListingEntity;
    const key = operatorId
      ? listing.operator(operatorId)
      : region
        ? listing.region(region)
        : service
          ? listing.service(service)
          : targetGroup
            ? listing.targetGroup(targetGroup)
            : listing.all;
    const conditions: string[] = [];
    const values: Record<string, unknown> = {};
    if (region && key !== listing.region(region)) {
      conditions.push('#region = :region');
      values[':region'] = region;
    }
    if (service && key !== listing.service(service)) {
      conditions.push('contains(services, :service)');
      values[':service'] = service;
    }
    if (targetGroup && key !== listing.targetGroup(targetGroup)) {
      conditions.push('contains(targetGroups, :target)');
      values[':target'] = targetGroup;
    }
    const page = await queryPage(this.db, {
      table: 'shelters',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': key },
      ...(conditions.includes('#region = :region') ? { names: { '#region': 'region' } } : {}),
      forward: true,
      scope: `shelters:${JSON.stringify([region, operatorId, service, targetGroup])}`,
      first,
      after,
      ...(conditions.length > 0 ? { filter: { expression: conditions.join(' AND '), values } } : {}),
      parse: listing.shelterIdOf,
    });
    const profiles = await Promise.all(page.items.map((e) => this.shelter(e.node)));
    return {
      hasNextPage: page.hasNextPage,
      items: page.items.flatMap((e, i) => {
        const node = profiles[i];
        return node ? [{ node, cursor: e.cursor }] : [];
      }),
    };
  }

  /** A page of a shelter's reports in a date range, newest first. */
  capacityReports(shelterId: string, from: string, to: string, first: number | null | undefined, after: string | null | undefined) {
    const start = capacityReportEntity.key(shelterId, from);
    return queryPage(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': start.pk, ':from': start.sk, ':to': capacityReportEntity.key(shelterId, to).sk },
      forward: false,
      scope: `capacity:${shelterId}:${from}:${to}`,
      first,
      after,
      parse: capacityReportEntity.parse,
    });
  }

  /** A region's rollups between two periods: one Query, however many shelters report. */
  regionRollups(region: string, granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    return queryAll(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': capacityRollupEntity.regionPk(region, granularity), ':from': fromPeriod, ':to': toPeriod },
      forward: true,
      parse: capacityRollupEntity.parse,
    });
  }

  /**
   * Every region's rollups between two periods, in one Query: the country's figure of a period is
   * their sum, and its suppression depends on theirs. Its size is bounded by the periods and the
   * counties, never by the number of shelters or reports.
   */
  allRegionRollups(granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    const from = capacityRollupEntity.regionsKey(granularity, fromPeriod, '');
    return queryAll(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': from.pk, ':from': from.sk, ':to': `${toPeriod}#\uffff` },
      forward: true,
      parse: capacityRollupEntity.parse,
    });
  }

  /** One shelter's last report per period between two periods: its own timeline. */
  async lastReports(shelterId: string, granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    const items = await queryAll(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: {
        ':pk': lastReportEntity.key(shelterId, granularity, fromPeriod).pk,
        ':from': lastReportEntity.key(shelterId, granularity, fromPeriod).sk,
        ':to': lastReportEntity.key(shelterId, granularity, toPeriod).sk,
      },
      forward: true,
      parse: lastReportEntity.parse,
    });
    return items.map((i) => ({ period: i.period, capacity: i.capacity, occupied: i.occupied, reportingShelters: 1 }));
  }

  /** Everything a report for a day must check, in one batch: every key follows from the shelter and the day. */
  async reportState(shelterId: string, date: string): Promise<ReportState> {
    const [shelter, previous, ...lasts] = await Promise.all([
      this.shelter(shelterId),
      loadItem(this.db, 'shelters', capacityReportEntity.key(shelterId, date), capacityReportEntity.parse),
      ...granularities.map((g) =>
        loadItem(this.db, 'shelters', lastReportEntity.key(shelterId, g, periodOf(date, g)), lastReportEntity.parse),
      ),
    ]);
    return { shelter, previous, lasts: new Map(granularities.map((g, i) => [g, lasts[i]])) };
  }

  async register(shelter: ShelterRecord, actor: Viewer): Promise<ShelterRecord> {
    await transact(this.db, [
      ...shelterEntity.register(shelter),
      ...this.audit.entry({
        action: 'registerShelter',
        entityId: shelter.id,
        actor,
        before: null,
        after: auditFields(shelter),
        ownerAgencyIds: [shelter.operatorId],
        confidential: CONFIDENTIAL_FIELDS,
        at: shelter.updatedAt,
      }),
    ]);
    return shelter;
  }

  /** Replaces a shelter's profile read at `expectedVersion`, and its listing items. */
  async update(current: ShelterRecord, next: ShelterRecord, expectedVersion: number, actor: Viewer): Promise<ShelterRecord> {
    await transact(
      this.db,
      [
        ...shelterEntity.update(current, next, expectedVersion),
        ...this.audit.entry({
          action: 'updateShelter',
          entityId: next.id,
          actor,
          before: auditFields(current),
          after: auditFields(next),
          ownerAgencyIds: [next.operatorId],
          confidential: CONFIDENTIAL_FIELDS,
          at: next.updatedAt,
        }),
      ],
      [{ table: 'shelters', item: shelterEntity.toItem(next) }],
    );
    return next;
  }

  /**
   * Stores a shelter's report for a day, replacing an earlier one for that day, and moves what it
   * changes in the same transaction: the profile's latest report, the shelter's last report of each
   * month, quarter and year, and the region's rollups of those periods, by the difference from what
   * they held. Every read it computed from is a condition, so a racing report makes this one fail
   * (and the caller retry from a fresh read) instead of counting twice.
   */
  async reportCapacity(
    state: ReportState & { readonly shelter: ShelterRecord },
    figures: Omit<CapacityFigures, 'revision'>,
    actor: Viewer,
    at: string,
    provenance: Provenance = apiProvenance(at),
  ): Promise<{ report: CapacityReportRecord; shelter: ShelterRecord }> {
    const { shelter, previous } = state;
    const report: CapacityReportRecord = {
      ...figures,
      provenance,
      revision: (previous?.revision ?? 0) + 1,
      shelterId: shelter.id,
      operatorId: shelter.operatorId,
      reportedAt: at,
    };
    const items: TxItem[] = [capacityReportEntity.put(report, previous), shelterEntity.reportOn(shelter, report)];
    for (const granularity of granularities) items.push(...this.periodMoves(shelter, granularity, report, state.lasts.get(granularity)));
    items.push(
      ...this.audit.entry({
        action: 'reportCapacity',
        entityId: shelter.id,
        actor,
        before: previous ? { date: previous.date, capacity: previous.capacity, occupied: previous.occupied } : null,
        after: { date: report.date, capacity: report.capacity, occupied: report.occupied },
        ownerAgencyIds: [shelter.operatorId],
        // The coordinator reads every audit entry but may not see exact low occupancy: the diff marks it, changed or not.
        confidential: ['occupied'],
        // The day and the capacity (exact and public: docs/privacy.md), never the occupancy.
        facts: { date: report.date, capacity: report.capacity },
        at,
      }),
    );
    const after = shelterEntity.afterReport(shelter, report);
    await transact(this.db, items, [{ table: 'shelters', item: shelterEntity.toItem(after) }]);
    return { report, shelter: after };
  }

  /** The period's last report and its rollups, when this report is (still) the period's last. */
  private periodMoves(
    shelter: ShelterRecord,
    granularity: Granularity,
    report: CapacityReportRecord,
    last: LastReport | undefined,
  ): TxItem[] {
    // An earlier day than the period's last report changes nothing the timeline shows.
    if (last && report.date < last.date) return [];
    const period = periodOf(report.date, granularity);
    const next: LastReport = { period, date: report.date, capacity: report.capacity, occupied: report.occupied, revision: report.revision };
    return [
      lastReportEntity.put(shelter.id, granularity, next, last),
      ...capacityRollupEntity.move(shelter.region, granularity, period, rollupDelta(last, next, rollupRules(this.db.config, shelter))),
    ];
  }

  /** Appends the audit entry of one read of a shelter's address (the reads of one list share one transaction). */
  auditAddressRead(shelter: ShelterRecord, actor: Viewer): Promise<void> {
    return this.audit.appendRead({
      action: 'readAddress',
      entityId: shelter.id,
      actor,
      before: null,
      after: null,
      ownerAgencyIds: [shelter.operatorId],
      at: new Date().toISOString(),
    });
  }
}
