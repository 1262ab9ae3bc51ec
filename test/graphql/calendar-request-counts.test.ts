import { beforeAll, describe, expect, it } from 'vitest';
import {
  AddMilestoneDocument,
  AgencyDutiesDocument,
  CompleteMilestoneDocument,
  CreatePlanDocument,
  DefineIndicatorDocument,
  MeasureResultsDocument,
  PlanProgressDocument,
  RecordIndicatorValueDocument,
  ReportingCalendarDocument,
  SetReportingScheduleDocument,
  UpdateMilestoneDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { osloToday } from '../../functions/plans/calendar.js';
import type { Provenance } from '../../functions/shared/provenance.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
const actor = { subject: 'test:factory', roles: ['COORDINATOR' as const], agencyId: null };
const imported: Provenance = { kind: 'IMPORT', reference: 'test', recordedAt: '2026-01-01T00:00:00.000Z' };
let made = 0;

/** Adds measures of the plan's text (roles from its start) that hod holds, every other one with a 2012 report by hod. */
async function addMeasures(count: number): Promise<string[]> {
  const { plans, agencies } = createRepositories(env.db());
  const at = new Date().toISOString();
  const ids: string[] = [];
  for (let i = 0; i < count; i++, made++) {
    let m = await plans.createMeasure(
      {
        id: `calendar-${made}`,
        planId: 'hp-2011-2014',
        number: null,
        title: `Tiltak ${made}`,
        description: null,
        status: 'PLANNED',
        version: 1,
        updatedAt: at,
        goalNumbers: [1 + (made % 5)],
        responsibilities: {},
      },
      actor,
    );
    m = await agencies.assign(m, 'hod', made % 2 === 0 ? 'LEAD' : 'SHARED', actor, at, imported);
    ids.push(m.id);
    if (made % 2 === 0) {
      await execute(
        env.handler,
        { groups: ['agency:hod'] },
        (await import('../../client/generated/graphql.js')).SubmitStatusReportDocument,
        {
          input: { measureId: m.id, period: '2012', status: 'IN_PROGRESS', progressPercent: 5, summary: 'Rapport.' },
        },
      );
    }
  }
  return ids;
}

const reads: Record<string, () => Promise<{ errors?: unknown }>> = {
  ReportingCalendar: () => execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: 'hp-2011-2014', period: '2012', first: 5 }),
  ReportingCalendarOverdue: () =>
    execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: 'hp-2011-2014', period: '2011', status: 'OVERDUE', first: 5 }),
  AgencyDuties: () => execute(env.handler, as.viewer, AgencyDutiesDocument, { id: 'hod', first: 5 }),
  PlanProgress: () => execute(env.handler, as.viewer, PlanProgressDocument, { planId: 'hp-2011-2014', period: '2012' }),
  MeasureResults: () => execute(env.handler, as.viewer, MeasureResultsDocument, { id: 'calendar-0' }),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

describe('DynamoDB requests of the calendar do not grow with the data', () => {
  it('are exact at 1× and the same at 10× the measures', async () => {
    await addMeasures(8);
    const small = await env.requestsPerOperation(reads);
    expect(small).toEqual({
      // plan · the plan's roles assigned by the period's end · their reports, measures and agencies in one batch
      ReportingCalendar: ['BatchGetItem', 'BatchGetItem', 'Query'],
      // the same: in 2011 nothing is submitted, so the first step fills the page
      ReportingCalendarOverdue: ['BatchGetItem', 'BatchGetItem', 'Query'],
      // agency · its roles · their plans · the page's reports and measures
      AgencyDuties: ['BatchGetItem', 'BatchGetItem', 'BatchGetItem', 'Query'],
      // plan · its counters
      PlanProgress: ['BatchGetItem', 'BatchGetItem'],
      // measure · its milestones and indicators
      MeasureResults: ['BatchGetItem', 'Query', 'Query'],
    });
    await addMeasures(72);
    expect(await env.requestsPerOperation(reads)).toEqual(small);
  }, 180_000);
});

describe('DynamoDB requests per calendar write', () => {
  it('reads in one batch per dependent level and writes one transaction', async () => {
    const count = (fn: () => Promise<{ errors?: unknown }>) =>
      env.countRequests(async () => {
        const res = await fn();
        expect(res.errors).toBeUndefined();
        return res;
      });
    // A plan and a measure of this test's own, so that the order of the tests changes nothing.
    const [measureId = ''] = await addMeasures(1);
    const planId = `calendar-plan-${Date.now().toString(36)}`;
    const plan = await execute(env.handler, as.coordinator, CreatePlanDocument, {
      input: { id: planId, title: 'Plan', periodStart: '2011-01-01', periodEnd: '2011-12-31', coordinatorId: 'jd', measureCount: 1 },
    });
    expect(plan.errors).toBeUndefined();
    const schedule = await count(() =>
      execute(env.handler, as.coordinator, SetReportingScheduleDocument, {
        input: { planId, periods: [{ period: '2011', dueDate: '2012-02-15' }] },
      }),
    );
    // plan · transaction
    expect(schedule.requests).toEqual(['BatchGetItem', 'TransactWriteItems']);
    const added = await count(() =>
      execute(env.handler, as.coordinator, AddMilestoneDocument, {
        input: { measureId, title: 'Steg', dueDate: '2014-01-01' },
      }),
    );
    // measure · plan · transaction
    expect(added.requests).toEqual(['BatchGetItem', 'BatchGetItem', 'TransactWriteItems']);
    const id = (added.result as { data?: { addMilestone: { milestone: { id: string } } } }).data?.addMilestone.milestone.id ?? '';
    const updated = await count(() =>
      execute(env.handler, as.coordinator, UpdateMilestoneDocument, { input: { id, expectedVersion: 1, title: 'Nytt' } }),
    );
    // milestone · measure · transaction
    expect(updated.requests).toEqual(['BatchGetItem', 'BatchGetItem', 'TransactWriteItems']);
    const done = await count(() => execute(env.handler, as.coordinator, CompleteMilestoneDocument, { input: { id, doneOn: osloToday() } }));
    expect(done.requests).toEqual(['BatchGetItem', 'BatchGetItem', 'TransactWriteItems']);
    const defined = await count(() =>
      execute(env.handler, as.coordinator, DefineIndicatorDocument, {
        input: { measureId, name: 'Andel', unit: '%', baseline: 0, target: 50, direction: 'INCREASE' },
      }),
    );
    // measure · transaction
    expect(defined.requests).toEqual(['BatchGetItem', 'TransactWriteItems']);
    const indicatorId =
      (defined.result as { data?: { defineIndicator: { indicator: { id: string } } } }).data?.defineIndicator.indicator.id ?? '';
    const recorded = await count(() =>
      execute(env.handler, as.coordinator, RecordIndicatorValueDocument, { input: { indicatorId, period: '2012', value: 12.5 } }),
    );
    // indicator · measure and plan · transaction
    expect(recorded.requests).toEqual(['BatchGetItem', 'BatchGetItem', 'TransactWriteItems']);
  });
});
