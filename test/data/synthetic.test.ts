import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { loadSynthetic, syntheticSize } from '../../data/synthetic.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { expectFundingRollupsToMatch, expectMeasureCountersToMatch, recomputedCapacity, storedCapacity } from '../support/rollups.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 120_000);

describe('the bulk synthetic loader of the benchmarks', () => {
  it('loads 1× (1,000 reports, 500 allocations) with every counter and rollup equal to what the facts sum to', async () => {
    const result = await loadSynthetic(env.db(), syntheticSize(1));
    expect(result).toEqual({ measures: 30, shelters: 20, reports: 1000, budgetLines: 25, allocations: 500 });

    await expectMeasureCountersToMatch(env, 'hp-2011-2014');
    await expectFundingRollupsToMatch(env);
    for (const granularity of ['MONTH', 'QUARTER', 'YEAR'] as const) {
      for (const region of [null, 'Oslo', 'Nordland']) {
        expect(await storedCapacity(env, granularity, region)).toEqual(await recomputedCapacity(env, granularity, region));
      }
    }
  }, 120_000);
});
