import { beforeAll, describe, expect, it } from 'vitest';
import { FundingMatrixDocument, ReviseBudgetLineDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { ConflictError } from '../../functions/shared/errors.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, ministry } from '../support/funding.js';

let env: TestEnvironment;
let lineId: string;

const revise = (input: Record<string, unknown>, caller = ministry as Parameters<typeof execute>[1]) =>
  execute(env.handler, caller, ReviseBudgetLineDocument, {
    input: {
      id: lineId,
      reason: 'Revidert nasjonalbudsjett',
      decidedOn: '2012-06-20',
      expectedVersion: 1,
      appropriated: '800.00',
      ...input,
    } as never,
  });

const SUMMARY =
  'query ($g: FundingGroupBy!) { fundingSummary(planId: "hp-2011-2014", groupBy: $g, fiscalYear: 2012) { key fiscalYear appropriated allocated disbursed rate demoShare } }';

const summaryRow = async (groupBy: 'BUDGET_LINE' | 'AGENCY' | 'MEASURE', key: string) =>
  (
    await executeText<{ fundingSummary: Record<string, unknown>[] }>(env.handler, as.funder, SUMMARY, { g: groupBy })
  ).data?.fundingSummary.find((r) => r.key === key);

/** A line of 1,000 kr with 300 kr allocated: each test that revises one has its own, so that any order holds. */
async function freshLine(): Promise<string> {
  const id = await createBudgetLine(env.handler, { appropriated: '1000.00' });
  const res = await allocate(env.handler, { budgetLineId: id, amount: '300.00', measureId: 'hp-2011-2014-nav-kontor' });
  expect(res.errors).toBeUndefined();
  return id;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  lineId = await freshLine();
}, 180_000);

