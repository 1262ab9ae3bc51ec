import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { apiWorld, type Backend, day, NOISE_BOUND, type Observation, readers, slot, THRESHOLD, Trial } from './attacker.js';

/**
 * A property-based attacker: staff of an agency with a shelter in a county where other agencies' shelters
 * report hidden figures. fast-check draws what it does: reports of its own on any day of the quarter (new
 * days, backdated ones, replacements), new shelters of its own reporting there, and reads of every figure
 * it may read, in any order. Averaging, lifting a county over the threshold and sweeping its own figure
 * all need the agency's writes to change what it is shown beyond its own exact figures. So the property:
 * every figure it reads, less its own figures in it, depends only on the others' records — one value (or
 * withheld) and one margin per set of others' records, however the agency's own figures and shelters changed
 * in between. The trials run through the API, beside the memory world (test/privacy/world.ts), which must
 * compute every figure the API answers.
 */
let env: TestEnvironment;
let api: Backend;
let runs = 0;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  // One world for the file: its country figures hold every run's shelters, as the API's do.
  api = apiWorld(env, {
    suppressionThreshold: THRESHOLD,
    perturbationBound: NOISE_BOUND,
    perturbationKey: env.db().config.perturbationKey,
  });
});

const when = fc.record({ month: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 28 }) });
const command = fc.oneof(
  fc.record({ kind: fc.constant('report' as const), shelter: fc.nat(), when, value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('register' as const), when, value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('read' as const) }),
);

/** What the reader's own figures add to an observation: its records' known values. */
const own = (o: Observation) => o.parts.flat().reduce((s, r) => s + (r.own && 'known' in r.value ? r.value.known : 0), 0);
/** The observation's others' records, by id: what its figure may depend on. */
const others = (o: Observation) =>
  o.parts
    .flat()
    .filter((r) => !r.own)
    .map((r) => r.id)
    .sort()
    .join(',');

describe('a property-based attacker with writes of its own', () => {
  it('reads nothing its own writes changed, beyond its own figures', async () => {
    let reads = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ value: fc.integer({ min: 0, max: 7 }), when }), { minLength: 1, maxLength: 3 }),
        fc.array(command, { minLength: 2, maxLength: 6 }),
        async (victims, commands) => {
          const run = runs++;
          // A year of its own for each run, so that no other run's shelters are in its figures.
          const t = new Trial(api, readers.agency, { ...slot(0, run, 1), year: 2000 + (run % 26) }, `property-${run}`);
          const mine = [await t.shelter('egen-0', 'kirkens-bymisjon')];
          await t.report(mine[0] ?? '', day(t.slot, 1, 1), 3);
          for (const [i, v] of victims.entries()) {
            const id = await t.shelter(`annen-${i}`, 'nav');
            await t.report(id, day(t.slot, v.when.month, v.when.day), { hidden: `v${i}`, value: v.value, prior: [v.value] });
          }
          await t.readAll();
          for (const c of commands) {
            if (c.kind === 'read') await t.readAll();
            else if (c.kind === 'register') {
              const id = await t.shelter(`egen-${mine.length}`, 'kirkens-bymisjon');
              mine.push(id);
              await t.report(id, day(t.slot, c.when.month, c.when.day), c.value);
            } else await t.report(mine[c.shelter % mine.length] ?? '', day(t.slot, c.when.month, c.when.day), c.value);
          }
          await t.readAll();
          reads += t.observations.length;
          const seen = new Map<string, Set<string>>();
          for (const o of t.observations) {
            const cell = others(o);
            const shown = o.published === null ? 'withheld' : `${o.published - own(o)} ±${o.margin ?? 0}`;
            seen.set(cell, (seen.get(cell) ?? new Set()).add(shown));
          }
          for (const [cell, values] of seen) expect([...values], `figures of ${cell || 'its own shelters alone'}`).toHaveLength(1);
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
    // The property held over real reads, not over nothing.
    expect(reads).toBeGreaterThan(8 * 6);
  }, 300_000);
});
