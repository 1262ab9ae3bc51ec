import { createHmac } from 'node:crypto';
import { canSeeShelterConfidential } from '../shared/policy.js';
import { isInvented, provenanceOf, type Recorded } from '../shared/provenance.js';
import type { Viewer } from '../shared/viewer.js';
import type { OwnPart, RollupRules } from './shelters.model.js';

/**
 * Disclosure control of published occupancy (docs/privacy.md), as pure functions.
 *
 * The unit of noise is the record: a shelter's last report within a period. A record at or over the
 * threshold is published exactly (its shelter's own figure shows it anyway); a small one (below the
 * threshold) is published as its value plus a noise within ±bound that follows from an HMAC, under the
 * secret PERTURBATION_KEY, of the shelter and the value. Every figure anyone but the operator reads is
 * the sum of such perturbed cells: a county, the country, a month, its quarter, its year. So a figure
 * never draws noise of its own. Reading more figures, at other granularities, in other regions, before
 * and after a late report, gives sums of the same cells, and a late report moves only its own cell; the
 * most a reader can learn of a small value is its one perturbed cell. Keyed by value rather than by
 * month, a shelter whose occupancy stays the same from month to month shows the same cell every month:
 * months do not add draws of one value either. The rollups keep the sum of the perturbed cells beside
 * the exact sums, moved in the same transaction as the report, so a figure costs no extra read.
 */

/** HMAC outputs are read as 32-bit numbers in [0, 2^32). */
export const KEY_SPACE = 2 ** 32;

/** A shelter's key for one value of its occupancy: the first 32 bits of HMAC-SHA256(secret, `<shelterId>#<occupied>`). */
export function cellKey(secret: string, shelterId: string, occupied: number): number {
  return createHmac('sha256', secret).update(`${shelterId}#${occupied}`).digest().readUInt32BE(0);
}

/**
 * The noise of a key: uniform on −bound…bound, chosen by where the key falls in [0, 2^32). Uniform
 * is the table that leaves a reader who knows a cell's perturbed value the most candidates: no other
 * distribution within ±bound gives a lower chance of guessing the value (docs/privacy.md).
 */
export function noise(key: number, bound: number): number {
  return Math.floor((key * (2 * bound + 1)) / KEY_SPACE) - bound;
}

/** The settings a record's published cell follows: the threshold, the noise bound and the secret. */
export interface CellRules {
  readonly threshold: number;
  readonly bound: number;
  readonly secret: string;
}

/**
 * What a record contributes to every figure that sums it, for a reader who does not run its shelter:
 * exact at or over the threshold, else its value plus the shelter's noise for that value.
 */
export function perturbedCell(rules: CellRules, shelterId: string, occupied: number): number {
  if (occupied >= rules.threshold) return occupied;
  return occupied + noise(cellKey(rules.secret, shelterId, occupied), rules.bound);
}

/** The rules a shelter's reports move the rollups under: the threshold of the small part, and the shelter's cells. */
export function rollupRules(
  config: { readonly suppressionThreshold: number; readonly perturbationBound: number; readonly perturbationKey: string },
  shelter: { readonly id: string; readonly operatorId: string } & Recorded & { readonly source?: string },
): RollupRules {
  const cells: CellRules = { threshold: config.suppressionThreshold, bound: config.perturbationBound, secret: config.perturbationKey };
  return {
    invented: isInvented(provenanceOf(shelter)),
    operatorId: shelter.operatorId,
    threshold: config.suppressionThreshold,
    cell: (occupied) => perturbedCell(cells, shelter.id, occupied),
  };
}

/** The parameters of disclosure control on read (docs/privacy.md): the suppression threshold and the noise bound. */
export interface DisclosureRules {
  readonly threshold: number;
  readonly bound: number;
}

/** What a reader may see of an occupancy figure, and how far from the truth it may be. */
export interface SeenOccupancy {
  readonly occupied: number | null;
  readonly suppressed: boolean;
  /** The published figure is within ±margin of the true one (0: exact); null when withheld. */
  readonly margin: number | null;
}

const WITHHELD: SeenOccupancy = { occupied: null, suppressed: true, margin: null };
const exact = (occupied: number): SeenOccupancy => ({ occupied, suppressed: false, margin: 0 });

/**
 * One shelter's occupancy (a report, or the shelter's last report of a period) as a reader may see it:
 * exact for its operating agency; for anyone else withheld below the threshold, so that a small count
 * cannot point to a person, and exact at or over it, as its cell is in every sum.
 */
