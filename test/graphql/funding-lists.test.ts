import { beforeAll, describe, expect, it } from 'vitest';
import { AllocationsDocument, type AllocationsQuery, DisbursementsDocument } from '../../client/generated/graphql.js';
import { generateDemo } from '../../data/demo.js';
import { loadSeed } from '../../data/load-seed.js';
import { parseMoney } from '../../functions/shared/money.js';
import { as, execute, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, disburse } from '../support/funding.js';

let env: TestEnvironment;
let lineId: string;
let allocationIds: string[];

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  await generateDemo(env.db, { size: 1, kind: 'demo' });
  lineId = await createBudgetLine(env.handler, { appropriated: '10000.00' });
  allocationIds = [];
  for (const [i, target] of [
    { measureId: 'hp-2011-2014-nav-kontor', recipientId: 'nav' },
    { measureId: 'hp-2011-2014-botilbud' },
    { recipientId: 'kirkens-bymisjon' },
  ].entries()) {
    const res = await allocate(env.handler, { budgetLineId: lineId, amount: `${i + 1}00.00`, ...target });
    expect(res.errors).toBeUndefined();
    allocationIds.push(res.data?.allocateFunds.allocation.id ?? '');
  }
  for (const date of ['2012-03-01', '2012-02-01']) {
    const res = await disburse(env.handler, { allocationId: allocationIds[0], amount: '10.00', date });
    expect(res.errors).toBeUndefined();
  }
}, 300_000);

/** Every node of a list, page by page, with the number of pages read. */
async function pageThrough(filter: Record<string, unknown>, first: number) {
  const ids: string[] = [];
  let sum = 0n;
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const res: GraphQLResponse<AllocationsQuery> = await execute(env.handler, as.funder, AllocationsDocument, { filter, first, after });
    expect(res.errors).toBeUndefined();
    const conn: AllocationsQuery['allocations'] | undefined = res.data?.allocations;
    if (!conn) throw new Error('no connection');
    pages++;
    for (const e of conn.edges) {
      ids.push(e.node.id);
      sum += parseMoney(e.node.amount, 'amount');
    }
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor ?? null;
  }
  return { ids, sum, pages };
}

describe('allocations and disbursements as lists', () => {
  it('pages through every allocation of a demo line exactly once, and its sum is the line’s allocated total', async () => {
    const lines = await executeText<{ budgetLines: { id: string; allocated: string }[] }>(
      env.handler,
      as.funder,
      'query { budgetLines(fiscalYear: 2012) { id allocated } }',
    );
    const demoLines = (lines.data?.budgetLines ?? []).filter((l) => l.id.startsWith('demo-') && l.allocated !== '0.00');
    expect(demoLines.length).toBeGreaterThan(0);
    for (const line of demoLines) {
      const { ids, sum, pages } = await pageThrough({ budgetLineId: line.id }, 1);
      expect(ids.length).toBeGreaterThan(1);
      expect(pages).toBe(ids.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(sum).toBe(parseMoney(line.allocated, 'allocated'));
    }
  });

  it('lists by each filter field, and BudgetLine.allocations and Allocation.disbursements page the same way', async () => {
    const idsOf = async (filter: Record<string, unknown>) => (await pageThrough(filter, 100)).ids;
    expect(await idsOf({ budgetLineId: lineId })).toEqual(allocationIds);
    expect(await idsOf({ measureId: 'hp-2011-2014-botilbud' })).toContain(allocationIds[1]);
    expect(await idsOf({ measureId: 'hp-2011-2014-botilbud' })).not.toContain(allocationIds[0]);
    expect(await idsOf({ recipientAgencyId: 'kirkens-bymisjon' })).toContain(allocationIds[2]);
    expect(await idsOf({ recipientAgencyId: 'kirkens-bymisjon' })).not.toContain(allocationIds[0]);
    expect(await idsOf({ fiscalYear: 2012 })).toEqual(expect.arrayContaining(allocationIds));
    expect(await idsOf({ fiscalYear: 2013 })).not.toContain(allocationIds[0]);

    const nested = await executeText<{
      budgetLine: never;
      allocations: { edges: { node: { id: string; budgetLine: { allocations: { edges: { node: { id: string } }[] } } } }[] };
    }>(
      env.handler,
      as.viewer,
      `query ($id: ID!) { allocations(filter: { budgetLineId: $id }, first: 1) { edges { node { id
         budgetLine { allocations(first: 10) { edges { node { id } } } }
         disbursements(first: 10) { edges { node { id date amount } } pageInfo { hasNextPage } } } } } }`,
      { id: lineId },
    );
    expect(nested.errors).toBeUndefined();
    const node = nested.data?.allocations.edges[0]?.node as unknown as {
      budgetLine: { allocations: { edges: { node: { id: string } }[] } };
      disbursements: { edges: { node: { date: string; amount: string } }[] };
    };
    expect(node.budgetLine.allocations.edges.map((e) => e.node.id)).toEqual(allocationIds);
    expect(node.disbursements.edges.map((e) => e.node.date)).toEqual(['2012-02-01', '2012-03-01']);

    const byAllocation = await execute(env.handler, as.nav, DisbursementsDocument, { filter: { allocationId: allocationIds[0] } });
    expect(byAllocation.data?.disbursements.edges.map((e) => e.node.amount)).toEqual(['10.00', '10.00']);
    const byRecipient = await execute(env.handler, as.funder, DisbursementsDocument, { filter: { recipientAgencyId: 'nav' }, first: 100 });
    expect(byRecipient.data?.disbursements.edges.filter((e) => e.node.allocation.id === allocationIds[0])).toHaveLength(2);
    const byYear = await execute(env.handler, as.coordinator, DisbursementsDocument, { filter: { fiscalYear: 2012 }, first: 100 });
    expect(byYear.data?.disbursements.edges.filter((e) => e.node.allocation.id === allocationIds[0])).toHaveLength(2);
    const otherYear = await execute(env.handler, as.coordinator, DisbursementsDocument, { filter: { fiscalYear: 2011 }, first: 100 });
    expect(otherYear.data?.disbursements.edges.some((e) => e.node.allocation.id === allocationIds[0])).toBe(false);
  });

  it('refuses none or several filter fields, a year out of range and a cursor of another list; needs a role', async () => {
    for (const filter of [{}, { budgetLineId: lineId, fiscalYear: 2012 }]) {
      const res = await execute(env.handler, as.funder, AllocationsDocument, { filter });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
    }
    const twice = await execute(env.handler, as.funder, DisbursementsDocument, { filter: { allocationId: 'x', recipientAgencyId: 'nav' } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
    const year = await execute(env.handler, as.funder, AllocationsDocument, { filter: { fiscalYear: 20120 } });
    expect(year.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.fiscalYear' });

    const page = await execute(env.handler, as.funder, AllocationsDocument, { filter: { budgetLineId: lineId }, first: 1 });
    const cursor = page.data?.allocations.pageInfo.endCursor;
    expect(cursor).toBeTruthy();
    const foreign = await execute(env.handler, as.funder, AllocationsDocument, { filter: { fiscalYear: 2012 }, after: cursor });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const none = await execute(env.handler, { groups: [] }, AllocationsDocument, { filter: { budgetLineId: lineId } });
    expect(none.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(none.data).toBeNull();
  });
});
