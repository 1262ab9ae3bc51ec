import type { Config } from '../shared/config.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { assertCanReadPlan } from '../shared/policy.js';
import { isInvented, provenanceOf } from '../shared/provenance.js';
import type { Viewer } from '../shared/viewer.js';
import { type DisclosureRules, type SeenOccupancy, visibleAggregateOccupancy, visibleOccupancy } from './disclosure.js';
import {
  type CapacityReportView,
  type Granularity,
  periodOf,
  periodsBetween,
  type RollupRecord,
  regions,
  type ShelterRecord,
} from './shelters.model.js';
import type { SheltersRepository } from './shelters.repository.js';

/**
 * Capacity as readers see it: the queries that the GraphQL resolvers and the exports both call, so that
 * each answers with the same checks, the same suppression and the same noise.
 */

/** What capacity is read with: the reader, the stage's disclosure settings and the shelters' reads it makes. */
export interface CapacityReads {
  readonly viewer: Viewer;
  readonly config: Pick<Config, 'suppressionThreshold' | 'perturbationBound'>;
  readonly shelters: Pick<SheltersRepository, 'shelter' | 'lastReports' | 'regionRollups' | 'allRegionRollups'>;
}

/** Which capacity to read: a period range at a granularity, for a county, a shelter or the country. */
export interface TimelineFilter {
  readonly from: string;
  readonly to: string;
  readonly granularity: Granularity;
  readonly region?: string | null;
  readonly shelterId?: string | null;
}

/** One point of a timeline; `occupied`, its margin and `utilization` are what the reader may see. */
export interface CapacityPoint {
  readonly period: string;
  readonly region: string | null;
  readonly reportingShelters: number;
  readonly demoShare: number;
  readonly capacity: number;
  readonly occupied: number | null;
  /** `occupied` is within ±occupiedMargin of the true sum; 0 when exact, null when withheld. */
  readonly occupiedMargin: number | null;
  readonly utilization: number | null;
  readonly suppressed: boolean;
}

/** Longest timeline one request may ask for, in periods: ten years of months, with room (schema/limits.json `capacityPoints`). */
export const MAX_PERIODS = 240;

/** A county the platform knows, in its own spelling; anything else is BAD_USER_INPUT naming `field`. */
export function region(value: string, field: string): string {
  const match = regions.find((r) => r.toLocaleLowerCase('nb') === value.trim().toLocaleLowerCase('nb'));
  if (!match) throw new BadUserInputError(`${field} must be a Norwegian county (fylke), e.g. "Oslo" or "Hordaland".`, field);
  return match;
}

export async function shelterOrNotFound(reads: Pick<CapacityReads, 'shelters'>, id: string, field: string): Promise<ShelterRecord> {
  const shelter = await reads.shelters.shelter(id);
  if (!shelter) throw new NotFoundError(`There is no shelter ${id}.`, field);
  return shelter;
}

/** The parameters of disclosure control of this stage (docs/privacy.md). */
export const disclosureRules = (reads: Pick<CapacityReads, 'config'>): DisclosureRules => ({
  threshold: reads.config.suppressionThreshold,
  bound: reads.config.perturbationBound,
});

/** A report as the reader sees it: exact for its operator, else withheld below the threshold and exact at or over it. */
export const seenReport = (reads: Pick<CapacityReads, 'viewer' | 'config'>, r: CapacityReportView): SeenOccupancy =>
  visibleOccupancy(reads.viewer, r.operatorId, r, disclosureRules(reads));

/** A point of the timeline; utilization goes with the occupancy the reader sees. */
function point(
  period: string,
  region: string | null,
  reporting: { readonly shelters: number; readonly invented: number },
  capacity: number,
  seen: SeenOccupancy,
): CapacityPoint {
  return {
    period,
    region,
    reportingShelters: reporting.shelters,
    demoShare: reporting.shelters === 0 ? 0 : reporting.invented / reporting.shelters,
    capacity,
    occupied: seen.occupied,
    occupiedMargin: seen.margin,
    utilization: seen.occupied === null || capacity === 0 ? null : seen.occupied / capacity,
    suppressed: seen.suppressed,
  };
}

