import { Fields, type Item, type TxItem } from '../../shared/entity.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { CapacityReportRecord } from '../shelters.model.js';
import { shelterEntity } from './shelter.js';

/** A shelter's report for one day (`SHELTER#<id>` / `CAP#<date>`: a date range is a key range, read newest first). */
export const capacityReportEntity = {
  table: 'shelters',
  key: (shelterId: string, date: string) => ({ pk: `SHELTER#${shelterId}`, sk: `CAP#${date}` }),

  toItem(r: CapacityReportRecord): Item {
    return {
      ...capacityReportEntity.key(r.shelterId, r.date),
      date: r.date,
      capacity: r.capacity,
      occupied: r.occupied,
      revision: r.revision,
      shelterId: r.shelterId,
      operatorId: r.operatorId,
      reportedAt: r.reportedAt,
      ...provenanceAttribute(r.provenance),
    };
  },

  parse(item: Item): CapacityReportRecord {
    const f = new Fields(item, 'capacity report');
    return {
      date: f.string('date'),
      capacity: f.int('capacity'),
      occupied: f.int('occupied'),
      revision: f.int('revision'),
      shelterId: f.string('shelterId'),
      operatorId: f.string('operatorId'),
      reportedAt: f.string('reportedAt'),
      ...readProvenance(f),
    };
  },

  /** Stores a report, replacing exactly the revision read for its day (or none): a second report for a day serializes on it. */
  put(report: CapacityReportRecord, previous: CapacityReportRecord | undefined): TxItem {
    return {
      table: 'shelters',
      op: {
        Put: {
          Item: capacityReportEntity.toItem(report),
          ...(previous
            ? { ConditionExpression: 'revision = :rev', ExpressionAttributeValues: { ':rev': previous.revision } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      onConditionFailed: shelterEntity.stale,
    };
  },
} as const;
