import { Fields, type Item, keyOf, type TxItem } from '../../shared/entity.js';
import { type CapacityFigures, type Granularity, granularities } from '../shelters.model.js';
import { readFigures, shelterEntity } from './shelter.js';

export interface LastReport extends CapacityFigures {
  readonly period: string;
}

/**
 * A shelter's last report within one month, quarter or year (`SHELTER#<id>` / `LAST#<granularity>#<period>`):
 * what the timelines sum, and the shelter's own timeline.
 */
export const lastReportEntity = {
  table: 'shelters',
  key: (shelterId: string, granularity: Granularity, period: string) => ({
    pk: `SHELTER#${shelterId}`,
    sk: `LAST#${granularity}#${period}`,
  }),

  toItem(shelterId: string, granularity: Granularity, r: LastReport): Item {
    return {
      ...lastReportEntity.key(shelterId, granularity, r.period),
      period: r.period,
      date: r.date,
      capacity: r.capacity,
      occupied: r.occupied,
      revision: r.revision,
    };
  },

  /** The shelter and granularity of a stored last-report item; undefined for any other item. */
  whose(item: Item): { readonly shelterId: string; readonly granularity: Granularity } | undefined {
    const { pk, sk } = keyOf(item);
    const granularity = granularities.find((g) => sk.startsWith(`LAST#${g}#`));
    return pk.startsWith('SHELTER#') && granularity ? { shelterId: pk.slice('SHELTER#'.length), granularity } : undefined;
  },

  parse(item: Item): LastReport {
    return { ...readFigures(new Fields(item, 'last report')), period: new Fields(item, 'last report').string('period') };
  },

  /** Makes a report the period's last, replacing exactly the one read (or none). */
  put(shelterId: string, granularity: Granularity, next: LastReport, read: LastReport | undefined): TxItem {
    return {
      table: 'shelters',
      op: {
        Put: {
          Item: lastReportEntity.toItem(shelterId, granularity, next),
          ...(read
            ? {
                ConditionExpression: '#date = :date AND revision = :rev',
                ExpressionAttributeNames: { '#date': 'date' },
                ExpressionAttributeValues: { ':date': read.date, ':rev': read.revision },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      onConditionFailed: shelterEntity.stale,
    };
  },
} as const;
