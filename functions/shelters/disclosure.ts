import { createHmac } from 'node:crypto';
import { canSeeShelterConfidential } from '../shared/policy.js';
import { isInvented, provenanceOf, type Recorded } from '../shared/provenance.js';
import type { Viewer } from '../shared/viewer.js';
import type { OwnPart, RollupRules } from './shelters.model.js';

/**
 * The cell-key method that protects published occupancy (docs/privacy.md), as pure functions.
 *
 * Every shelter has one record key per month: an HMAC of `<shelterId>#<YYYY-MM>` under the secret
 * PERTURBATION_KEY, read as a 32-bit number. A published figure sums records (each shelter's last report
 * within the period); its cell key is the sum of those records' keys, modulo 2^32, and its noise follows
 * from the cell key alone. So the same records give the same noise, whoever asks, however often, at
 * whatever granularity; and since the noise never depends on the counts, changing a count (one's own)
 * never draws fresh noise. Rollups keep the sum of keys beside the sums of counts, moved in the same
 * transaction, so a figure's cell key costs no extra read.
 */

/** Record keys and cell keys live in [0, 2^32). */
export const KEY_SPACE = 2 ** 32;

/** A shelter's record key for the month of `date` (YYYY-MM-DD or YYYY-MM). */
export function recordKey(secret: string, shelterId: string, date: string): number {
  return createHmac('sha256', secret)
    .update(`${shelterId}#${date.slice(0, 7)}`)
    .digest()
    .readUInt32BE(0);
}

/** A sum of record keys as a cell key in [0, 2^32). */
export function cellKey(keySum: number): number {
  return ((keySum % KEY_SPACE) + KEY_SPACE) % KEY_SPACE;
}

/**
 * The noise of a cell: uniform on −bound…bound, chosen by where the cell key falls in [0, 2^32). A uniform
 * table is the one that leaves a reader who differences two figures the widest spread of candidates.
 */
export function perturbation(keySum: number, bound: number): number {
  return Math.floor((cellKey(keySum) * (2 * bound + 1)) / KEY_SPACE) - bound;
}

/** A published occupancy figure: the true sum plus its cell's noise, kept within 0 and the published capacity. */
export function perturbed(occupied: number, keySum: number, bound: number, capacity: number): number {
  return Math.min(Math.max(occupied + perturbation(keySum, bound), 0), capacity);
}

/** The rules a shelter's reports move the rollups under: the threshold of the small part, and the shelter's record keys. */
export function rollupRules(
  config: { readonly suppressionThreshold: number; readonly perturbationKey: string },
  shelter: { readonly id: string; readonly operatorId: string } & Recorded & { readonly source?: string },
): RollupRules {
  return {
    invented: isInvented(provenanceOf(shelter)),
    operatorId: shelter.operatorId,
    threshold: config.suppressionThreshold,
    recordKey: (date) => recordKey(config.perturbationKey, shelter.id, date),
  };
}

/** The parameters of disclosure control (docs/privacy.md): the suppression threshold and the noise bound. */
export interface DisclosureRules {
  readonly threshold: number;
  readonly bound: number;
}

/** What a reader may see of an occupancy figure. */
export interface SeenOccupancy {
  readonly occupied: number | null;
  readonly suppressed: boolean;
}

/**
 * One shelter's occupancy as a reader may see it: exact for its operating agency; for anyone else
 * withheld when below the threshold, so that a small count cannot point to a person, and else
 * perturbed by the noise of its record key (docs/privacy.md), the same noise a region's figure made of
 * this report alone gets.
 */
export function visibleOccupancy(
  viewer: Viewer,
  operatorId: string | null,
  figure: { readonly occupied: number; readonly capacity: number; readonly keySum: number },
  rules: DisclosureRules,
): SeenOccupancy {
  if (operatorId !== null && canSeeShelterConfidential(viewer, operatorId)) return { occupied: figure.occupied, suppressed: false };
  if (figure.occupied < rules.threshold) return { occupied: null, suppressed: true };
  return { occupied: perturbed(figure.occupied, figure.keySum, rules.bound, figure.capacity), suppressed: false };
}

