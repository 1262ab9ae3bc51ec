import type { Viewer } from '../../functions/shared/viewer.js';
import { type CapacityReads, capacityTimeline } from '../../functions/shelters/capacity.js';
import { type DisclosureRules, rollupRules, visibleOccupancy } from '../../functions/shelters/disclosure.js';
import { CapacityRollupSums, capacityRollupEntity } from '../../functions/shelters/entities/capacity-rollup.js';
import type { LastReport } from '../../functions/shelters/entities/last-report.js';
import {
  type CapacityFigures,
  type Granularity,
  granularities,
  periodOf,
  type RollupRecord,
  type RollupRules,
  rollupDelta,
  type ShelterRecord,
} from '../../functions/shelters/shelters.model.js';

/**
 * The platform's capacity data in memory, moved and read by the platform's own pure functions: each report
 * moves its shelter's last report of each period and the region's rollups by `rollupDelta` (the deltas the
 * report's transaction ADDs), the rollup items are those `CapacityRollupSums` builds and
 * `capacityRollupEntity.parse` reads, and the figures are `capacityTimeline`'s over a repository that answers
 * from memory. What is left out is DynamoDB itself; the attack tests' API sample shows that the API answers
 * exactly these figures.
 */

/** The settings the figures follow: those of the test stages. */
export interface WorldSettings {
  readonly suppressionThreshold: number;
  readonly perturbationBound: number;
  readonly perturbationKey: string;
}

/** One figure a reader reads: a point of a timeline, or one capacity report of a shelter. */
export type FigureScope =
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'country' }
  | { readonly kind: 'shelter'; readonly shelterId: string }
  | { readonly kind: 'report'; readonly shelterId: string; readonly date: string };

export interface Figure {
  readonly scope: FigureScope;
  /** The granularity and period of a timeline's point; a report's day for a report. */
  readonly granularity: Granularity | 'DAY';
  readonly period: string;
  readonly occupied: number | null;
  readonly suppressed: boolean;
  /** A timeline point's `occupiedMargin`; null for a report (its figure is exact or withheld). */
  readonly margin: number | null;
}

/** What a reader reads in one go: every timeline point of these scopes over a range, and every report of these shelters. */
export interface ReadSpec {
  readonly from: string;
  readonly to: string;
  readonly regions: readonly string[];
  readonly shelters: readonly string[];
}

/** A stable name for a figure: the same in memory and through the API. */
export function figureId(f: Pick<Figure, 'scope' | 'granularity' | 'period'>): string {
  const s = f.scope;
  const where = s.kind === 'region' ? `region:${s.region}` : s.kind === 'country' ? 'country' : `${s.kind}:${s.shelterId}`;
  return `${where}|${f.granularity}|${f.period}`;
}

/** A rollup item as the table would hold it, parsed. */
interface StoredRollup {
  readonly pk: string;
  readonly sk: string;
  readonly record: RollupRecord;
}

export class MemoryWorld {
  private readonly shelters = new Map<string, ShelterRecord>();
  /** Each shelter's report per day, as it stands. */
  private readonly reports = new Map<string, Map<string, CapacityFigures>>();
  /** Each shelter's last report per granularity and period. */
  private readonly lasts = new Map<string, LastReport>();
  /**
   * The rollups, one builder per region, granularity and period: a report moves three of them, and the others'
   * items, parsed, are kept from one read to the next.
   */
  private readonly sums = new Map<string, { readonly sums: CapacityRollupSums; parsed?: readonly StoredRollup[] }>();

  constructor(readonly settings: WorldSettings) {}

  register(shelter: { readonly id: string; readonly region: string; readonly operatorId: string }): void {
    this.shelters.set(shelter.id, {
      ...shelter,
      name: shelter.id,
      municipality: null,
      address: null,
      targetGroups: ['WOMEN'],
      services: ['SAFE_HOUSING'],
      measureIds: [],
      version: 1,
      updatedAt: '2000-01-01T00:00:00.000Z',
    });
  }

  /** A report for a day, replacing the day's earlier one, moving what the repository's transaction moves. */
  report(shelterId: string, date: string, capacity: number, occupied: number): void {
    const shelter = this.shelters.get(shelterId);
    if (!shelter) throw new Error(`no shelter ${shelterId}`);
    const days = this.reports.get(shelterId) ?? new Map<string, CapacityFigures>();
    const revision = (days.get(date)?.revision ?? 0) + 1;
    const figures: CapacityFigures = { date, capacity, occupied, revision };
    days.set(date, figures);
    this.reports.set(shelterId, days);
    for (const granularity of granularities) {
      const period = periodOf(date, granularity);
      const key = `${shelterId}|${granularity}|${period}`;
      const last = this.lasts.get(key);
      // As the repository: a report earlier than the period's last changes nothing the timelines show.
      if (last && date < last.date) continue;
      const next: LastReport = { ...figures, period };
      this.lasts.set(key, next);
      const id = `${shelter.region}|${granularity}|${period}`;
      const entry = this.sums.get(id) ?? { sums: new CapacityRollupSums() };
      entry.sums.add(shelter.region, granularity, period, rollupDelta(last, next, this.rules(shelter)));
      entry.parsed = undefined;
      this.sums.set(id, entry);
    }
  }

