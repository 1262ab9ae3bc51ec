import { Fields, type Item, type Key, keyOf, type TxItem } from '../../shared/entity.js';
import type { Granularity, RollupRecord, rollupDelta } from '../shelters.model.js';

type Delta = ReturnType<typeof rollupDelta>;

/**
 * The sums of one region for one period, kept twice: in the region's own partition
 * (`ROLLUP#REGION#<region>#<granularity>` / `<period>`), and in one partition of every region
 * (`ROLLUP#REGIONS#<granularity>` / `<period>#<region>`), whose Query is the country's timeline.
 */
export const capacityRollupEntity = {
  table: 'shelters',
  regionPk: (region: string, granularity: Granularity) => `ROLLUP#REGION#${region}#${granularity}`,
  regionKey: (region: string, granularity: Granularity, period: string) => ({
    pk: capacityRollupEntity.regionPk(region, granularity),
    sk: period,
  }),
  regionsPk: (granularity: Granularity) => `ROLLUP#REGIONS#${granularity}`,
  regionsKey: (granularity: Granularity, period: string, region: string) => ({
    pk: capacityRollupEntity.regionsPk(granularity),
    sk: `${period}#${region}`,
  }),

  parse(item: Item): RollupRecord {
    const f = new Fields(item, 'capacity rollup');
    const region = f.optionalString('region');
    return {
      period: f.string('period'),
      ...(region !== undefined ? { region } : {}),
      capacity: f.count('capacity'),
      occupied: f.count('occupied'),
      reportingShelters: f.count('reportingShelters'),
      smallShelters: f.count('smallShelters'),
      smallOccupied: f.count('smallOccupied'),
    };
  },

  /** Whether a stored item is a rollup (for the maintenance job that rebuilds them). */
  isRollup(item: Item): boolean {
    return keyOf(item).pk.startsWith('ROLLUP#');
  },

  /** Moves both copies of a region's rollup of a period by a report's difference (ADD: racing reports of other shelters both count). */
  move(region: string, granularity: Granularity, period: string, delta: Delta): TxItem[] {
    return [capacityRollupEntity.regionKey(region, granularity, period), capacityRollupEntity.regionsKey(granularity, period, region)].map(
      (Key): TxItem => ({
        table: 'shelters',
        op: {
          Update: {
            Key,
            UpdateExpression:
              'SET #period = :period, #region = :region ADD #capacity :c, #occupied :o, reportingShelters :n, smallShelters :sn, smallOccupied :so',
            // Several of these names are DynamoDB reserved words.
            ExpressionAttributeNames: { '#period': 'period', '#region': 'region', '#capacity': 'capacity', '#occupied': 'occupied' },
            ExpressionAttributeValues: {
              ':period': period,
              ':region': region,
              ':c': delta.capacity,
              ':o': delta.occupied,
              ':n': delta.reportingShelters,
              ':sn': delta.smallShelters,
              ':so': delta.smallOccupied,
            },
          },
        },
      }),
    );
  },
} as const;

/** Rollups summed in memory, for loaders that build them in bulk (the synthetic set, the rebuild job): the items the reports' transactions would leave. */
export class CapacityRollupSums {
  private readonly sums = new Map<string, { key: Key; record: RollupRecord }>();

  add(region: string, granularity: Granularity, period: string, delta: Delta): void {
    for (const key of [
      capacityRollupEntity.regionKey(region, granularity, period),
      capacityRollupEntity.regionsKey(granularity, period, region),
    ]) {
      const id = `${key.pk}\u0000${key.sk}`;
      const r = this.sums.get(id)?.record ?? {
        period,
        region,
        capacity: 0,
        occupied: 0,
        reportingShelters: 0,
        smallShelters: 0,
        smallOccupied: 0,
      };
      this.sums.set(id, {
        key,
        record: {
          ...r,
          capacity: r.capacity + delta.capacity,
          occupied: r.occupied + delta.occupied,
          reportingShelters: r.reportingShelters + delta.reportingShelters,
          smallShelters: (r.smallShelters ?? 0) + delta.smallShelters,
          smallOccupied: (r.smallOccupied ?? 0) + delta.smallOccupied,
        },
      });
    }
  }

  has(key: Key): boolean {
    return this.sums.has(`${key.pk}\u0000${key.sk}`);
  }

  items(): Item[] {
    return [...this.sums.values()].map(({ key, record }) => ({ ...key, ...record }));
  }
}
