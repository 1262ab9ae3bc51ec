import { createHmac } from 'node:crypto';
import { isInvented, provenanceOf, type Recorded } from '../shared/provenance.js';
import type { RollupRules } from './shelters.model.js';

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
