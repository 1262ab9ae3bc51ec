import { perturbedCell } from '../../functions/shelters/disclosure.js';
import type { TestEnvironment } from './environment.js';

/** The noise bound of the test stages (the default: test/support/environment.ts does not set PERTURBATION_BOUND). */
export const BOUND = 3;
/** The suppression threshold of the test stages (test/support/environment.ts sets it). */
const THRESHOLD = 5;

/** One record of a published figure: a shelter's last report of the period, known by the shelter and its day. */
export interface Contribution {
  readonly shelterId: string;
  readonly date: string;
  readonly occupied: number;
  readonly capacity: number;
}

/** The cells of `records` as a reader sees them: `known` ones (the reader's own agency's) exactly, the others perturbed. */
function cells(env: TestEnvironment, records: readonly Contribution[], known: readonly Contribution[]) {
  const rules = { threshold: THRESHOLD, bound: BOUND, secret: env.db().config.perturbationKey };
  return records.map((r) =>
    known.includes(r)
      ? { value: r.occupied, noisy: false }
      : { value: perturbedCell(rules, r.shelterId, r.occupied), noisy: r.occupied < THRESHOLD },
  );
}

/**
 * What docs/privacy.md says a reader is shown for a figure summing these records: the sum of the others'
 * cells (a record below the threshold perturbed by its shelter's noise for that value, the others exact),
 * kept within 0 and their capacity, plus the `known` records (the reader's own agency's, among `records`)
 * exactly.
 */
export function expectedPublished(env: TestEnvironment, records: readonly Contribution[], known: readonly Contribution[] = []): number {
  const others = records.filter((r) => !known.includes(r));
  const perturbed = cells(env, others, []).reduce((s, c) => s + c.value, 0);
  const capacity = others.reduce((s, r) => s + r.capacity, 0);
  return Math.min(Math.max(perturbed, 0), capacity) + known.reduce((s, r) => s + r.occupied, 0);
}

/** The margin docs/privacy.md gives such a figure: the bound for each perturbed cell in it. */
export function expectedMargin(env: TestEnvironment, records: readonly Contribution[], known: readonly Contribution[] = []): number {
  return BOUND * cells(env, records, known).filter((c) => c.noisy).length;
}
