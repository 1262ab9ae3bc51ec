import { beforeAll, describe, expect, it } from 'vitest';
import {
  AllocateFundsDocument,
  AssignResponsibilityDocument,
  RecordDisbursementDocument,
  ReportCapacityDocument,
  ReviseBudgetLineDocument,
  SubmitStatusReportDocument,
  UpdateMeasureDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, ministry } from '../support/funding.js';
import { createShelter } from '../support/shelters.js';

/**
 * Every contract mutation, run as its usual caller, makes exactly the DynamoDB requests of docs/api.md's
 * floor: one BatchGetItem per dependent level of what it must check, one TransactWriteItems, and no
 * read after the write (the answer comes from what it wrote).
 */
let env: TestEnvironment;
let lineId = '';
let allocationId = '';
let shelterId = '';
let keys = 0;
const key = () => `count-${++keys}`;
const NAV_LEAD = 'hp-2011-2014-nav-kontor';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  lineId = await createBudgetLine(env.handler);
  const res = await allocate(env.handler, { budgetLineId: lineId, amount: '1000.00', measureId: NAV_LEAD });
  allocationId = res.data?.allocateFunds.allocation.id ?? '';
  shelterId = await createShelter(env.handler, { name: 'Tellehuset' });
}, 180_000);

async function versionOf(id: string): Promise<number> {
  const measure = await createRepositories(env.db()).plans.measure(id);
  if (!measure) throw new Error(`${id} is missing`);
  return measure.version;
}

describe('DynamoDB requests of each contract mutation', () => {
  it('are at the floor: one batch per level read, one transaction, nothing after it', async () => {
    const expectedVersion = await versionOf('hp-2011-2014-kom');
    const counts = await env.requestsPerOperation({
      UpdateMeasure: () =>
        execute(env.handler, as.coordinator, UpdateMeasureDocument, {
          input: { id: 'hp-2011-2014-kom', expectedVersion, title: 'KOM, endret' },
        }),
      AssignResponsibility: () =>
        execute(env.handler, as.coordinator, AssignResponsibilityDocument, {
          input: { measureId: 'hp-2011-2014-kom', agencyId: 'hod', role: 'SHARED' },
        }),
      SubmitStatusReport: () =>
        execute(env.handler, as.nav, SubmitStatusReportDocument, {
          input: { measureId: NAV_LEAD, period: '2012-H1', status: 'IN_PROGRESS', progressPercent: 40, summary: 'Godt i gang.' },
        }),
      ReportCapacity: () =>
        execute(env.handler, as.otherAgency, ReportCapacityDocument, {
          input: { shelterId, date: '2013-03-04', capacity: 10, occupied: 6 },
        }),
      AllocateFunds: () =>
        execute(env.handler, ministry, AllocateFundsDocument, {
          input: { idempotencyKey: key(), budgetLineId: lineId, amount: '10.00', measureId: NAV_LEAD, recipientId: 'nav' },
        }),
      RecordDisbursement: () =>
        execute(env.handler, ministry, RecordDisbursementDocument, {
          input: { idempotencyKey: key(), allocationId, amount: '1.00', date: '2012-03-01' },
        }),
    });
    expect(counts).toEqual({
      // the measure · the transaction (the plan only when goals change)
      UpdateMeasure: ['BatchGetItem', 'TransactWriteItems'],
      // the agency and the measure · the transaction
      AssignResponsibility: ['BatchGetItem', 'TransactWriteItems'],
      // the measure with the agency's earlier report · the transaction (the plan's period is a condition in it)
      SubmitStatusReport: ['BatchGetItem', 'TransactWriteItems'],
      // profile, the day's report and the last report of its month, quarter and year · the transaction
      ReportCapacity: ['BatchGetItem', 'TransactWriteItems'],
      // line, key, measure and recipient · the line's agency, the plan and the measure's totals · the transaction
      AllocateFunds: ['BatchGetItem', 'BatchGetItem', 'TransactWriteItems'],
      // allocation and key · the transaction
      RecordDisbursement: ['BatchGetItem', 'TransactWriteItems'],
    });
    expect(Object.values(counts).flat()).toHaveLength(13);
  }, 120_000);

  it('reviseBudgetLine reads the line, then its agency (the rollups’ labels), and writes one transaction', async () => {
    const counts = await env.requestsPerOperation({
      ReviseBudgetLine: () =>
        execute(env.handler, ministry, ReviseBudgetLineDocument, {
          input: { id: lineId, appropriated: '2000000.00', reason: 'Revidert', decidedOn: '2012-06-20', expectedVersion: 1 },
        }),
    });
    expect(counts).toEqual({ ReviseBudgetLine: ['BatchGetItem', 'BatchGetItem', 'TransactWriteItems'] });
  }, 120_000);

  it('a replaced report and a coordinator’s report cost what their extra level costs', async () => {
    const report = (caller: typeof as.nav | typeof as.coordinator, summary: string) =>
      execute(env.handler, caller, SubmitStatusReportDocument, {
        input: { measureId: NAV_LEAD, period: '2013', status: 'IN_PROGRESS', progressPercent: 50, summary },
      });
    const counts = await env.requestsPerOperation({
      'nav, first report of a period': () => report(as.nav, 'Første.'),
      'nav, replacing its report': () => report(as.nav, 'Andre.'),
      // Filed under the plan's coordinating ministry, which only the plan names.
      'coordinator, first report of a period': () => report(as.coordinator, 'Fra koordinator.'),
      // The write finds the earlier report and replaces it knowingly: one more transaction.
      'coordinator, replacing its report': () => report(as.coordinator, 'Fra koordinator, rettet.'),
    });
    expect(counts).toEqual({
      'nav, first report of a period': ['BatchGetItem', 'TransactWriteItems'],
      'nav, replacing its report': ['BatchGetItem', 'TransactWriteItems'],
      'coordinator, first report of a period': ['BatchGetItem', 'BatchGetItem', 'TransactWriteItems'],
      'coordinator, replacing its report': ['BatchGetItem', 'BatchGetItem', 'TransactWriteItems', 'TransactWriteItems'],
    });
  }, 120_000);
});
