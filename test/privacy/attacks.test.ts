import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrailDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { type ClassResult, day, type Estimate, estimate, type Random, random, slot, summarize, Trial } from './attacker.js';

/**
 * Issue 16's attacks, each run over fresh shelters in a county and quarter of their own, with hidden
 * values drawn at random from 0–4. The criterion (docs/privacy.md): the attacker's best estimate is
 * exact in at most 40 % of all trials and at most half of each class's, and leaves on average at least
 * three candidates of the five open.
 *
 * The trials are drawn from a fixed seed under a fixed key, so that a run is reproducible and its figures
 * are the ones docs/privacy.md reports; ATTACK_SEED=<n> draws others (the key stays the same: the
 * hidden values and the noise are independent either way).
 */
process.env.PERTURBATION_KEY = 'attack-tests-perturbation-key-fixed-for-reproducible-runs';
const SEED = Number(process.env.ATTACK_SEED ?? 16);
/**
 * Trials per class. The attacker's expected success is about 37 % in the granularity class and 41 % in
 * the time class (docs/privacy.md), close enough to the 50 % bound that few trials would cross it by
 * chance: 48 and 96 trials keep that under about 2 % a run.
 */
const TRIALS = Number(process.env.ATTACK_TRIALS ?? 24);
const GRANULARITY_TRIALS = 2 * TRIALS;
const TIME_TRIALS = 4 * TRIALS;
const HIDDEN = [0, 1, 2, 3, 4] as const;
const BIG = [5, 6, 7] as const;