/** One shelter's timeline from its last report of each period, as `viewer` may see it: a pure function of what the Query read. */
function shelterPoints(
  viewer: Viewer,
  rules: DisclosureRules,
  periods: readonly string[],
  shelter: ShelterRecord,
  lastReports: readonly RollupRecord[],
): CapacityPoint[] {
  const rows = new Map(lastReports.map((r) => [r.period, r]));
  return periods.map((period) => {
    const row = rows.get(period);
    return point(
      period,
      shelter.region,
      {
        shelters: row?.reportingShelters ?? 0,
        invented: row?.reportingShelters && isInvented(provenanceOf(shelter)) ? row.reportingShelters : 0,
      },
      row?.capacity ?? 0,
      visibleOccupancy(viewer, shelter.operatorId, { occupied: row?.occupied ?? 0 }, rules),
    );
  });
}

/**
 * A county's timeline (`region`), or the country's (`null`: the sum of every region's rollup), from the
 * rollups of each period, as `viewer` may see it: a pure function of what the Query read.
 */
function regionPoints(
  viewer: Viewer,
  rules: DisclosureRules,
  periods: readonly string[],
  region: string | null,
  rollups: readonly RollupRecord[],
): CapacityPoint[] {
  const byPeriod = new Map<string, RollupRecord[]>();
  for (const row of rollups) byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), row]);
  return periods.map((period) => {
    const parts = (byPeriod.get(period) ?? []).map((r) => ({
      ...r,
      smallShelters: r.smallShelters ?? 0,
      perturbedOccupied: r.perturbedOccupied ?? 0,
      own: r.own ?? {},
    }));
    const capacity = parts.reduce((s, r) => s + r.capacity, 0);
    const reporting = {
      shelters: parts.reduce((s, r) => s + r.reportingShelters, 0),
      invented: parts.reduce((s, r) => s + (r.inventedShelters ?? 0), 0),
    };
    return point(period, region, reporting, capacity, visibleAggregateOccupancy(viewer, parts, rules));
  });
}

/**
 * Capacity and occupancy per period, for one shelter (its last reports), a county or the country (the
 * rollups): one Query, whatever the number of shelters, with every figure as the reader may see it.
 */
export async function capacityTimeline(reads: CapacityReads, filter: TimelineFilter): Promise<CapacityPoint[]> {
  assertCanReadPlan(reads.viewer);
  if (filter.from > filter.to) throw new BadUserInputError('from must not be after to.', 'from');
  if (filter.region && filter.shelterId) throw new BadUserInputError('Give a region or a shelter, not both.', 'shelterId');
  const periods = periodsBetween(filter.from, filter.to, filter.granularity);
  if (periods.length > MAX_PERIODS)
    throw new BadUserInputError(`A timeline holds at most ${MAX_PERIODS} periods; narrow from and to.`, 'to');
  const fromPeriod = periodOf(filter.from, filter.granularity);
  const toPeriod = periodOf(filter.to, filter.granularity);
  const shelter = filter.shelterId ? await shelterOrNotFound(reads, filter.shelterId, 'shelterId') : undefined;
  const rules = disclosureRules(reads);
  if (shelter)
    return shelterPoints(
      reads.viewer,
      rules,
      periods,
      shelter,
      await reads.shelters.lastReports(shelter.id, filter.granularity, fromPeriod, toPeriod),
    );
  const scopeRegion = filter.region ? region(filter.region, 'region') : null;
  const rows = scopeRegion
    ? await reads.shelters.regionRollups(scopeRegion, filter.granularity, fromPeriod, toPeriod)
    : await reads.shelters.allRegionRollups(filter.granularity, fromPeriod, toPeriod);
  return regionPoints(reads.viewer, rules, periods, scopeRegion, rows);
}
