import { perturbed, recordKey } from '../../functions/shelters/disclosure.js';
import type { TestEnvironment } from './environment.js';

/** The noise bound of the test stages (the default: test/support/environment.ts does not set PERTURBATION_BOUND). */
export const BOUND = 2;

/** One record of a published figure: a shelter's last report of the period, known by the shelter and its day. */
export interface Contribution {
  readonly shelterId: string;
  readonly date: string;
  readonly occupied: number;
  readonly capacity: number;
}

/**
 * What docs/privacy.md says a reader who knows none of the records is shown for a figure summing these
 * records: their sum plus the noise of the sum of their record keys under the test stage's key. `known`
 * (the reader's own agency's records) is left out of the key, not out of the sum.
 */
export function expectedPublished(env: TestEnvironment, records: readonly Contribution[], known: readonly Contribution[] = []): number {
  const key = env.db().config.perturbationKey;
  const keySum = (rs: readonly Contribution[]) => rs.reduce((s, r) => s + recordKey(key, r.shelterId, r.date), 0);
  const occupied = records.reduce((s, r) => s + r.occupied, 0);
  const capacity = records.reduce((s, r) => s + r.capacity, 0);
  return perturbed(occupied, keySum(records) - keySum(known), BOUND, capacity);
}
