import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AddMilestoneDocument, DefineIndicatorDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { migrateListCounters } from '../../data/migrate-list-counters.js';
import { recountPlan } from '../../data/recount-plan.js';
import { createRepositories } from '../../functions/app/context.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createBudgetLine } from '../support/funding.js';

let env: TestEnvironment;
let measureId = '';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(
    env.handler,
    as.coordinator,
    'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
    { input: { planId: 'hp-2011-2014', title: 'Teltiltak', goalNumbers: [] } },
  );
  measureId = created.data?.createMeasure.measure.id ?? '';
  for (const title of ['En', 'To']) {
    const res = await execute(env.handler, as.coordinator, AddMilestoneDocument, { input: { measureId, title, dueDate: '2012-05-01' } });
    expect(res.errors).toBeUndefined();
  }
  const indicator = await execute(env.handler, as.coordinator, DefineIndicatorDocument, {
    input: { measureId, name: 'Tall', unit: 'stk', baseline: 0, target: 1, direction: 'INCREASE' },
  });
  expect(indicator.errors).toBeUndefined();
  await createBudgetLine(env.handler);
}, 120_000);

const count = async (table: string, key: { pk: string; sk: string }) => {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  return (await env.documentClient.send(new GetCommand({ TableName: table, Key: key }))).Item?.n;
};

describe('the writes keep the list counters', () => {
  it("a plan's counters equal a recount, with each measure's milestones and indicators", async () => {
    const repos = createRepositories(env.db());
    const stored = Object.fromEntries(Object.entries(await repos.plans.planCounts('hp-2011-2014')).filter(([, v]) => v !== 0));
    const recounted = (await recountPlan(repos, 'hp-2011-2014')).counts;
    expect(stored).toEqual(recounted);
    expect(recounted[`ML_${measureId}`]).toBe(2);
    expect(recounted[`IN_${measureId}`]).toBe(1);
  });
});

describe('npm run migrate -- list-counters', () => {
  it('sets the counters data stored before the caps lacks to a recount; a second run sets the same', async () => {
    // Prepare: the counters as stored before the caps: none.
    await env.documentClient.send(
      new UpdateCommand({
        TableName: env.names.measures,
        Key: { pk: 'PLAN#hp-2011-2014', sk: 'STATS' },
        UpdateExpression: 'REMOVE counts.#ml, counts.#in',
        ExpressionAttributeNames: { '#ml': `ML_${measureId}`, '#in': `IN_${measureId}` },
      }),
    );
    for (const [table, key] of [
      [env.names.measures, { pk: 'PLANS', sk: 'COUNT' }],
      [env.names.responsibilities, { pk: 'AGENCIES', sk: 'COUNT' }],
      [env.names.funding, { pk: 'LINECOUNT', sk: 'YEAR#2012' }],
      [env.names.funding, { pk: 'LINECOUNT', sk: 'PLAN#hp-2011-2014' }],
    ] as const) {
      await env.documentClient.send(new DeleteCommand({ TableName: table, Key: key }));
    }

    // Act
    const first = await migrateListCounters(env.db);
    const second = await migrateListCounters(env.db);

    // Assess
    expect(second).toEqual(first);
    const repos = createRepositories(env.db());
    const plans = await repos.plans.plans();
    const agencies = await repos.agencies.agencies();
    const lines = await repos.funding.budgetLines(2012, null);
    expect(first).toMatchObject({ plans: plans.length, agencies: agencies.length });
    expect(first.budgetLines).toBeGreaterThanOrEqual(lines.length);
    expect(await count(env.names.measures, { pk: 'PLANS', sk: 'COUNT' })).toBe(plans.length);
    expect(await count(env.names.responsibilities, { pk: 'AGENCIES', sk: 'COUNT' })).toBe(agencies.length);
    expect(await count(env.names.funding, { pk: 'LINECOUNT', sk: 'YEAR#2012' })).toBe(lines.length);
    expect(await count(env.names.funding, { pk: 'LINECOUNT', sk: 'PLAN#hp-2011-2014' })).toBe(
      lines.filter((l) => l.planId === 'hp-2011-2014').length,
    );
    const counts = await repos.plans.planCounts('hp-2011-2014');
    expect(counts[`ML_${measureId}`]).toBe(2);
    expect(counts[`IN_${measureId}`]).toBe(1);
  });
});
