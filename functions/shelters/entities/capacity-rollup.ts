import { Fields, type Item, type Key, keyOf, type TxItem } from '../../shared/entity.js';
import type { Granularity, OwnPart, RollupRecord, rollupDelta } from '../shelters.model.js';

type Delta = ReturnType<typeof rollupDelta>;

/**
 * An operating agency's part of a rollup lives in top-level attributes named after it (`own#<agencyId>#occupied`,
 * …), because ADD creates a missing top-level attribute but not a missing map's entry: the first report of an
 * agency's shelter in a region and period needs no read. Agency ids are lower-case letters, digits and dashes.
 */
const OWN = 'own#';
const ownFields = ['capacity', 'occupied', 'perturbedOccupied', 'reportingShelters', 'smallShelters'] as const;
const ownAttribute = (agencyId: string, field: (typeof ownFields)[number]) => `${OWN}${agencyId}#${field}`;

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
      inventedShelters: f.count('inventedShelters'),
      smallShelters: f.count('smallShelters'),
      smallOccupied: f.count('smallOccupied'),
      perturbedOccupied: f.int('perturbedOccupied'),
      own: capacityRollupEntity.ownParts(item),
    };
  },

  /** The per-agency parts of a stored rollup item. */
  ownParts(item: Item): Record<string, OwnPart> {
    const f = new Fields(item, 'capacity rollup');
    const agencies = new Set(
      Object.keys(item)
        .filter((name) => name.startsWith(OWN))
        .map((name) => name.slice(OWN.length, name.lastIndexOf('#'))),
    );
    return Object.fromEntries(
      [...agencies].map((a) => [
        a,
        {
          capacity: f.int(ownAttribute(a, 'capacity')),
          occupied: f.count(ownAttribute(a, 'occupied')),
          perturbedOccupied: f.int(ownAttribute(a, 'perturbedOccupied')),
          reportingShelters: f.count(ownAttribute(a, 'reportingShelters')),
          smallShelters: f.count(ownAttribute(a, 'smallShelters')),
        },
      ]),
    );
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
              'SET #period = :period, #region = :region ADD #capacity :c, #occupied :o, reportingShelters :n, inventedShelters :iv, smallShelters :sn, smallOccupied :so, perturbedOccupied :p, #ownCapacity :c, #ownOccupied :o, #ownPerturbed :p, #ownShelters :n, #ownSmall :sn',
            // Several of these names are DynamoDB reserved words; the agency's part has names of its own.
            ExpressionAttributeNames: {
              '#period': 'period',
              '#region': 'region',
              '#capacity': 'capacity',
              '#occupied': 'occupied',
              '#ownCapacity': ownAttribute(delta.operatorId, 'capacity'),
              '#ownOccupied': ownAttribute(delta.operatorId, 'occupied'),
              '#ownPerturbed': ownAttribute(delta.operatorId, 'perturbedOccupied'),
              '#ownShelters': ownAttribute(delta.operatorId, 'reportingShelters'),
              '#ownSmall': ownAttribute(delta.operatorId, 'smallShelters'),
            },
            ExpressionAttributeValues: {
              ':period': period,
              ':region': region,
              ':c': delta.capacity,
              ':o': delta.occupied,
              ':n': delta.reportingShelters,
              ':iv': delta.inventedShelters,
              ':sn': delta.smallShelters,
              ':so': delta.smallOccupied,
              ':p': delta.perturbedOccupied,
            },
          },
        },
      }),
    );
  },
} as const;

/** Rollups summed in memory, for loaders that build them in bulk (the synthetic set, the rebuild job): the items the reports' transactions would leave. */
export class CapacityRollupSums {
  private readonly sums = new Map<string, { key: Key; record: Required<Omit<RollupRecord, 'own'>>; own: Map<string, OwnPart> }>();

  add(region: string, granularity: Granularity, period: string, delta: Delta): void {
    for (const key of [
      capacityRollupEntity.regionKey(region, granularity, period),
      capacityRollupEntity.regionsKey(granularity, period, region),
    ]) {
      const id = `${key.pk}\u0000${key.sk}`;
      const seen = this.sums.get(id);
      const r = seen?.record ?? {
        period,
        region,
        capacity: 0,
        occupied: 0,
        reportingShelters: 0,
        inventedShelters: 0,
        smallShelters: 0,
        smallOccupied: 0,
        perturbedOccupied: 0,
      };
      const own = seen?.own ?? new Map<string, OwnPart>();
      const o = own.get(delta.operatorId) ?? { capacity: 0, occupied: 0, perturbedOccupied: 0, reportingShelters: 0, smallShelters: 0 };
      own.set(delta.operatorId, {
        capacity: o.capacity + delta.capacity,
        occupied: o.occupied + delta.occupied,
        perturbedOccupied: o.perturbedOccupied + delta.perturbedOccupied,
        reportingShelters: o.reportingShelters + delta.reportingShelters,
        smallShelters: o.smallShelters + delta.smallShelters,
      });
      this.sums.set(id, {
        key,
        own,
        record: {
          ...r,
          capacity: r.capacity + delta.capacity,
          occupied: r.occupied + delta.occupied,
          reportingShelters: r.reportingShelters + delta.reportingShelters,
          inventedShelters: r.inventedShelters + delta.inventedShelters,
          smallShelters: r.smallShelters + delta.smallShelters,
          smallOccupied: r.smallOccupied + delta.smallOccupied,
          perturbedOccupied: r.perturbedOccupied + delta.perturbedOccupied,
        },
      });
    }
  }

  has(key: Key): boolean {
    return this.sums.has(`${key.pk}\u0000${key.sk}`);
  }

  items(): Item[] {
    return [...this.sums.values()].map(({ key, record, own }) => ({
      ...key,
      ...record,
      ...Object.fromEntries(
        [...own].flatMap(([agencyId, part]) => ownFields.map((field) => [ownAttribute(agencyId, field), part[field]] as const)),
      ),
    }));
  }
}
