import { beforeAll, describe, expect, it } from 'vitest';
import { AgencyResponsibilitiesDocument, MeasureDetailDocument, PlanOverviewDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
const actor = { subject: 'test:factory', roles: ['COORDINATOR' as const], agencyId: null };
let made = 0;

/** Adds measures that nav holds (every third as LEAD), each with a status report: data the three operations read. */
async function addMeasures(count: number) {
  const { plans, agencies } = createRepositories(env.db());
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++, made++) {
    let m = await plans.createMeasure(
      {
        id: `synthetic-${made}`,
        planId: 'hp-2011-2014',
        number: null,
        title: `Syntetisk tiltak ${made}`,
        description: null,
        status: 'PLANNED',
        version: 1,
        updatedAt: at,
        goalNumbers: [1 + (made % 5)],
        responsibilities: {},
      },
      actor,
    );
    m = await agencies.assign(m, 'nav', made % 3 === 0 ? 'LEAD' : 'SHARED', actor, at);
    await agencies.assign(m, 'hod', 'SHARED', actor, at);
  }
}

const operations: Record<string, () => Promise<{ errors?: unknown }>> = {
  PlanOverview: () => execute(env.handler, as.viewer, PlanOverviewDocument, { planId: 'hp-2011-2014' }),
  AgencyResponsibilities: () => execute(env.handler, as.viewer, AgencyResponsibilitiesDocument, { agencyId: 'nav' }),
  MeasureDetail: () => execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'synthetic-0' }),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

describe('DynamoDB requests per operation do not grow with the data', () => {
  it('are exact at 1× and the same at 10× the measures', async () => {
    await addMeasures(12);
    const small = await env.requestsPerOperation(operations);
    expect(small).toEqual({
      // plan · coordinator + counters (one batch across tables) and the measures page · leads
      PlanOverview: ['BatchGetItem', 'BatchGetItem', 'BatchGetItem', 'Query'],
      // agency · responsibilities page · measures · funding totals
      AgencyResponsibilities: ['BatchGetItem', 'BatchGetItem', 'BatchGetItem', 'Query'],
      // measure · plan, agencies and totals in one batch, with the reports page
      MeasureDetail: ['BatchGetItem', 'BatchGetItem', 'Query'],
    });

    await addMeasures(108);
    const large = await env.requestsPerOperation(operations);
    expect(large).toEqual(small);
  }, 180_000);
});
