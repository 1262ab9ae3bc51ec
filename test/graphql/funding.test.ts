import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BudgetLinesDocument,
  FundingSummaryDocument,
  MeasureDetailDocument,
  UpdateMeasureDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { formatMoney, MAX_ORE, parseMoney } from '../../functions/shared/money.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { ALLOCATE, allocate, CREATE_LINE, createBudgetLine, disburse, ministry } from '../support/funding.js';
import { expectFundingRollupsToMatch } from '../support/rollups.js';
import { scanAll } from '../support/scan.js';
import { createShelter } from '../support/shelters.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  // The source names no goals for the seeded measures; the test gives one a goal to see GOAL totals.
  await execute(env.handler, as.coordinator, UpdateMeasureDocument, {
    input: { id: 'hp-2011-2014-nav-kontor', expectedVersion: 2, goalNumbers: [2] },
  });
});

const scan = (table: string) => scanAll(env, table);

const summary = async (groupBy: 'MEASURE' | 'GOAL' | 'AGENCY' | 'BUDGET_LINE' | 'FISCAL_YEAR', fiscalYear?: number) =>
  (await execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy, fiscalYear })).data?.fundingSummary ??
  [];

/** A measure's funding totals in øre, as MeasureDetail answers them. */
async function measureFunding(id: string) {
  const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id });
  const funding = res.data?.measure?.funding;
  if (!funding) throw new Error(`MeasureDetail of ${id} failed: ${res.raw}`);
  return { allocated: parseMoney(funding.allocated, 'allocated'), disbursed: parseMoney(funding.disbursed, 'disbursed') };
}