let env: TestEnvironment;
const results: ClassResult[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

/** Trials run side by side, this many at a time: each has its own county, quarter, shelters and generator. */
const PARALLEL = 8;

/**
 * Where each class's slots begin: fixed, so that a trial's county, quarter, shelter ids and generator
 * are the same in whatever order the tests run (CI shuffles them), and so are the class's figures.
 */
const FIRST_SLOT = {
  'own knowledge': 0,
  time: TRIALS,
  granularity: TRIALS + TIME_TRIALS,
  'audit trail': TRIALS + TIME_TRIALS + GRANULARITY_TRIALS,
};

/** Runs a class's trials, each in a slot of its own with a generator of its own, and keeps its summary. */
async function run(
  name: keyof typeof FIRST_SLOT,
  trials: number,
  trial: (i: number, rng: Random) => Promise<Estimate>,
): Promise<ClassResult> {
  const estimates: Estimate[] = [];
  for (let done = 0; done < trials; done += PARALLEL) {
    const slots = Array.from({ length: Math.min(PARALLEL, trials - done) }, (_, k) => FIRST_SLOT[name] + done + k);
    estimates.push(...(await Promise.all(slots.map((i) => trial(i, random(SEED * 1_000 + i))))));
  }
  const result = summarize(name, estimates);
  results.push(result);
  console.info(
    `${name}: exact in ${result.exact.toFixed(1)} of ${result.trials} trials (${((100 * result.exact) / result.trials).toFixed(0)} %), ` +
      `${result.meanCandidates.toFixed(2)} candidates on average, certain in ${result.certain}`,
  );
  return result;
}

function expectResisted(result: ClassResult, trials: number) {
  expect(result.trials).toBe(trials);
  // The attacker's model is the documented method: every figure read must be one it allows for the truth.
  expect(result.truthAmongCandidates).toBe(trials);
  expect(result.exact / result.trials).toBeLessThanOrEqual(0.5);
  expect(result.meanCandidates).toBeGreaterThanOrEqual(3);
}

/** A class takes seconds on an idle machine and up to a minute on a loaded one (most of it in the writes). */
const CLASS_TIMEOUT = 300_000;

describe('attacks on hidden occupancy (issue 16)', () => {
  it(
    '1. own knowledge: staff subtract their own shelter, and backdate a report (and a fake shelter) to lift the county',
    async () => {
      const result = await run('own knowledge', TRIALS, async (i, rng) => {
        const s = slot(i);
        const t = new Trial(env, s, as.otherAgency);
        // Drawn first, in a fixed order; then registered and reported side by side.
        const ownDay = day(s, rng.int(1, 3), rng.int(1, 28));
        const ownValue = rng.int(0, 9);
        const victimDay = day(s, rng.int(1, 3), rng.int(1, 28));
        const others = [
          { name: 'h', value: rng.int(0, 4), prior: HIDDEN, date: victimDay },
          ...(rng.chance(0.5) ? [{ name: 'w', value: rng.int(0, 4), prior: HIDDEN, date: day(s, rng.int(1, 3), rng.int(1, 28)) }] : []),
          ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: day(s, rng.int(1, 3), rng.int(1, 28)) }] : []),
        ];
        const [own] = await Promise.all([
          t.shelter(`Egen ${i}`, 'kirkens-bymisjon', true).then(async (id) => {
            await t.report(id, ownDay, ownValue);
            return id;
          }),
          ...others.map(async (o) => {
            const id = await t.shelter(`Nabo ${o.name} ${i}`, 'nav', false);
            await t.report(id, o.date, { hidden: o.name, value: o.value, prior: o.prior });
            return id;
          }),
        ]);
        if (!own) throw new Error('no shelter of its own');
        await t.readAll();
        // The lever: a small figure of its own backdated into the victim's day, and a fake shelter of its own there too.
        await Promise.all([
          t.report(own, victimDay, 4),
          t.shelter(`Falsk ${i}`, 'kirkens-bymisjon', true).then((fake) => t.report(fake, victimDay, 4)),
        ]);
        await t.readAll();
        // Then it puts its own figure back.
        await t.report(own, victimDay, ownValue);
        await t.readAll();
        return estimate(t, 'h');
      });
      expectResisted(result, TRIALS);
    },
    CLASS_TIMEOUT,
  );

  it(
    '2. time: a funder reads a county before and after one more shelter reports',
    async () => {
      const result = await run('time', TIME_TRIALS, async (i, rng) => {
        const s = slot(i);
        const t = new Trial(env, s, as.funder);
        // The background: two small shelters and sometimes a big one, registered and reporting side by side.
        const background = [
          { name: 'w1', value: rng.int(0, 4), prior: HIDDEN, date: day(s, rng.int(1, 3), rng.int(1, 28)) },
          { name: 'w2', value: rng.int(0, 4), prior: HIDDEN, date: day(s, rng.int(1, 3), rng.int(1, 28)) },
          ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: day(s, rng.int(1, 3), rng.int(1, 28)) }] : []),
        ];
        await Promise.all(
          background.map(async (b) => {
            const id = await t.shelter(`Bakgrunn ${b.name} ${i}`, 'nav', false);
            await t.report(id, b.date, { hidden: b.name, value: b.value, prior: b.prior });
          }),
        );
        await t.readAll();
        const victim = await t.shelter(`Ny ${i}`, 'kirkens-bymisjon', false);
        await t.report(victim, day(s, rng.int(1, 3), rng.int(1, 28)), { hidden: 'h', value: rng.int(0, 4), prior: HIDDEN });
        await t.readAll();
        return estimate(t, 'h');
      });
      expectResisted(result, TIME_TRIALS);
    },
    CLASS_TIMEOUT,
  );

  it(
    '3. granularity: a funder compares months with their quarter, when the victim reported only in another month',
    async () => {
      const result = await run('granularity', GRANULARITY_TRIALS, async (i, rng) => {
        const s = slot(i);
        const t = new Trial(env, s, as.funder);
        const victimMonth = rng.int(1, 3);
        const otherMonth = ((victimMonth + rng.int(0, 1)) % 3) + 1;
        const background = [
          { name: 'w1', value: rng.int(0, 4), prior: HIDDEN, date: day(s, otherMonth, rng.int(1, 28)) },
          { name: 'w2', value: rng.int(0, 4), prior: HIDDEN, date: day(s, otherMonth, rng.int(1, 28)) },
          ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: day(s, otherMonth, rng.int(1, 28)) }] : []),
        ];
        await Promise.all(
          background.map(async (b) => {
            const id = await t.shelter(`Bakgrunn ${b.name} ${i}`, 'nav', false);
            await t.report(id, b.date, { hidden: b.name, value: b.value, prior: b.prior });
          }),
        );
        const victim = await t.shelter(`Offer ${i}`, 'kirkens-bymisjon', false);
        await t.report(victim, day(s, victimMonth, rng.int(1, 28)), { hidden: 'h', value: rng.int(0, 4), prior: HIDDEN });
        await t.readAll();
        return estimate(t, 'h');
      });
      expectResisted(result, GRANULARITY_TRIALS);
    },
    CLASS_TIMEOUT,
  );

  it(
    '4. the audit trail: the coordinator tells whether a hidden figure changed, and what it is',
    async () => {
      const replacements: { changed: boolean; changes: string | null }[] = [];
      const result = await run('audit trail', TRIALS, async (i, rng) => {
        const s = slot(i);
        const t = new Trial(env, s, as.coordinator);
        const victim = await t.shelter(`Revidert ${i}`, 'kirkens-bymisjon', false);
        const date = day(s, rng.int(1, 3), rng.int(1, 28));
        const first = rng.int(0, 4);
        const changed = rng.chance(0.5);
        const second = changed ? (first + rng.int(1, 4)) % 5 : first;
        await t.report(victim, date, { hidden: 'h0', value: first, prior: HIDDEN });
        await t.report(victim, date, { hidden: 'h', value: second, prior: HIDDEN });
        const trail = await execute(env.handler, as.coordinator, AuditTrailDocument, { entityId: victim });
        const entry = trail.data?.auditTrail.edges.find((e) => e.node.action === 'reportCapacity')?.node;
        replacements.push({ changed, changes: entry?.changes ?? null });
        await t.readAll();
        return estimate(t, 'h');
      });
      expectResisted(result, TRIALS);
      // Both kinds of replacement happened, and the trail showed every one the same way.
      expect(new Set(replacements.map((r) => r.changed))).toEqual(new Set([true, false]));
      expect(new Set(replacements.map((r) => r.changes))).toEqual(
        new Set([JSON.stringify({ before: { occupied: '[confidential]' }, after: { occupied: '[confidential]' } })]),
      );
    },
    CLASS_TIMEOUT,
  );

  // Overall: the best estimate is exact in at most 40 % of the trials, each class weighing the same. Judged
  // once every class has run, whatever order the tests ran in (a run of one class alone judges that class).
  afterAll(() => {
    if (results.length < Object.keys(FIRST_SLOT).length) return;
    expect(results.map((r) => r.name).sort()).toEqual(Object.keys(FIRST_SLOT).sort());
    // Classes weigh the same whatever their number of trials: the differencing ones run more to be measured closely.
    const overall = results.reduce((s, r) => s + r.exact / r.trials, 0) / results.length;
    console.info(`overall: exact in ${(100 * overall).toFixed(0)} % of the trials (the mean of the classes')`);
    expect(overall).toBeLessThanOrEqual(0.4);
  });
});
