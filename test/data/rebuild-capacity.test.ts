import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { rebuildCapacityRollups } from '../../data/rebuild-capacity.js';
import { perturbedCell } from '../../functions/shelters/disclosure.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { recomputedCapacity, storedCapacity } from '../support/rollups.js';
import { createShelter, reportCapacity } from '../support/shelters.js';

let env: TestEnvironment;
let a: string;
let b: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  a = await createShelter(env.handler, { name: 'Ombygging A', region: 'Oslo' });
  b = await createShelter(env.handler, { name: 'Ombygging B', region: 'Oslo' });
  const c = await createShelter(env.handler, { name: 'Ombygging C', region: 'Troms' });
  for (const [id, date, occupied] of [
    [a, '2013-01-10', 4],
    [a, '2013-02-10', 6],
    [b, '2013-01-15', 3],
    [b, '2013-01-20', 2],
    [c, '2013-02-01', 9],
  ] as const) {
    await reportCapacity(env.handler, id, date, 12, occupied);
  }
});

const scopes = [null, 'Oslo', 'Troms'] as const;
const granularities = ['MONTH', 'QUARTER', 'YEAR'] as const;

describe('npm run rebuild:capacity', () => {
  it('recomputes every rollup under a new threshold, and repairs lost and stray ones', async () => {
    // A lost rollup and a stray one, as a failed manual fix might leave them.
    await env.documentClient.send(
      new DeleteCommand({ TableName: env.names.shelters, Key: { pk: 'ROLLUP#REGION#Oslo#MONTH', sk: '2013-01' } }),
    );
    await env.documentClient.send(
      new PutCommand({
        TableName: env.names.shelters,
        Item: { pk: 'ROLLUP#REGION#Oslo#MONTH', sk: '2012-12', period: '2012-12', capacity: 99, occupied: 99, reportingShelters: 3 },
      }),
    );

    const db = env.db();
    const result = await rebuildCapacityRollups({ ...db, config: { ...db.config, suppressionThreshold: 3 } });

    expect(result.removed).toBe(1);
    for (const granularity of granularities) {
      for (const region of scopes) {
        expect(await storedCapacity(env, granularity, region), `${granularity} ${region}`).toEqual(
          await recomputedCapacity(env, granularity, region, 3),
        );
      }
    }
    // Under the threshold of 3, January's small part in Oslo is b's 2 alone: a's 4 enters the perturbed sum
    // exactly, b's 2 with b's noise for 2 under the threshold of 3.
    const cell = (id: string, occupied: number) =>
      perturbedCell({ threshold: 3, bound: db.config.perturbationBound, secret: db.config.perturbationKey }, id, occupied);
    expect(cell(a, 4)).toBe(4);
    expect((await storedCapacity(env, 'MONTH', 'Oslo')).get('2013-01')).toEqual({
      capacity: 24,
      occupied: 6,
      reportingShelters: 2,
      smallShelters: 1,
      smallOccupied: 2,
      perturbedOccupied: 4 + cell(b, 2),
      own: { 'kirkens-bymisjon': { capacity: 24, perturbedOccupied: 4 + cell(b, 2), occupied: 6, reportingShelters: 2, smallShelters: 1 } },
    });
  });

  it('recomputes every perturbed cell under a new perturbation key and a new noise bound', async () => {
    const db = env.db();
    const rotated = {
      ...db,
      config: { ...db.config, perturbationKey: 'another-perturbation-key-of-at-least-32-chars', perturbationBound: 5 },
    };
    await rebuildCapacityRollups(rotated);
    const q1 = (await storedCapacity(env, 'QUARTER', 'Oslo')).get('2013-Q1');
    // Q1's last reports: a's of February (6, over the threshold: exact), b's of January (2, perturbed).
    const cell = (config: typeof db.config) =>
      perturbedCell({ threshold: 5, bound: config.perturbationBound, secret: config.perturbationKey }, b, 2);
    expect(q1?.perturbedOccupied).toBe(6 + cell(rotated.config));
    await rebuildCapacityRollups(db);
    expect((await storedCapacity(env, 'QUARTER', 'Oslo')).get('2013-Q1')?.perturbedOccupied).toBe(6 + cell(db.config));
  });

  it('leaves rollups that are right as they are', async () => {
    const db = env.db();
    await rebuildCapacityRollups(db);
    const before = await Promise.all(granularities.map((g) => storedCapacity(env, g, null)));
    const again = await rebuildCapacityRollups(db);
    expect(again.removed).toBe(0);
    expect(await Promise.all(granularities.map((g) => storedCapacity(env, g, null)))).toEqual(before);
    for (const granularity of granularities)
      expect(await storedCapacity(env, granularity, 'Oslo')).toEqual(await recomputedCapacity(env, granularity, 'Oslo', 5));
  });
});
