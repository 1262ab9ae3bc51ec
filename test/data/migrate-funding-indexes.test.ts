import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AllocationsDocument, DisbursementsDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { migrateFundingIndexes } from '../../data/migrate-funding-indexes.js';
import { tableName } from '../../functions/shared/db.js';
import { keyOf } from '../../functions/shared/entity.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, disburse } from '../support/funding.js';

let env: TestEnvironment;
let lineId: string;
let allocationId: string;

const INDEX_ATTRIBUTES = [
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'recipientId',
];

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  lineId = await createBudgetLine(env.handler);
  const res = await allocate(env.handler, {
    budgetLineId: lineId,
    amount: '100.00',
    measureId: 'hp-2011-2014-nav-kontor',
    recipientId: 'nav',
  });
  allocationId = res.data?.allocateFunds.allocation.id ?? '';
  expect((await disburse(env.handler, { allocationId, amount: '40.00' })).errors).toBeUndefined();
  // As stored before the lists: no index keys, and a disbursement without its recipient.
  const db = env.db();
  const table = tableName(db, 'funding');
  const out = await db.client.send(new ScanCommand({ TableName: table }));
  const old = (out.Items ?? []).filter((i) => i.pk === `ALLOC#${allocationId}`);
  expect(old).toHaveLength(2);
  for (const item of old) {
    // An allocation keeps its own recipientId; only a disbursement's copy is new.
    const present = INDEX_ATTRIBUTES.filter((a) => item[a] !== undefined && (a !== 'recipientId' || item.sk !== 'ALLOC'));
    await db.client.send(new UpdateCommand({ TableName: table, Key: keyOf(item), UpdateExpression: `REMOVE ${present.join(', ')}` }));
  }
  // Summary rollups as stored before: no appropriation, no matrix keys.
  for (const item of (out.Items ?? []).filter((i) => String(i.pk).startsWith('SUMMARY#'))) {
    const present = ['appropriatedOre', 'gsi1pk', 'gsi1sk'].filter((a) => item[a] !== undefined);
    if (present.length > 0)
      await db.client.send(new UpdateCommand({ TableName: table, Key: keyOf(item), UpdateExpression: `REMOVE ${present.join(', ')}` }));
  }
}, 180_000);

const SUMMARY = '{ fundingSummary(planId: "hp-2011-2014", groupBy: BUDGET_LINE, fiscalYear: 2012) { key appropriated allocated } }';
const MATRIX = '{ fundingMatrix(planId: "hp-2011-2014", rows: BUDGET_LINE, columns: FISCAL_YEAR) { rows { key cells { appropriated } } } }';
const totals = async () => ({
  summary: (await executeText<{ fundingSummary: { key: string }[] }>(env.handler, as.funder, SUMMARY)).data?.fundingSummary.find(
    (r) => r.key === lineId,
  ),
  matrix: (await executeText<{ fundingMatrix: { rows: { key: string }[] } }>(env.handler, as.funder, MATRIX)).data?.fundingMatrix.rows.find(
    (r) => r.key === lineId,
  ),
});

const listed = async () => ({
  byLine: (await execute(env.handler, as.funder, AllocationsDocument, { filter: { budgetLineId: lineId } })).data?.allocations.edges.length,
  byMeasure: (
    await execute(env.handler, as.funder, AllocationsDocument, { filter: { measureId: 'hp-2011-2014-nav-kontor' } })
  ).data?.allocations.edges.filter((e) => e.node.id === allocationId).length,
  disbursedToNav: (
    await execute(env.handler, as.funder, DisbursementsDocument, { filter: { recipientAgencyId: 'nav' }, first: 100 })
  ).data?.disbursements.edges.filter((e) => e.node.allocation.id === allocationId).length,
});

describe('npm run migrate -- funding-indexes', () => {
  it('lists allocations and disbursements stored before the lists; a second run changes nothing', async () => {
    expect(await listed()).toEqual({ byLine: 0, byMeasure: 0, disbursedToNav: 0 });
    expect(await totals()).toEqual({ summary: { key: lineId, appropriated: null, allocated: '100.00' }, matrix: undefined });
    const first = await migrateFundingIndexes(env.db());
    expect(first).toMatchObject({ allocations: 1, disbursements: 1 });
    expect(first.rollups).toBeGreaterThan(0);
    expect(await listed()).toEqual({ byLine: 1, byMeasure: 1, disbursedToNav: 1 });
    expect(await totals()).toEqual({
      summary: { key: lineId, appropriated: '1000000.00', allocated: '100.00' },
      matrix: { key: lineId, cells: [{ appropriated: '1000000.00' }] },
    });
    const again = await migrateFundingIndexes(env.db());
    expect(again).toEqual({ allocations: 0, disbursements: 0, rollups: 0, unchanged: first.unchanged + 2 + first.rollups });
    // The totals the payment moved are untouched.
    const page = await execute(env.handler, as.funder, AllocationsDocument, { filter: { budgetLineId: lineId } });
    expect(page.data?.allocations.edges[0]?.node).toMatchObject({ amount: '100.00', disbursed: '40.00' });
  });
});