describe('a ministry funds; a funder reads', () => {
  it('creates a line, allocates to a measure and a shelter, disburses; the funder sees the exact amounts by AGENCY, MEASURE and GOAL', async () => {
    // The measure's totals span every year, and other tests here fund it too (in other years): what this test adds is exact.
    const measureBefore = await measureFunding('hp-2011-2014-nav-kontor');
    const lineId = await createBudgetLine(env.handler, {
      fiscalYear: 2013,
      chapter: 440,
      post: 1,
      title: 'Tiltak mot menneskehandel',
      appropriated: '1000000.00',
    });
    const shelterId = await createShelter(env.handler, { name: 'Finansiert hus' });
    const toMeasure = await allocate(env.handler, {
      budgetLineId: lineId,
      amount: '250000.00',
      measureId: 'hp-2011-2014-nav-kontor',
      idempotencyKey: 'flow-1',
    });
    expect(toMeasure.errors).toBeUndefined();
    expect(toMeasure.data?.allocateFunds.allocation).toMatchObject({
      amount: '250000.00',
      disbursed: '0.00',
      budgetLine: { allocated: '250000.00' },
    });
    const toShelter = await allocate(env.handler, {
      budgetLineId: lineId,
      amount: '100000.50',
      shelterId,
      recipientId: 'kirkens-bymisjon',
      idempotencyKey: 'flow-2',
    });
    expect(toShelter.errors).toBeUndefined();
    const paid = await disburse(env.handler, {
      allocationId: toMeasure.data?.allocateFunds.allocation.id,
      amount: '50000.25',
      date: '2013-03-15',
      idempotencyKey: 'flow-3',
    });
    expect(paid.data?.recordDisbursement.allocation).toMatchObject({ amount: '250000.00', disbursed: '50000.25' });

    const byAgency = (await summary('AGENCY', 2013)).find((r) => r.key === 'ad');
    expect(byAgency).toEqual({ key: 'ad', label: 'Arbeidsdepartementet', fiscalYear: 2013, allocated: '350000.50', disbursed: '50000.25' });
    expect((await summary('MEASURE', 2013)).find((r) => r.key === 'hp-2011-2014-nav-kontor')).toEqual({
      key: 'hp-2011-2014-nav-kontor',
      label: 'Tydeliggjøre NAV-kontorets ansvar',
      fiscalYear: 2013,
      allocated: '250000.00',
      disbursed: '50000.25',
    });
    expect((await summary('GOAL', 2013)).find((r) => r.key === '2')).toMatchObject({ allocated: '250000.00', disbursed: '50000.25' });
    expect((await summary('BUDGET_LINE', 2013)).find((r) => r.key === lineId)).toMatchObject({
      label: 'Kap. 440 post 01 Tiltak mot menneskehandel (2013)',
      allocated: '350000.50',
    });

    const lines = await execute(env.handler, as.funder, BudgetLinesDocument, { fiscalYear: 2013, agencyId: 'ad' });
    expect(lines.data?.budgetLines).toEqual([
      {
        id: lineId,
        fiscalYear: 2013,
        chapter: 440,
        post: 1,
        title: 'Tiltak mot menneskehandel',
        appropriated: '1000000.00',
        allocated: '350000.50',
        agency: { id: 'ad', name: 'Arbeidsdepartementet' },
      },
    ]);
    expect(await measureFunding('hp-2011-2014-nav-kontor')).toEqual({
      allocated: measureBefore.allocated + parseMoney('250000.00', 'amount'),
      disbursed: measureBefore.disbursed + parseMoney('50000.25', 'amount'),
    });
    const shelter = await executeText<{ shelter: { funding: unknown } }>(
      env.handler,
      as.funder,
      'query ($id: ID!) { shelter(id: $id) { funding { allocated disbursed } } }',
      { id: shelterId },
    );
    expect(shelter.data?.shelter.funding).toEqual({ allocated: '100000.50', disbursed: '0.00' });

    // A repeated request with the same key changes nothing and answers the first result.
    const before = await scan(env.names.funding);
    const again = await allocate(env.handler, {
      budgetLineId: lineId,
      amount: '250000.00',
      measureId: 'hp-2011-2014-nav-kontor',
      idempotencyKey: 'flow-1',
    });
    expect(again.data?.allocateFunds.allocation.id).toBe(toMeasure.data?.allocateFunds.allocation.id);
    const paidAgain = await disburse(env.handler, {
      allocationId: toMeasure.data?.allocateFunds.allocation.id,
      amount: '50000.25',
      date: '2013-03-15',
      idempotencyKey: 'flow-3',
    });
    expect(paidAgain.data?.recordDisbursement.disbursement.id).toBe(paid.data?.recordDisbursement.disbursement.id);
    expect(await scan(env.names.funding)).toEqual(before);
  });

  it('refuses the same key with a different request as CONFLICT, and keys of different agencies never collide', async () => {
    const lineId = await createBudgetLine(env.handler);
    await allocate(env.handler, { budgetLineId: lineId, amount: '10.00', recipientId: 'nav', idempotencyKey: 'shared-key' });
    const changed = await allocate(env.handler, {
      budgetLineId: lineId,
      amount: '11.00',
      recipientId: 'nav',
      idempotencyKey: 'shared-key',
    });
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    const byCoordinator = await allocate(
      env.handler,
      { budgetLineId: lineId, amount: '12.00', recipientId: 'nav', idempotencyKey: 'shared-key' },
      as.coordinator,
    );
    expect(byCoordinator.errors).toBeUndefined();
    const line = (await scan(env.names.funding)).find((i) => i.pk === `LINE#${lineId}`);
    expect(line?.allocatedOre).toBe(2200);
  });
});

