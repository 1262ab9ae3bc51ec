import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { DisbursementRecord } from '../funding.model.js';

/**
 * The index and partition of each disbursement list beside its allocation's own partition, in date
 * order (sort key `<date>#<id>`): by fiscal year (the year of its date, which lies in its line's year)
 * and, sparse, by the allocation's recipient.
 */
/** A list of disbursements: of an allocation (its own partition), or of a recipient or a fiscal year (indexes). */
export type DisbursementListKey =
  | { readonly by: 'allocationId' | 'recipientAgencyId'; readonly id: string }
  | { readonly by: 'fiscalYear'; readonly year: number };

export const disbursementLists = {
  fiscalYear: { index: 'gsi2', pk: (year: number) => `YEAR#${year}#DISB` },
  recipientAgencyId: { index: 'gsi4', pk: (id: string) => `AGENCY#${id}#DISB` },
} as const;

/** The index keys a disbursement is listed under; the migration `funding-indexes` adds them to items stored before. */
export function disbursementIndexKeys(d: Pick<DisbursementRecord, 'id' | 'date'>, recipientId: string | null): Item {
  const sk = `${d.date}#${d.id}`;
  return {
    gsi2pk: disbursementLists.fiscalYear.pk(Number(d.date.slice(0, 4))),
    gsi2sk: sk,
    ...(recipientId ? { gsi4pk: disbursementLists.recipientAgencyId.pk(recipientId), gsi4sk: sk } : {}),
  };
}

/** A payment against an allocation (`ALLOC#<allocationId>` / `DISB#<date>#<id>`): in date order within its allocation. */
export const disbursementEntity = {
  table: 'funding',
  key: (allocationId: string, date: string, id: string) => ({ pk: `ALLOC#${allocationId}`, sk: `DISB#${date}#${id}` }),
  isDisbursement: (item: Item) =>
    typeof item.pk === 'string' && item.pk.startsWith('ALLOC#') && typeof item.sk === 'string' && item.sk.startsWith('DISB#'),

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
      ...disbursementIndexKeys(d, d.recipientId),
      id: d.id,
      ...(d.recipientId ? { recipientId: d.recipientId } : {}),
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
      recipientId: f.nullableString('recipientId'),
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