describe('reviseBudgetLine', () => {
  it('shows a new line’s appropriation in the summaries at once, with the rate disbursed / appropriated', async () => {
    const row = await summaryRow('BUDGET_LINE', lineId);
    expect(row).toMatchObject({ appropriated: '1000.00', allocated: '300.00', disbursed: '0.00', rate: 0 });
    // A measure holds no lines: no appropriation there.
    expect(await summaryRow('MEASURE', 'hp-2011-2014-nav-kontor')).toMatchObject({ appropriated: null, rate: null });
  });

  it('refuses others, a revision below the allocated amount (naming it), a stale version and bad input, writing nothing', async () => {
    for (const caller of [as.nav, as.funder, as.viewer]) {
      expect((await revise({}, caller)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const below = await revise({ appropriated: '299.99' });
    expect(below.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'appropriated', allocated: '300.00' });
    expect(below.errors?.[0]?.message).toContain('300.00');
    expect((await revise({ expectedVersion: 2 })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    expect((await revise({ reason: '' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await revise({ decidedOn: '2014-01-01' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
    });
    expect((await revise({ appropriated: '-1.00' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.appropriated',
    });
    expect((await revise({ id: 'no-such-line' })).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await summaryRow('BUDGET_LINE', lineId)).toMatchObject({ appropriated: '1000.00' });
  });

  it('keeps the original and the revisions on the line, moves the summaries in the same transaction, and is audited', async () => {
    const lineId = await freshLine();
    const res = await revise({ id: lineId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.reviseBudgetLine.budgetLine).toMatchObject({
      version: 2,
      appropriated: '800.00',
      appropriatedOriginal: '1000.00',
      allocated: '300.00',
      revisions: [{ appropriated: '800.00', reason: 'Revidert nasjonalbudsjett', decidedOn: '2012-06-20' }],
    });
    expect(await summaryRow('BUDGET_LINE', lineId)).toMatchObject({ appropriated: '800.00', allocated: '300.00' });
    const again = await revise(
      { id: lineId, expectedVersion: 2, appropriated: '1200.00', reason: 'Nysaldering', decidedOn: '2012-11-30' },
      as.coordinator,
    );
    expect(again.data?.reviseBudgetLine.budgetLine).toMatchObject({ version: 3, appropriated: '1200.00', appropriatedOriginal: '1000.00' });
    expect(again.data?.reviseBudgetLine.budgetLine.revisions.map((r) => r.appropriated)).toEqual(['800.00', '1200.00']);
    expect(await summaryRow('BUDGET_LINE', lineId)).toMatchObject({ appropriated: '1200.00', rate: 0 });
    // The allocation now fits under the new appropriation, and not over it.
    expect((await allocate(env.handler, { budgetLineId: lineId, amount: '900.00', recipientId: 'nav' })).errors).toBeUndefined();
    expect((await allocate(env.handler, { budgetLineId: lineId, amount: '0.01', recipientId: 'nav' })).errors?.[0]?.extensions?.code).toBe(
      'CONFLICT',
    );
    const trail = await executeText<{ auditTrail: { edges: { node: { action: string } }[] } }>(
      env.handler,
      as.coordinator,
      'query ($id: ID!) { auditTrail(entityId: $id) { edges { node { action } } } }',
      { id: lineId },
    );
    expect(trail.data?.auditTrail.edges.filter((e) => e.node.action === 'reviseBudgetLine')).toHaveLength(2);
  });

  it('refuses in the transaction a revision below what an allocation made since the read has reached', async () => {
    const id = await createBudgetLine(env.handler, { appropriated: '1000.00' });
    const read = await createRepositories(env.db()).funding.budgetLine(id);
    if (!read) throw new Error('line missing');
    expect((await allocate(env.handler, { budgetLineId: id, amount: '700.00', recipientId: 'nav' })).errors).toBeUndefined();
    const revision = { appropriatedOre: 50_000n, reason: 'Kutt', decidedOn: '2012-06-20', recordedAt: new Date().toISOString() };
    const write = createRepositories(env.db()).funding.reviseBudgetLine(read, revision, 1, [], {
      subject: 'x',
      roles: ['COORDINATOR'],
      agencyId: null,
    });
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    await expect(write).rejects.toMatchObject({ extensions: { allocated: '700.00' } });
  });

  it('answers fundingMatrix by budget line, agency and goal from the rollups, year by year', async () => {
    const lineId = await freshLine();
    expect((await revise({ id: lineId, appropriated: '1200.00' }, as.coordinator)).errors).toBeUndefined();
    const byLine = await execute(env.handler, as.viewer, FundingMatrixDocument, {
      planId: 'hp-2011-2014',
      rows: 'BUDGET_LINE',
      columns: 'FISCAL_YEAR',
    });
    expect(byLine.errors).toBeUndefined();
    const row = byLine.data?.fundingMatrix.rows.find((r) => r.key === lineId);
    expect(row?.cells).toEqual([expect.objectContaining({ fiscalYear: 2012, appropriated: '1200.00', allocated: '300.00' })]);
    const byAgency = await execute(env.handler, as.nav, FundingMatrixDocument, {
      planId: 'hp-2011-2014',
      rows: 'AGENCY',
      columns: 'FISCAL_YEAR',
    });
    const ad = byAgency.data?.fundingMatrix.rows.find((r) => r.key === 'ad')?.cells.find((c) => c.fiscalYear === 2012);
    expect(ad).toMatchObject((await summaryRow('AGENCY', 'ad')) ?? { missing: true });
    const byGoal = await execute(env.handler, as.funder, FundingMatrixDocument, {
      planId: 'hp-2011-2014',
      rows: 'GOAL',
      columns: 'FISCAL_YEAR',
    });
    // The seed's measures name no goals: no GOAL cells yet, and no error.
    expect(byGoal.errors).toBeUndefined();
    expect(byGoal.data?.fundingMatrix).toEqual({ fiscalYears: [], rows: [] });
    const missing = await execute(env.handler, as.funder, FundingMatrixDocument, {
      planId: 'no-plan',
      rows: 'GOAL',
      columns: 'FISCAL_YEAR',
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
