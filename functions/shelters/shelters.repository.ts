import { type Db, loadItem, queryAll, queryPage } from '../shared/db.js';
import {
  type AssistanceService,
  type CapacityReportRecord,
  capacityReportKey,
  type Granularity,
  type RollupRecord,
  regionRollupPk,
  regionsRollupKey,
  type ShelterRecord,
  shelterKey,
  type TargetGroup,
} from './shelters.model.js';

export interface ShelterFilter {
  readonly region?: string | null;
  readonly operatorId?: string | null;
  readonly service?: AssistanceService | null;
  readonly targetGroup?: TargetGroup | null;
}

interface ListingItem {
  readonly shelterId: string;
}

/** Reads of the shelters table. */
export class SheltersRepository {
  constructor(private readonly db: Db) {}

  shelter(id: string): Promise<ShelterRecord | undefined> {
    return loadItem<ShelterRecord>(this.db, 'shelters', shelterKey(id));
  }

  /**
   * A page of shelters by name. The most selective listing key the filter names picks the index
   * partition; the filter's other fields are a FilterExpression on the listing items, which carry
   * them for that purpose. The profiles of the page then come in one batch.
   */
  async shelters(filter: ShelterFilter, first: number | null | undefined, after: string | null | undefined) {
    const { region, operatorId, service, targetGroup } = filter;
    const key = operatorId
      ? `OPERATOR#${operatorId}`
      : region
        ? `REGION#${region}`
        : service
          ? `SERVICE#${service}`
          : targetGroup
            ? `TARGET#${targetGroup}`
            : 'SHELTERS';
    const conditions: string[] = [];
    const values: Record<string, unknown> = {};
    if (region && !key.startsWith('REGION#')) {
      conditions.push('#region = :region');
      values[':region'] = region;
    }
    if (service && !key.startsWith('SERVICE#')) {
      conditions.push('contains(services, :service)');
      values[':service'] = service;
    }
    if (targetGroup && !key.startsWith('TARGET#')) {
      conditions.push('contains(targetGroups, :target)');
      values[':target'] = targetGroup;
    }
    const page = await queryPage<ListingItem>(this.db, {
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
    });
    const profiles = await Promise.all(page.items.map((e) => this.shelter(e.node.shelterId)));
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
    return queryPage<CapacityReportRecord>(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': `SHELTER#${shelterId}`, ':from': capacityReportKey(shelterId, from).sk, ':to': capacityReportKey(shelterId, to).sk },
      forward: false,
      scope: `capacity:${shelterId}:${from}:${to}`,
      first,
      after,
    });
  }

  /** A region's rollups between two periods: one Query, however many shelters report. */
  regionRollups(region: string, granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    return queryAll<RollupRecord>(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': regionRollupPk(region, granularity), ':from': fromPeriod, ':to': toPeriod },
      forward: true,
    });
  }

  /**
   * Every region's rollups between two periods, in one Query: the country's figure of a period is
   * their sum, and its suppression depends on theirs. Its size is bounded by the periods and the
   * counties, never by the number of shelters or reports.
   */
  allRegionRollups(granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    const from = regionsRollupKey(granularity, fromPeriod, '');
    return queryAll<RollupRecord>(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': from.pk, ':from': from.sk, ':to': `${toPeriod}#\uffff` },
      forward: true,
    });
  }

  /** One shelter's last report per period between two periods: its own timeline. */
  async lastReports(shelterId: string, granularity: Granularity, fromPeriod: string, toPeriod: string): Promise<RollupRecord[]> {
    const items = await queryAll<CapacityReportRecord & { period: string }>(this.db, {
      table: 'shelters',
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': `SHELTER#${shelterId}`, ':from': `LAST#${granularity}#${fromPeriod}`, ':to': `LAST#${granularity}#${toPeriod}` },
      forward: true,
    });
    return items.map((i) => ({ period: i.period, capacity: i.capacity, occupied: i.occupied, reportingShelters: 1 }));
  }
}
