import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { as } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { day, type Observation, slot, Trial } from './attacker.js';

/**
 * A property-based attacker: staff of an agency with a shelter in a county where other agencies' shelters
 * report hidden figures. fast-check draws what it does: reports of its own on any day of the quarter (new
 * days, backdated ones, replacements), new shelters of its own reporting there, and reads of every figure
 * it may read, in any order. Averaging, lifting a county over the threshold and sweeping its own figure
 * all need the agency's writes to change what it is shown beyond its own exact figures. So the property:
 * every figure it reads, less its own figures in it, depends only on the others' records — one value (or
 * withheld) per set of others' records, however the agency's own figures and shelters changed in between.
 */
let env: TestEnvironment;
let runs = 0;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const when = fc.record({ month: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 28 }) });
const command = fc.oneof(
  fc.record({ kind: fc.constant('report' as const), shelter: fc.nat(), when, value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('register' as const), when, value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('read' as const) }),
);

/** What the reader's own figures add to an observation: its records' known values. */
const own = (o: Observation) => o.records.reduce((s, r) => s + (r.own && 'known' in r.value ? r.value.known : 0), 0);
/** The observation's others' records, by id: what its figure may depend on. */
const others = (o: Observation) =>
  o.records
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
          const s = slot(runs++);
          const t = new Trial(env, s, as.otherAgency);
          const mine = [await t.shelter(`Egen ${runs}`, 'kirkens-bymisjon', true)];
          await t.report(mine[0] ?? '', day(s, 1, 1), 3);
          for (const [i, v] of victims.entries()) {
            const id = await t.shelter(`Annen ${runs} ${i}`, 'nav', false);
            await t.report(id, day(s, v.when.month, v.when.day), { hidden: `v${i}`, value: v.value, prior: [v.value] });
          }
          await t.readAll();
          for (const c of commands) {
            if (c.kind === 'read') await t.readAll();
            else if (c.kind === 'register') {
              const id = await t.shelter(`Egen ${runs} ${mine.length}`, 'kirkens-bymisjon', true);
              mine.push(id);
              await t.report(id, day(s, c.when.month, c.when.day), c.value);
            } else await t.report(mine[c.shelter % mine.length] ?? '', day(s, c.when.month, c.when.day), c.value);
          }
          await t.readAll();
          reads += t.observations.length;
          const seen = new Map<string, Set<string>>();
          for (const o of t.observations) {
            const cell = others(o);
            seen.set(cell, (seen.get(cell) ?? new Set()).add(o.published === null ? 'withheld' : String(o.published - own(o))));
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