  /** A shelter's rollup rules, its cells remembered: each is an HMAC, the same every time. */
  private readonly ruleCache = new Map<string, RollupRules>();
  private rules(shelter: ShelterRecord): RollupRules {
    const known = this.ruleCache.get(shelter.id);
    if (known) return known;
    const rules = rollupRules(this.settings, shelter);
    const cells = new Map<number, number>();
    const remembered: RollupRules = {
      ...rules,
      cell: (occupied) => cells.get(occupied) ?? cells.set(occupied, rules.cell(occupied)).get(occupied) ?? Number.NaN,
    };
    this.ruleCache.set(shelter.id, remembered);
    return remembered;
  }

  /** The repository's reads, answered from memory: what `capacityTimeline` asks for. */
  private repository(): CapacityReads['shelters'] {
    const rollups = [...this.sums.values()].flatMap((entry) => {
      entry.parsed ??= entry.sums
        .items()
        .map((item) => ({ pk: String(item.pk), sk: String(item.sk), record: capacityRollupEntity.parse(item) }));
      return entry.parsed;
    });
    const between = (pk: string, from: string, to: string) =>
      rollups.filter((r) => r.pk === pk && r.sk >= from && r.sk <= to).sort((a, b) => (a.sk < b.sk ? -1 : 1));
    const lasts = this.lasts;
    const shelters = this.shelters;
    return {
      shelter: async (id) => shelters.get(id),
      regionRollups: async (region, granularity, from, to): Promise<RollupRecord[]> =>
        between(capacityRollupEntity.regionPk(region, granularity), from, to).map((r) => r.record),
      allRegionRollups: async (granularity, from, to): Promise<RollupRecord[]> =>
        between(capacityRollupEntity.regionsPk(granularity), `${from}#`, `${to}#\uffff`).map((r) => r.record),
      lastReports: async (shelterId, granularity, from, to): Promise<RollupRecord[]> =>
        [...lasts.entries()]
          .filter(([key, l]) => key.startsWith(`${shelterId}|${granularity}|`) && l.period >= from && l.period <= to)
          .map(([, l]) => l)
          .sort((a, b) => (a.period < b.period ? -1 : 1))
          .map((l) => ({ period: l.period, capacity: l.capacity, occupied: l.occupied, reportingShelters: 1 })),
    };
  }

  /** Every figure of `spec` as `viewer` reads it: the timelines by month, quarter and year, and each shelter's reports. */
  async read(viewer: Viewer, spec: ReadSpec): Promise<Figure[]> {
    const reads = {
      viewer,
      config: { suppressionThreshold: this.settings.suppressionThreshold, perturbationBound: this.settings.perturbationBound },
      shelters: this.repository(),
    };
    const scopes: FigureScope[] = [
      ...spec.regions.map((region): FigureScope => ({ kind: 'region', region })),
      { kind: 'country' },
      ...spec.shelters.map((shelterId): FigureScope => ({ kind: 'shelter', shelterId })),
    ];
    const figures: Figure[] = [];
    for (const granularity of granularities)
      for (const scope of scopes) {
        const filter = {
          from: spec.from,
          to: spec.to,
          granularity,
          ...(scope.kind === 'region' ? { region: scope.region } : {}),
          ...(scope.kind === 'shelter' ? { shelterId: scope.shelterId } : {}),
        };
        for (const p of await capacityTimeline(reads, filter))
          figures.push({ scope, granularity, period: p.period, occupied: p.occupied, suppressed: p.suppressed, margin: p.occupiedMargin });
      }
    const rules: DisclosureRules = { threshold: this.settings.suppressionThreshold, bound: this.settings.perturbationBound };
    for (const shelterId of spec.shelters) {
      const operatorId = this.shelters.get(shelterId)?.operatorId ?? null;
      for (const [date, r] of [...(this.reports.get(shelterId) ?? new Map<string, CapacityFigures>())].sort(([a], [b]) =>
        a < b ? 1 : -1,
      )) {
        if (date < spec.from || date > spec.to) continue;
        const seen = visibleOccupancy(viewer, operatorId, r, rules);
        figures.push({
          scope: { kind: 'report', shelterId, date },
          granularity: 'DAY',
          period: date,
          occupied: seen.occupied,
          suppressed: seen.suppressed,
          margin: null,
        });
      }
    }
    return figures;
  }
}