/** One part of a sum of occupancy: a region's figure, with its small part (shelters below the threshold), its key sum and each agency's part. */
export interface OccupancyPart {
  readonly occupied: number;
  readonly reportingShelters: number;
  readonly smallShelters: number;
  readonly smallOccupied: number;
  readonly keySum: number;
  readonly own: Readonly<Record<string, OwnPart>>;
}

const NO_PART: OwnPart = { keySum: 0, occupied: 0, reportingShelters: 0, smallShelters: 0 };

/** The part of a sum the reader's own agency makes: figures it knows, and record keys it could change by writing. */
function readersPart(viewer: Viewer, part: OccupancyPart): OwnPart {
  const agencyId = viewer.agencyId;
  return agencyId !== null && Object.hasOwn(part.own, agencyId) ? (part.own[agencyId] ?? NO_PART) : NO_PART;
}

/**
 * Occupancy of a sum over shelters (a region, or the country as the sum of its regions), for any
 * reader (docs/privacy.md). The reader knows its own agency's shelters, and shelters at or over the
 * threshold are shown one by one (perturbed), so what a sum adds to the reader's knowledge is the part
 * of the others, and a sum minus what is shown leaves the others' small shelters. The sum is withheld
 * when the others' part is below the threshold or holds exactly one small shelter, and so is every sum
 * from which a reader could isolate one by subtraction (the country minus the regions shown leaves the
 * regions withheld). The rule reads only the others' part and counts their small shelters without
 * weighing them, so nothing the reader writes changes what it is shown, and whether a sum is shown
 * says nothing about a hidden figure beyond the others' total. A sum shown is perturbed by the noise of
 * the others' cell key (the sum of their records' keys), so nothing the reader writes draws fresh
 * noise for it either; a sum of the reader's own shelters alone is exact, as they are.
 */
export function visibleAggregateOccupancy(
  viewer: Viewer,
  parts: readonly OccupancyPart[],
  capacity: number,
  rules: DisclosureRules,
): SeenOccupancy {
  const { threshold } = rules;
  const others = parts.map((p) => {
    const mine = readersPart(viewer, p);
    return {
      occupied: p.occupied - mine.occupied,
      reportingShelters: p.reportingShelters - mine.reportingShelters,
      smallShelters: p.smallShelters - mine.smallShelters,
      keySum: p.keySum - mine.keySum,
    };
  });
  type Part = (typeof others)[number];
  const sum = (ps: readonly Part[]): Part => ({
    occupied: ps.reduce((s, p) => s + p.occupied, 0),
    reportingShelters: ps.reduce((s, p) => s + p.reportingShelters, 0),
    smallShelters: ps.reduce((s, p) => s + p.smallShelters, 0),
    keySum: ps.reduce((s, p) => s + p.keySum, 0),
  });
  // One small shelter of the others is isolated by the subtraction; none, or two and more, are not.
  const smallSafe = (p: Part) => p.smallShelters !== 1;
  const safe = (p: Part) => p.reportingShelters === 0 || (p.occupied >= threshold && smallSafe(p));
  const total = sum(others);
  const occupied = parts.reduce((s, p) => s + p.occupied, 0);
  const reporting = parts.reduce((s, p) => s + p.reportingShelters, 0);
  if (reporting === 0) return { occupied: null, suppressed: true };
  if (total.reportingShelters === 0) return { occupied, suppressed: false };
  const withheld = sum(others.filter((p) => !safe(p)));
  if (!(safe(total) && smallSafe(withheld))) return { occupied: null, suppressed: true };
  return { occupied: perturbed(occupied, total.keySum, rules.bound, capacity), suppressed: false };
}
