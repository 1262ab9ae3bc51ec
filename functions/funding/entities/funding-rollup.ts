import { Fields, type Item, type TxItem } from '../../shared/entity.js';
import type { FundingGroupBy, FundingTotalsRecord, Group, SummaryRecord } from '../funding.model.js';

/**
 * Funding totals, moved by ADD in the transaction of each allocation and disbursement: one item per
 * plan, grouping, fiscal year (or ALL) and group (`SUMMARY#<plan>#<groupBy>#<year|ALL>` / `<group key>`),
 * so a summary is one Query; and one per shelter (`TOTAL#SHELTER#<id>` / `ALL`).
 */
export const fundingRollupEntity = {
  table: 'funding',
  summaryPk: (planId: string, groupBy: FundingGroupBy, fiscalYear: number | null) => `SUMMARY#${planId}#${groupBy}#${fiscalYear ?? 'ALL'}`,
  summaryKey: (planId: string, groupBy: FundingGroupBy, fiscalYear: number | null, key: string) => ({
    pk: fundingRollupEntity.summaryPk(planId, groupBy, fiscalYear),
    sk: key,
  }),
  shelterKey: (shelterId: string) => ({ pk: `TOTAL#SHELTER#${shelterId}`, sk: 'ALL' }),
  /**
   * A year's summary items of one grouping are also listed in gsi1 under `MATRIX#<plan>#<groupBy>`,
   * sorted by `<year>#<key>`, so that a funding matrix (every year of a grouping) is one Query.
   */
  matrixPk: (planId: string, groupBy: FundingGroupBy) => `MATRIX#${planId}#${groupBy}`,
  matrixKeys: (planId: string, groupBy: FundingGroupBy, fiscalYear: number | null, key: string) =>
    fiscalYear === null ? {} : { gsi1pk: fundingRollupEntity.matrixPk(planId, groupBy), gsi1sk: `${fiscalYear}#${key}` },

  parseSummary(item: Item): SummaryRecord {
    const f = new Fields(item, 'funding summary');
    return {
      key: f.string('key'),
      label: f.string('label'),
      fiscalYear: f.nullableInt('fiscalYear'),
      ...(f.has('appropriatedOre') ? { appropriatedOre: f.ore('appropriatedOre') } : {}),
      allocatedOre: f.ore('allocatedOre'),
      disbursedOre: f.ore('disbursedOre'),
      inventedOre: f.ore('inventedOre'),
    };
  },

  parseTotals(item: Item): FundingTotalsRecord {
    const f = new Fields(item, 'funding totals');
    return {
      ...(f.has('appropriatedOre') ? { appropriatedOre: f.ore('appropriatedOre') } : {}),
      allocatedOre: f.ore('allocatedOre'),
      disbursedOre: f.ore('disbursedOre'),
      inventedOre: f.ore('inventedOre'),
    };
  },

  /** The item of a summary group holding given totals, for loaders that build rollups in bulk and for answers. */
  summaryItem(planId: string, group: Group, fiscalYear: number | null, totals: FundingTotalsRecord): Item {
    return {
      ...fundingRollupEntity.summaryKey(planId, group.groupBy, fiscalYear, group.key),
      ...fundingRollupEntity.matrixKeys(planId, group.groupBy, fiscalYear, group.key),
      key: group.key,
      label: group.label,
      fiscalYear,
      ...(totals.appropriatedOre !== undefined ? { appropriatedOre: totals.appropriatedOre } : {}),
      allocatedOre: totals.allocatedOre,
      disbursedOre: totals.disbursedOre,
      ...(totals.inventedOre ? { inventedOre: totals.inventedOre } : {}),
    };
  },

  shelterItem(shelterId: string, totals: FundingTotalsRecord): Item {
    return {
      ...fundingRollupEntity.shelterKey(shelterId),
      allocatedOre: totals.allocatedOre,
      disbursedOre: totals.disbursedOre,
      ...(totals.inventedOre ? { inventedOre: totals.inventedOre } : {}),
    };
  },

  /**
   * Moves the totals of every group an allocation counts under, for its fiscal year and for all
   * years, and its shelter's. An allocation sets each group's label as it is now; a disbursement
   * keeps the label an allocation set (it carries the allocation's labels, which may be older).
   */
  move(
    target: { readonly planId: string; readonly fiscalYear: number; readonly shelterId: string | null },
    groups: readonly Group[],
    delta: FundingTotalsRecord,
    labels: 'set' | 'keep',
  ): TxItem[] {
    const label = labels === 'set' ? 'label = :label' : 'label = if_not_exists(label, :label)';
    const items: TxItem[] = [];
    for (const year of [target.fiscalYear, null]) {
      for (const group of groups) {
        const matrix = fundingRollupEntity.matrixKeys(target.planId, group.groupBy, year, group.key);
        items.push({
          table: 'funding',
          op: {
            Update: {
              Key: fundingRollupEntity.summaryKey(target.planId, group.groupBy, year, group.key),
              UpdateExpression: `SET #key = :key, ${label}, fiscalYear = :year${'gsi1pk' in matrix ? ', gsi1pk = :mpk, gsi1sk = :msk' : ''} ADD allocatedOre :a, disbursedOre :d, inventedOre :i${delta.appropriatedOre !== undefined ? ', appropriatedOre :p' : ''}`,
              ExpressionAttributeNames: { '#key': 'key' },
              ExpressionAttributeValues: {
                ':key': group.key,
                ':label': group.label,
                ':year': year,
                ':a': delta.allocatedOre,
                ':d': delta.disbursedOre,
                ':i': delta.inventedOre ?? 0n,
                ...(delta.appropriatedOre !== undefined ? { ':p': delta.appropriatedOre } : {}),
                ...('gsi1pk' in matrix ? { ':mpk': matrix.gsi1pk, ':msk': matrix.gsi1sk } : {}),
              },
            },
          },
        });
      }
    }
    if (target.shelterId) {
      items.push({
        table: 'funding',
        op: {
          Update: {
            Key: fundingRollupEntity.shelterKey(target.shelterId),
            UpdateExpression: 'ADD allocatedOre :a, disbursedOre :d, inventedOre :i',
            ExpressionAttributeValues: { ':a': delta.allocatedOre, ':d': delta.disbursedOre, ':i': delta.inventedOre ?? 0n },
          },
        },
      });
    }
    return items;
  },
} as const;