describe('racing writers', () => {
  it('parallel allocations that together exceed the appropriation: exactly those that fit land', async () => {
    const lineId = await createBudgetLine(env.handler, { appropriated: '1000.00' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => allocate(env.handler, { budgetLineId: lineId, amount: '150.00', recipientId: 'nav' })),
    );
    const landed = results.filter((r) => !r.errors);
    expect(landed).toHaveLength(6);
    for (const r of results.filter((x) => x.errors)) expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'amount' });
    const items = await scan(env.names.funding);
    const stored = items.filter((i) => i.sk === 'ALLOC' && i.budgetLineId === lineId);
    expect(stored).toHaveLength(6);
    const line = items.find((i) => i.pk === `LINE#${lineId}`);
    expect(line).toMatchObject({ allocatedOre: 90000, remainingOre: 10000 });
    expect((await summary('BUDGET_LINE', 2012)).find((r) => r.key === lineId)?.allocated).toBe('900.00');
  });

  it('parallel disbursements on one allocation: exactly those that fit land', async () => {
    const lineId = await createBudgetLine(env.handler);
    const allocation = await allocate(env.handler, { budgetLineId: lineId, amount: '500.00', recipientId: 'nav' });
    const allocationId = allocation.data?.allocateFunds.allocation.id;
    const results = await Promise.all(Array.from({ length: 8 }, () => disburse(env.handler, { allocationId, amount: '100.00' })));
    expect(results.filter((r) => !r.errors)).toHaveLength(5);
    const stored = (await scan(env.names.funding)).filter((i) => i.pk === `ALLOC#${allocationId}` && String(i.sk).startsWith('DISB#'));
    expect(stored).toHaveLength(5);
    expect((await scan(env.names.funding)).find((i) => i.pk === `ALLOC#${allocationId}` && i.sk === 'ALLOC')).toMatchObject({
      disbursedOre: 50000,
      undisbursedOre: 0,
    });
  });

  it('the same idempotency key sent ten times at once writes once', async () => {
    const lineId = await createBudgetLine(env.handler);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        allocate(env.handler, { budgetLineId: lineId, amount: '42.00', recipientId: 'nav', idempotencyKey: 'burst' }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual(Array(10).fill(undefined));
    expect(new Set(results.map((r) => r.data?.allocateFunds.allocation.id)).size).toBe(1);
    const stored = (await scan(env.names.funding)).filter((i) => i.sk === 'ALLOC' && i.budgetLineId === lineId);
    expect(stored).toHaveLength(1);
    const entries = (await scan(env.names.audit)).filter((i) => i.action === 'allocateFunds' && i.pk === `ENTITY#${stored[0]?.id}`);
    expect(entries).toHaveLength(1);
  });
});

describe('rollups', () => {
  it('equal the sums recomputed from stored allocations and disbursements after random writes', async () => {
    const shelterId = await createShelter(env.handler, { name: 'Egenskapshus' });
    const lineIds = [
      await createBudgetLine(env.handler, { fiscalYear: 2011, appropriated: '5000.00' }),
      await createBudgetLine(env.handler, { fiscalYear: 2014, appropriated: '3000.00' }),
    ];
    const targets = [
      { measureId: 'hp-2011-2014-nav-kontor' },
      { measureId: 'hp-2011-2014-kom' },
      { shelterId },
      { recipientId: 'nav' },
      { measureId: 'hp-2011-2014-lauras-hus', shelterId },
    ];
    const allocationIds: string[] = [];
    let revised = 0;
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('allocate' as const),
        line: fc.nat(1),
        target: fc.nat(targets.length - 1),
        cents: fc.integer({ min: 1, max: 200_000 }),
      }),
      fc.record({ kind: fc.constant('disburse' as const), pick: fc.nat(), cents: fc.integer({ min: 1, max: 100_000 }) }),
      // A revision up or down: below the allocated amount it is CONFLICT, and the line stays within its appropriation.
      fc.record({ kind: fc.constant('revise' as const), line: fc.nat(1), cents: fc.integer({ min: 0, max: 1_000_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 15 }), async (commands) => {
        for (const c of commands) {
          if (c.kind === 'allocate') {
            const res = await allocate(env.handler, { budgetLineId: lineIds[c.line], amount: formatMoney(c.cents), ...targets[c.target] });
            if (!res.errors) allocationIds.push(res.data?.allocateFunds.allocation.id ?? '');
            else expect(res.errors[0]?.extensions?.code).toBe('CONFLICT');
          } else if (c.kind === 'revise') {
            const line = (await scan(env.names.funding)).find((i) => i.pk === `LINE#${lineIds[c.line]}` && i.sk === 'LINE');
            const res = await executeText(
              env.handler,
              ministry,
              'mutation ($i: ReviseBudgetLineInput!) { reviseBudgetLine(input: $i) { budgetLine { id } } }',
              {
                i: {
                  id: lineIds[c.line],
                  appropriated: formatMoney(c.cents),
                  reason: 'Egenskapstest',
                  decidedOn: `${line?.fiscalYear}-06-01`,
                  expectedVersion: Number(line?.version ?? 1),
                },
              },
            );
            // Below the allocated amount, or past the most revisions a line keeps (MAX_REVISIONS).
            if (res.errors)
              expect([
                { code: 'CONFLICT', field: 'appropriated' },
                { code: 'BAD_USER_INPUT', field: 'id' },
              ]).toContainEqual({ code: res.errors[0]?.extensions?.code, field: res.errors[0]?.extensions?.field });
            else revised++;
          } else if (allocationIds.length > 0) {
            const id = allocationIds[c.pick % allocationIds.length];
            const year = (await scan(env.names.funding)).find((i) => i.pk === `ALLOC#${id}` && i.sk === 'ALLOC')?.fiscalYear;
            const res = await disburse(env.handler, { allocationId: id, amount: formatMoney(c.cents), date: `${year}-05-05` });
            if (res.errors) expect(res.errors[0]?.extensions?.code).toBe('CONFLICT');
          }
        }
        await expectFundingRollupsToMatch(env);
      }),
      { numRuns: 6 },
    );
    // Revisions did land among the allocations, so the invariants above were checked across them.
    expect(revised).toBeGreaterThan(0);
  }, 120_000);
});