export function visibleOccupancy(
  viewer: Viewer,
  operatorId: string | null,
  figure: { readonly occupied: number },
  rules: Pick<DisclosureRules, 'threshold'>,
): SeenOccupancy {
  if (operatorId !== null && canSeeShelterConfidential(viewer, operatorId)) return exact(figure.occupied);
  return figure.occupied < rules.threshold ? WITHHELD : exact(figure.occupied);
}

/**
 * One part of a sum of occupancy: a region's figure, with its small part (records below the threshold),
 * the sum of its perturbed cells and each agency's part.
 */
export interface OccupancyPart {
  readonly capacity: number;
  readonly occupied: number;
  readonly perturbedOccupied: number;
  readonly reportingShelters: number;
  readonly smallShelters: number;
  readonly own: Readonly<Record<string, OwnPart>>;
}

const NO_PART: OwnPart = { capacity: 0, occupied: 0, perturbedOccupied: 0, reportingShelters: 0, smallShelters: 0 };

/** The part of a sum the reader's own agency makes: figures it knows exactly. */
function readersPart(viewer: Viewer, part: OccupancyPart): OwnPart {
  const agencyId = viewer.agencyId;
  return agencyId !== null && Object.hasOwn(part.own, agencyId) ? (part.own[agencyId] ?? NO_PART) : NO_PART;
}

/**
 * Occupancy of a sum over shelters (a region, or the country as the sum of its regions), for any reader
 * (docs/privacy.md). What a sum adds to what the reader knows is the others' part: the reader knows its own
 * agency's shelters, and every record at or over the threshold is shown exactly on its shelter. A shown sum
 * is the others' perturbed cells, kept within 0 and their capacity, plus the reader's own figures exactly, and
 * its margin is the bound times the others' small records (the only cells with noise).
 *
 * A sum is withheld when the others' part holds exactly one small record (the sum less the shelters shown
 * would be that record's one cell, with no other noise beside it), and so is the country when the regions
 * withheld hold exactly one (the country less the regions shown). The rule counts the others' small records
 * and never weighs them: whether a sum is shown says nothing about a hidden value that each shelter's own
 * figure (withheld or not) does not already say, and nothing the reader writes changes it. A sum of several
 * small records is shown, perturbed, whatever its total: a withholding that read the total would tell the
 * reader on which side of the threshold the hidden values lie (in the attack tests it lifted the time
 * class's rate by six points).
 */
export function visibleAggregateOccupancy(viewer: Viewer, parts: readonly OccupancyPart[], rules: DisclosureRules): SeenOccupancy {
  const others = parts.map((p) => {
    const mine = readersPart(viewer, p);
    return {
      capacity: p.capacity - mine.capacity,
      occupied: p.occupied - mine.occupied,
      perturbedOccupied: p.perturbedOccupied - mine.perturbedOccupied,
      reportingShelters: p.reportingShelters - mine.reportingShelters,
      smallShelters: p.smallShelters - mine.smallShelters,
    };
  });
  type Part = (typeof others)[number];
  const sum = (ps: readonly Part[]): Part => ({
    capacity: ps.reduce((s, p) => s + p.capacity, 0),
    occupied: ps.reduce((s, p) => s + p.occupied, 0),
    perturbedOccupied: ps.reduce((s, p) => s + p.perturbedOccupied, 0),
    reportingShelters: ps.reduce((s, p) => s + p.reportingShelters, 0),
    smallShelters: ps.reduce((s, p) => s + p.smallShelters, 0),
  });
  // One small record of the others is isolated by the subtraction; none, or two and more, are not.
  const smallSafe = (p: Part) => p.smallShelters !== 1;
  const safe = (p: Part) => p.reportingShelters === 0 || smallSafe(p);
  const total = sum(others);
  const occupied = parts.reduce((s, p) => s + p.occupied, 0);
  const reporting = parts.reduce((s, p) => s + p.reportingShelters, 0);
  if (reporting === 0) return WITHHELD;
  if (total.reportingShelters === 0) return exact(occupied);
  const withheld = sum(others.filter((p) => !safe(p)));
  if (!(safe(total) && smallSafe(withheld))) return WITHHELD;
  // The others' part is kept within 0 and their capacity, and the reader's own figures added to it exactly: a
  // cut at 0 or at the capacity of the whole would move with the reader's own figures, and show where the
  // others' perturbed sum lies.
  const own = occupied - total.occupied;
  return {
    occupied: Math.min(Math.max(total.perturbedOccupied, 0), total.capacity) + own,
    suppressed: false,
    margin: rules.bound * total.smallShelters,
  };
}
