import { UnreachableCaseError } from '../shared/errors.js';
import type { Provenance, Recorded } from '../shared/provenance.js';

/**
 * Records of the shelters table (shelter profiles, capacity reports, each shelter's last report per
 * period, the capacity rollups of each region) and the rules of their values. Their stored shape
 * belongs to the entities in ./entities/.
 */
export type TargetGroup = 'WOMEN' | 'MEN' | 'GIRLS' | 'BOYS';
export const targetGroups: readonly TargetGroup[] = ['WOMEN', 'MEN', 'GIRLS', 'BOYS'];
export type AssistanceService =
  | 'SAFE_HOUSING'
  | 'PSYCHOLOGICAL_SUPPORT'
  | 'MATERIAL_ASSISTANCE'
  | 'EMERGENCY_MEDICAL_CARE'
  | 'INTERPRETATION_TRANSLATION'
  | 'LEGAL_PROCEEDINGS_SUPPORT';
export const assistanceServices: readonly AssistanceService[] = [
  'SAFE_HOUSING',
  'PSYCHOLOGICAL_SUPPORT',
  'MATERIAL_ASSISTANCE',
  'EMERGENCY_MEDICAL_CARE',
  'INTERPRETATION_TRANSLATION',
  'LEGAL_PROCEEDINGS_SUPPORT',
];
export type Granularity = 'MONTH' | 'QUARTER' | 'YEAR';
export const granularities: readonly Granularity[] = ['MONTH', 'QUARTER', 'YEAR'];

export interface ShelterRecord extends Recorded {
  readonly id: string;
  readonly name: string;
  readonly operatorId: string;
  readonly region: string;
  readonly municipality: string | null;
  /** Confidential: read only through the address field's policy check, never logged or diffed. */
  readonly address: string | null;
  readonly targetGroups: readonly TargetGroup[];
  readonly services: readonly AssistanceService[];
  readonly measureIds: readonly string[];
  readonly version: number;
  readonly updatedAt: string;
  /** The most recent report, kept on the profile in the same transaction as the report. */
  readonly latest?: CapacityFigures;
  readonly source?: string;
}

export interface CapacityFigures {
  readonly date: string;
  readonly capacity: number;
  readonly occupied: number;
  /** Increases with every replacement of the report for this date: the condition that serializes them. */
  readonly revision: number;
}

export interface CapacityReportRecord extends CapacityFigures, Recorded {
  readonly shelterId: string;
  readonly operatorId: string;
  readonly reportedAt: string;
}

/** A capacity report as GraphQL sees it: the figures and whose shelter it is, so suppression can ask the policy. */
export interface CapacityReportView {
  readonly provenance: Provenance;
  readonly shelterId: string;
  readonly date: string;
  readonly capacity: number;
  readonly occupied: number;
  readonly operatorId: string;
}

/** The part of a rollup that one operating agency's shelters make: what a reader from that agency knows already. */
export interface OwnPart {
  readonly capacity: number;
  readonly occupied: number;
  /** Sum of the perturbed cells of the agency's shelters (docs/privacy.md): what others are shown of them. */
  readonly perturbedOccupied: number;
  readonly reportingShelters: number;
  readonly smallShelters: number;
}

/**
 * Sums for one period of one region: each shelter's last report within the period. The small part
 * (shelters whose figure is below the suppression threshold) is counted apart, so that a reader who can
 * see a sum and the shelters over the threshold one by one cannot subtract their way to a small one;
 * `perturbedOccupied` is the sum of the records' perturbed cells (docs/privacy.md), what every reader but
 * the operators is shown; `own` holds the same per operating agency, so that a reader's own shelters
 * count as known.
 */
export interface RollupRecord {
  readonly period: string;
  readonly region?: string;
  readonly capacity: number;
  readonly occupied: number;
  readonly reportingShelters: number;
  readonly smallShelters?: number;
  readonly smallOccupied?: number;
  readonly perturbedOccupied?: number;
  /** Of `reportingShelters`, the demo and synthetic ones (their provenance says so). */
  readonly inventedShelters?: number;
  readonly own?: Readonly<Record<string, OwnPart>>;
}

/** What a rollup move needs beside the figures: whose shelter it is and the rules the rollups are kept under. */
export interface RollupRules {
  readonly operatorId: string;
  readonly threshold: number;
  /** The shelter's perturbed cell for an occupancy (disclosure.ts `perturbedCell`, bound to the shelter, the bound and the secret). */
  readonly cell: (occupied: number) => number;
  /** Whether the shelter is invented (demo or synthetic): its reports count in the rollups' `inventedShelters`. */
  readonly invented: boolean;
}

/** How a shelter's last report of a period moves its region's rollup, from what it was (if any) to what it is. */
export function rollupDelta(previous: CapacityFigures | undefined, next: CapacityFigures, rules: RollupRules) {
  const small = (f: CapacityFigures | undefined) => (f !== undefined && f.occupied < rules.threshold ? f : undefined);
  return {
    operatorId: rules.operatorId,
    capacity: next.capacity - (previous?.capacity ?? 0),
    occupied: next.occupied - (previous?.occupied ?? 0),
    reportingShelters: previous ? 0 : 1,
    inventedShelters: previous || !rules.invented ? 0 : 1,
    smallShelters: (small(next) ? 1 : 0) - (small(previous) ? 1 : 0),
    smallOccupied: (small(next)?.occupied ?? 0) - (small(previous)?.occupied ?? 0),
    perturbedOccupied: rules.cell(next.occupied) - (previous ? rules.cell(previous.occupied) : 0),
  };
}

/** The period a day falls in, for a granularity: "2013-04", "2013-Q2" or "2013". */
export function periodOf(date: string, granularity: Granularity): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  switch (granularity) {
    case 'MONTH':
      return date.slice(0, 7);
    case 'QUARTER':
      return `${year}-Q${Math.ceil(month / 3)}`;
    case 'YEAR':
      return year;
    default:
      throw new UnreachableCaseError(granularity);
  }
}

/** Every period from the one holding `from` to the one holding `to`, in order. */
export function periodsBetween(from: string, to: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = periodOf(to, granularity);
  for (let guard = 0; guard < 10_000; guard++) {
    const day = `${year}-${String(month).padStart(2, '0')}-01`;
    const period = periodOf(day, granularity);
    if (periods.at(-1) !== period) periods.push(period);
    if (period === last) break;
    month += granularity === 'MONTH' ? 1 : granularity === 'QUARTER' ? 3 : 12;
    if (month > 12) {
      year += Math.floor((month - 1) / 12);
      month = ((month - 1) % 12) + 1;
    }
  }
  return periods;
}

/**
 * Counties (fylker) as named in 2011–2014, the plan's period, and as named today. A fixed list keeps
 * "Olso" from becoming a region of its own in the rollups.
 */
export const regions: readonly string[] = [
  'Østfold',
  'Akershus',
  'Oslo',
  'Hedmark',
  'Oppland',
  'Buskerud',
  'Vestfold',
  'Telemark',
  'Aust-Agder',
  'Vest-Agder',
  'Rogaland',
  'Hordaland',
  'Sogn og Fjordane',
  'Møre og Romsdal',
  'Sør-Trøndelag',
  'Nord-Trøndelag',
  'Nordland',
  'Troms',
  'Finnmark',
  'Innlandet',
  'Agder',
  'Vestland',
  'Trøndelag',
];