describe('money', () => {
  it('round-trips every valid amount exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_ORE - 1n }), (ore) => {
        expect(parseMoney(formatMoney(ore), 'amount')).toBe(ore);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.constantFrom('', '.5', '.50', '.05'), (kroner, decimals) => {
        const text = `${kroner}${decimals}`;
        expect(formatMoney(parseMoney(text, 'amount'))).toBe(`${kroner}.${decimals === '' ? '00' : decimals.slice(1).padEnd(2, '0')}`);
      }),
    );
  });

  it('refuses every invalid amount, naming the field', () => {
    const invalid = fc.oneof(
      fc
        .double({ noNaN: false })
        .map(String)
        .filter((s) => !/^(0|[1-9]\d*)(\.\d{1,2})?$/.test(s)),
      fc.tuple(fc.nat(), fc.integer({ min: 100, max: 99999 })).map(([a, b]) => `${a}.${b}`),
      fc.nat().map((n) => `${n}e3`),
      fc.integer({ min: 1 }).map((n) => `-${n}.00`),
      fc.constantFrom(
        '',
        ' 1.00',
        '1.00 ',
        '01.00',
        '1,00',
        '1.',
        '.5',
        '+1.00',
        'NaN',
        'Infinity',
        '0x10',
        `${MAX_ORE / 100n}.00`,
        '1_000.00',
      ),
    );
    fc.assert(
      fc.property(invalid, (text) => {
        expect(() => parseMoney(text, 'amount')).toThrow(
          expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'amount' } }),
        );
      }),
    );
  });

  it.each([
    ['a float', 1250.5],
    ['a third decimal', '1.005'],
    ['an exponent', '1e6'],
    ['a negative amount', '-10.00'],
    ['zero', '0.00'],
    ['past what is stored exactly', '10000000000000000000000000000.00'],
  ])('through the API: %s is BAD_USER_INPUT naming the field, and nothing is written', async (_name, amount) => {
    const lineId = await createBudgetLine(env.handler);
    const before = await scan(env.names.funding);
    const res = await executeText(env.handler, ministry, ALLOCATE, {
      input: { budgetLineId: lineId, amount, recipientId: 'nav', idempotencyKey: 'money' },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringMatching(/amount/) });
    expect(await scan(env.names.funding)).toEqual(before);
  });
});

describe('large amounts', () => {
  it('are stored and read back exactly, past what a JS number holds', async () => {
    const lineId = await createBudgetLine(env.handler, { fiscalYear: 2014, appropriated: '98765432109876543210.99' });
    const res = await allocate(env.handler, { budgetLineId: lineId, amount: '90071992547409.93', recipientId: 'nav' });
    expect(res.errors).toBeUndefined();
    const lines = await execute(env.handler, as.funder, BudgetLinesDocument, { fiscalYear: 2014, agencyId: 'ad' });
    expect(lines.data?.budgetLines.find((l) => l.id === lineId)).toMatchObject({
      appropriated: '98765432109876543210.99',
      allocated: '90071992547409.93',
    });
  });

  it('are exact in a CONFLICT: allocating 123456789012345679.00 from a line of 123456789012345678.91 names the true remainder', async () => {
    // The remainder comes back in DynamoDB's attribute-value form (a cancellation reason), not through
    // the document client: read as a JS number it would be 123456789012345671.68.
    const lineId = await createBudgetLine(env.handler, { fiscalYear: 2014, appropriated: '123456789012345678.91' });
    const res = await allocate(env.handler, { budgetLineId: lineId, amount: '123456789012345679.00', recipientId: 'nav' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'amount', remaining: '123456789012345678.91' });
    expect(res.errors?.[0]?.message).toBe('The amount exceeds what is left of the budget line (123456789012345678.91).');
  });
});