/** Funding rollups summed in memory, for loaders that build them in bulk: the items the writes' transactions would leave. */
export class FundingRollupSums {
  private readonly sums = new Map<string, Item>();

  /** Counts an allocation (with what has been paid of it) under each of its groups, for its year and all years, and its shelter. */
  add(
    target: { readonly planId: string; readonly fiscalYear: number; readonly shelterId: string | null },
    groups: readonly Group[],
    totals: FundingTotalsRecord,
  ): void {
    for (const year of [target.fiscalYear, null]) {
      for (const group of groups) {
        const key = fundingRollupEntity.summaryKey(target.planId, group.groupBy, year, group.key);
        this.bump(`${key.pk}\u0000${key.sk}`, (before) =>
          fundingRollupEntity.summaryItem(target.planId, group, year, plus(before, totals)),
        );
      }
    }
    if (target.shelterId) {
      const shelterId = target.shelterId;
      this.bump(`TOTAL#${shelterId}`, (before) => fundingRollupEntity.shelterItem(shelterId, plus(before, totals)));
    }
  }

  items(): Item[] {
    return [...this.sums.values()];
  }

  private bump(id: string, next: (before: FundingTotalsRecord) => Item): void {
    const stored = this.sums.get(id);
    this.sums.set(id, next(stored ? fundingRollupEntity.parseTotals(stored) : { allocatedOre: 0n, disbursedOre: 0n }));
  }
}

const plus = (a: FundingTotalsRecord, b: FundingTotalsRecord): FundingTotalsRecord => ({
  ...(a.appropriatedOre !== undefined || b.appropriatedOre !== undefined
    ? { appropriatedOre: (a.appropriatedOre ?? 0n) + (b.appropriatedOre ?? 0n) }
    : {}),
  allocatedOre: a.allocatedOre + b.allocatedOre,
  disbursedOre: a.disbursedOre + b.disbursedOre,
  inventedOre: (a.inventedOre ?? 0n) + (b.inventedOre ?? 0n),
});
