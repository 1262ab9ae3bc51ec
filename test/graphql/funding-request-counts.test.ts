import { beforeAll, describe, expect, it } from 'vitest';
import {
  AllocationsDocument,
  BudgetLinesDocument,
  DisbursementsDocument,
  FundingMatrixDocument,
  FundingSummaryDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, disburse } from '../support/funding.js';

let env: TestEnvironment;
const navMeasures = ['hp-2011-2014-nav-kontor', 'hp-2011-2014-lauras-hus', 'hp-2011-2014-botilbud', 'hp-2011-2014-bistand'];

/** Lines of 2012, each with allocations to NAV's measures and a disbursement on each. */
async function addFunding(lines: number, allocationsPerLine: number) {
  for (let l = 0; l < lines; l++) {
    const budgetLineId = await createBudgetLine(env.handler, { appropriated: '100000000.00' });
    for (let a = 0; a < allocationsPerLine; a++) {
      const res = await allocate(env.handler, {
        budgetLineId,
        amount: '1000.00',
        measureId: navMeasures[a % navMeasures.length],
        recipientId: 'nav',
      });
      await disburse(env.handler, { allocationId: res.data?.allocateFunds.allocation.id, amount: '250.00' });
    }
  }
}

const operations: Record<string, () => Promise<{ errors?: unknown }>> = {
  FundingSummary: () =>
    execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'MEASURE', fiscalYear: 2012 }),
  BudgetLines: () => execute(env.handler, as.funder, BudgetLinesDocument, { fiscalYear: 2012, agencyId: 'ad' }),
  FundingMatrix: () =>
    execute(env.handler, as.funder, FundingMatrixDocument, { planId: 'hp-2011-2014', rows: 'BUDGET_LINE', columns: 'FISCAL_YEAR' }),
  AllocationsByYear: () => execute(env.handler, as.funder, AllocationsDocument, { filter: { fiscalYear: 2012 }, first: 3 }),
  AllocationsByMeasure: () =>
    execute(env.handler, as.nav, AllocationsDocument, { filter: { measureId: 'hp-2011-2014-nav-kontor' }, first: 3 }),
  AllocationsByRecipient: () => execute(env.handler, as.viewer, AllocationsDocument, { filter: { recipientAgencyId: 'nav' }, first: 3 }),
  DisbursementsByYear: () => execute(env.handler, as.funder, DisbursementsDocument, { filter: { fiscalYear: 2012 }, first: 3 }),
  DisbursementsByRecipient: () =>
    execute(env.handler, as.coordinator, DisbursementsDocument, { filter: { recipientAgencyId: 'nav' }, first: 3 }),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

describe('DynamoDB requests of the funding operations do not grow with the data', () => {
  it('are exact at 1× and the same at 10× the allocations', async () => {
    await addFunding(1, 4);
    const small = await env.requestsPerOperation(operations);
    expect(small).toEqual({
      // the plan · the summary's rollup items, one Query
      FundingSummary: ['BatchGetItem', 'Query'],
      // the year's lines of the agency · their agencies
      BudgetLines: ['BatchGetItem', 'Query'],
      // the plan · every year's rollup items of the grouping, one Query
      FundingMatrix: ['BatchGetItem', 'Query'],
      // the page, one Query · its lines, measures and recipients, one batch
      AllocationsByYear: ['BatchGetItem', 'Query'],
      AllocationsByMeasure: ['BatchGetItem', 'Query'],
      AllocationsByRecipient: ['BatchGetItem', 'Query'],
      // the page, one Query · the nodes' allocations, one batch
      DisbursementsByYear: ['BatchGetItem', 'Query'],
      DisbursementsByRecipient: ['BatchGetItem', 'Query'],
    });
    await addFunding(3, 12);
    expect(await env.requestsPerOperation(operations)).toEqual(small);
  }, 180_000);
});