describe('bad input and rights', () => {
  it.each([
    ['a year outside the plan', { fiscalYear: 2015 }, 'BAD_USER_INPUT', 'fiscalYear'],
    ['a post out of range', { post: 100 }, 'BAD_USER_INPUT', 'post'],
    ['an empty title', { title: ' ' }, 'BAD_USER_INPUT', 'title'],
    ['a directorate’s line (NAV’s), which the ministry does not hold', { agencyId: 'nav' }, 'FORBIDDEN', undefined],
    ['another ministry’s line', { agencyId: 'hod' }, 'FORBIDDEN', undefined],
  ])('createBudgetLine refuses %s', async (_name, overrides, code, field) => {
    const res = await executeText(env.handler, ministry, CREATE_LINE, {
      input: { fiscalYear: 2012, agencyId: 'ad', chapter: 9000, post: 1, title: 'X', appropriated: '1.00', ...overrides },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, ...(field ? { field } : {}) });
  });

  it('refuses a duplicate line for the same ministry, year, chapter and post', async () => {
    const input = { fiscalYear: 2014, agencyId: 'ad', chapter: 8888, post: 21, title: 'Dobbel', appropriated: '5.00' };
    expect((await executeText(env.handler, ministry, CREATE_LINE, { input })).errors).toBeUndefined();
    expect((await executeText(env.handler, ministry, CREATE_LINE, { input })).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'post',
    });
  });

  it('refuses a disbursement dated outside the line’s fiscal year, and an allocation to nothing', async () => {
    const lineId = await createBudgetLine(env.handler);
    const nothing = await allocate(env.handler, { budgetLineId: lineId, amount: '1.00' });
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureId' });
    const a = await allocate(env.handler, { budgetLineId: lineId, amount: '1.00', recipientId: 'nav' });
    const late = await disburse(env.handler, { allocationId: a.data?.allocateFunds.allocation.id, amount: '1.00', date: '2013-01-01' });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
  });

  it('refuses a line held by an NGO: appropriations are held by ministries and directorates', async () => {
    const res = await executeText(env.handler, as.otherAgency, CREATE_LINE, {
      input: { fiscalYear: 2012, agencyId: 'kirkens-bymisjon', chapter: 9001, post: 1, title: 'X', appropriated: '1.00' },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
    const directorate = await executeText(env.handler, as.nav, CREATE_LINE, {
      input: { fiscalYear: 2012, agencyId: 'nav', chapter: 9002, post: 1, title: 'Egen post', appropriated: '1.00' },
    });
    expect(directorate.errors).toBeUndefined();
  });

  it('lets a ministry record only on its own lines', async () => {
    const lineId = await createBudgetLine(env.handler);
    const other = { groups: ['agency:hod'], subject: 'user-hod' };
    expect(
      (await allocate(env.handler, { budgetLineId: lineId, amount: '1.00', recipientId: 'nav' }, other)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const a = await allocate(env.handler, { budgetLineId: lineId, amount: '1.00', recipientId: 'nav' });
    expect(
      (await disburse(env.handler, { allocationId: a.data?.allocateFunds.allocation.id, amount: '1.00' }, other)).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await disburse(env.handler, { allocationId: a.data?.allocateFunds.allocation.id, amount: '1.00' }, as.funder)).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for an unknown line, allocation or plan', async () => {
    expect(
      (await allocate(env.handler, { budgetLineId: 'line-nope', amount: '1.00', recipientId: 'nav' })).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'NOT_FOUND', field: 'budgetLineId' });
    expect((await disburse(env.handler, { allocationId: 'alloc-nope', amount: '1.00' })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'allocationId',
    });
    const res = await execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'nope', groupBy: 'GOAL' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
  });
});
