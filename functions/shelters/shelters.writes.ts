import { AuditRepository } from '../audit/audit.repository.js';
import { type Db, loadItem, tableName, withoutKeys } from '../shared/db.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { type TxItem, transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import {
  type CapacityFigures,
  type CapacityReportRecord,
  capacityReportKey,
  granularities,
  lastReportKey,
  listingItems,
  listingKeys,
  periodOf,
  regionRollupPk,
  regionsRollupKey,
  rollupDelta,
  type ShelterRecord,
  shelterKey,
} from './shelters.model.js';

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

const stale = () => new ConflictError('The shelter changed while this was being stored; please retry.', { retryable: true });

/** Writes of the shelters table, each one transaction with its listing items, rollups and audit entry. */
export class ShelterWrites {
  private readonly audit: AuditRepository;

  constructor(private readonly db: Db) {
    this.audit = new AuditRepository(db);
  }

  private get table() {
    return tableName(this.db, 'shelters');
  }

  private listingItems(s: ShelterRecord): TxItem[] {
    return listingItems(s).map((Item) => ({ item: { Put: { TableName: this.table, Item } } }));
  }

  async register(shelter: ShelterRecord, actor: Viewer): Promise<ShelterRecord> {
    await transact(this.db, [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: { ...withoutKeys(shelter), ...shelterKey(shelter.id) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () => new ConflictError(`A shelter with id ${shelter.id} exists.`),
      },
      ...this.listingItems(shelter),
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
    const oldKeys = listingKeys(current);
    const newKeys = new Set(listingKeys(next));
    await transact(this.db, [
      {
        item: {
          // The profile's fields only: `latest` belongs to capacity reports, which do not bump the version,
          // so a Put of the profile as read could put back an older report.
          Update: {
            TableName: this.table,
            Key: shelterKey(next.id),
            UpdateExpression:
              'SET #name = :name, municipality = :municipality, address = :address, targetGroups = :targets, services = :services, measureIds = :measures, version = :version, updatedAt = :at',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: {
              ':name': next.name,
              ':municipality': next.municipality,
              ':address': next.address,
              ':targets': next.targetGroups,
              ':services': next.services,
              ':measures': next.measureIds,
              ':version': next.version,
              ':at': next.updatedAt,
              ':expected': expectedVersion,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        onConditionFailed: (stored) =>
          stored
            ? new ConflictError(`The shelter has changed since version ${expectedVersion}; it is now at version ${stored.version}.`, {
                field: 'expectedVersion',
                currentVersion: stored.version,
              })
            : new NotFoundError(`There is no shelter ${next.id}.`, 'id'),
      },
      ...oldKeys
        .filter((k) => !newKeys.has(k))
        .map((k): TxItem => ({ item: { Delete: { TableName: this.table, Key: { pk: `SHELTER#${next.id}`, sk: `LIST#${k}` } } } })),
      ...this.listingItems(next),
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
    ]);
    return next;
  }

  /**
   * Stores a shelter's report for a day, replacing an earlier one for that day, and moves what it
   * changes in the same transaction: the profile's latest report, the shelter's last report of each
   * month, quarter and year, and the country's and region's rollups of those periods, by the
   * difference from what they held. Every read it computed from is a condition, so a racing report
   * makes this one fail (and the caller retry from a fresh read) instead of counting twice.
   */
  async reportCapacity(
    shelter: ShelterRecord,
    figures: Omit<CapacityFigures, 'revision'>,
    actor: Viewer,
    at: string,
  ): Promise<CapacityReportRecord> {
    const previous = await loadItem<CapacityReportRecord>(this.db, 'shelters', capacityReportKey(shelter.id, figures.date));
    const report: CapacityReportRecord = {
      ...figures,
      revision: (previous?.revision ?? 0) + 1,
      shelterId: shelter.id,
      operatorId: shelter.operatorId,
      reportedAt: at,
    };
    const items: TxItem[] = [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: { ...capacityReportKey(shelter.id, figures.date), ...report },
            ...(previous
              ? { ConditionExpression: 'revision = :rev', ExpressionAttributeValues: { ':rev': previous.revision } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        onConditionFailed: stale,
      },
    ];

    const latest = shelter.latest;
    const becomesLatest = !latest || figures.date >= latest.date;
    items.push({
      item: becomesLatest
        ? {
            Update: {
              TableName: this.table,
              Key: shelterKey(shelter.id),
              UpdateExpression: 'SET latest = :latest',
              ConditionExpression: `operatorId = :operator AND ${latest ? 'latest.#date = :readDate AND latest.revision = :readRev' : 'attribute_not_exists(latest)'}`,
              ExpressionAttributeNames: latest ? { '#date': 'date' } : undefined,
              ExpressionAttributeValues: {
                ':latest': { date: report.date, capacity: report.capacity, occupied: report.occupied, revision: report.revision },
                ':operator': shelter.operatorId,
                ...(latest ? { ':readDate': latest.date, ':readRev': latest.revision } : {}),
              },
            },
          }
        : {
            ConditionCheck: {
              TableName: this.table,
              Key: shelterKey(shelter.id),
              ConditionExpression: 'operatorId = :operator',
              ExpressionAttributeValues: { ':operator': shelter.operatorId },
            },
          },
      onConditionFailed: stale,
    });

    for (const granularity of granularities) {
      const period = periodOf(figures.date, granularity);
      const key = lastReportKey(shelter.id, granularity, period);
      const last = await loadItem<CapacityFigures>(this.db, 'shelters', key);
      // An earlier day than the period's last report changes nothing the timeline shows.
      if (last && figures.date < last.date) continue;
      items.push({
        item: {
          Put: {
            TableName: this.table,
            Item: { ...key, period, date: report.date, capacity: report.capacity, occupied: report.occupied, revision: report.revision },
            ...(last
              ? {
                  ConditionExpression: '#date = :date AND revision = :rev',
                  ExpressionAttributeNames: { '#date': 'date' },
                  ExpressionAttributeValues: { ':date': last.date, ':rev': last.revision },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        onConditionFailed: stale,
      });
      const delta = rollupDelta(last, report, this.db.config.suppressionThreshold);
      for (const key of [
        { pk: regionRollupPk(shelter.region, granularity), sk: period },
        regionsRollupKey(granularity, period, shelter.region),
      ]) {
        items.push({
          item: {
            Update: {
              TableName: this.table,
              Key: key,
              UpdateExpression:
                'SET #period = :period, #region = :region ADD #capacity :c, #occupied :o, reportingShelters :n, smallShelters :sn, smallOccupied :so',
              // Several of these names are DynamoDB reserved words.
              ExpressionAttributeNames: { '#period': 'period', '#region': 'region', '#capacity': 'capacity', '#occupied': 'occupied' },
              ExpressionAttributeValues: {
                ':period': period,
                ':region': shelter.region,
                ':c': delta.capacity,
                ':o': delta.occupied,
                ':n': delta.reportingShelters,
                ':sn': delta.smallShelters,
                ':so': delta.smallOccupied,
              },
            },
          },
        });
      }
    }

    items.push(
      ...this.audit.entry({
        action: 'reportCapacity',
        entityId: shelter.id,
        actor,
        before: previous ? { date: previous.date, capacity: previous.capacity, occupied: previous.occupied } : null,
        after: { date: report.date, capacity: report.capacity, occupied: report.occupied },
        ownerAgencyIds: [shelter.operatorId],
        // The coordinator reads every audit entry but may not see exact low occupancy: the diff says it changed.
        confidential: ['occupied'],
        at,
      }),
    );
    await transact(this.db, items);
    return report;
  }

  /** Appends the audit entry of one read of a shelter's address. */
  async auditAddressRead(shelter: ShelterRecord, actor: Viewer): Promise<void> {
    await this.audit.append({
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
