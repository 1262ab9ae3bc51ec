import { beforeAll, describe, expect, it } from 'vitest';
import { CapacityTimelineDocument, ShelterForOperatorDocument, SheltersDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createShelter } from '../support/shelters.js';

let env: TestEnvironment;
let first = '';
const actor = { subject: 'test:factory', roles: ['AGENCY_EDITOR' as const], agencyId: 'kirkens-bymisjon' };

/** Adds shelters in Oslo, each with four weekly reports, written through the repository as the API writes them. */
async function addShelters(count: number) {
  for (let i = 0; i < count; i++) {
    const id = await createShelter(env.handler, { name: `Telling ${i}` });
    first ||= id;
    for (const [week, date] of ['2013-05-06', '2013-05-13', '2013-05-20', '2013-05-27'].entries()) {
      // A fresh Db per report: each report reads the shelter's latest figures anew, as a request would.
      const { shelters } = createRepositories(env.db());
      const state = await shelters.reportState(id, date);
      if (!state.shelter) throw new Error('missing shelter');
      await shelters.reportCapacity(
        { ...state, shelter: state.shelter },
        { date, capacity: 10 + week, occupied: (i + week) % 10 },
        actor,
        new Date().toISOString(),
      );
    }
  }
}

const operations: Record<string, () => Promise<{ errors?: unknown }>> = {
  Shelters: () => execute(env.handler, as.funder, SheltersDocument, { filter: { region: 'Oslo' } }),
  ShelterForOperator: () => execute(env.handler, as.otherAgency, ShelterForOperatorDocument, { id: first }),
  CapacityTimeline: () =>
    execute(env.handler, as.funder, CapacityTimelineDocument, {
      filter: { from: '2013-01-01', to: '2013-12-31', granularity: 'MONTH', region: 'Oslo' },
    }),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

describe('DynamoDB requests of the shelter operations do not grow with the data', () => {
  it('are exact at 1× and the same at 10× the shelters and reports', async () => {
    await addShelters(3);
    const small = await env.requestsPerOperation(operations);
    expect(small).toEqual({
      // listing page · profiles · operators
      Shelters: ['BatchGetItem', 'BatchGetItem', 'Query'],
      // profile · reports page, and the audit entry of the address read (with the operator's copy)
      ShelterForOperator: ['BatchGetItem', 'Query', 'TransactWriteItems'],
      // the region's rollups, one Query
      CapacityTimeline: ['Query'],
    });
    await addShelters(27);
    expect(await env.requestsPerOperation(operations)).toEqual(small);
  }, 180_000);
});
