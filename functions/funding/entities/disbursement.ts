import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { DisbursementRecord } from '../funding.model.js';

/** A payment against an allocation (`ALLOC#<allocationId>` / `DISB#<date>#<id>`): in date order within its allocation. */
export const disbursementEntity = {
  table: 'funding',
  key: (allocationId: string, date: string, id: string) => ({ pk: `ALLOC#${allocationId}`, sk: `DISB#${date}#${id}` }),

  /** The id an idempotency record keeps to find the disbursement again: "<allocationId>|<sort key>". */
  resultId: (d: DisbursementRecord) => `${d.allocationId}|${disbursementEntity.key(d.allocationId, d.date, d.id).sk}`,
  keyOfResultId(resultId: string) {
    const [allocationId, sk] = resultId.split('|');
    if (!allocationId || !sk) throw new Error('Malformed disbursement result id');
    return { pk: `ALLOC#${allocationId}`, sk };
  },

  toItem(d: DisbursementRecord): Item {
    return {
      ...disbursementEntity.key(d.allocationId, d.date, d.id),
      id: d.id,
      allocationId: d.allocationId,
      date: d.date,
      amountOre: d.amountOre,
      createdAt: d.createdAt,
      ...provenanceAttribute(d.provenance),
    };
  },

  parse(item: Item): DisbursementRecord {
    const f = new Fields(item, 'disbursement');
    return {
      id: f.string('id'),
      allocationId: f.string('allocationId'),
      date: f.string('date'),
      amountOre: f.ore('amountOre'),
      createdAt: f.string('createdAt'),
      ...readProvenance(f),
    };
  },

  create(d: DisbursementRecord): TxItem {
    return putNew('funding', disbursementEntity.toItem(d));
  },
} as const;
