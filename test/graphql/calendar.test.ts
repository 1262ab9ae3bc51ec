import { beforeAll, describe, expect, it } from 'vitest';
import {
  AddMilestoneDocument,
  AgencyDutiesDocument,
  AssignResponsibilityDocument,
  CompleteMilestoneDocument,
  CreatePlanDocument,
  DefineIndicatorDocument,
  MeasureResultsDocument,
  PlanProgressDocument,
  RecordIndicatorValueDocument,
  RemoveResponsibilityDocument,
  ReportingCalendarDocument,
  SetReportingScheduleDocument,
  SubmitStatusReportDocument,
  UpdateMilestoneDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { recountPlan } from '../../data/recount-plan.js';
import { openDutiesForDigest } from '../../functions/agencies/duties.js';
import { createRepositories } from '../../functions/app/context.js';
import { osloToday } from '../../functions/plans/calendar.js';
import { as, type Caller, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
const PLAN = 'hp-2011-2014';
const NAV_MEASURES = ['hp-2011-2014-bistand', 'hp-2011-2014-botilbud', 'hp-2011-2014-lauras-hus', 'hp-2011-2014-nav-kontor'];

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

const codeOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
const fieldOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.field;

let planNumber = 0;
async function freshPlan(periodStart = '2020-01-01', periodEnd = '2022-12-31'): Promise<string> {
  const id = `kalender-${planNumber++}-${Date.now().toString(36)}`;
  const res = await execute(env.handler, as.coordinator, CreatePlanDocument, {
    input: { id, title: 'Kalenderplan', periodStart, periodEnd, coordinatorId: 'jd', measureCount: 10 },
  });
  expect(res.errors).toBeUndefined();
  return id;
}

const CREATE = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }';
async function measureLedBy(agencyId: string, planId = PLAN): Promise<string> {
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(env.handler, as.coordinator, CREATE, {
    input: { planId, title: 'Tiltak med milepæler', goalNumbers: [] },
  });
  const id = created.data?.createMeasure.measure.id ?? '';
  const assigned = await execute(env.handler, as.coordinator, AssignResponsibilityDocument, {
    input: { measureId: id, agencyId, role: 'LEAD' },
  });
  expect(assigned.errors).toBeUndefined();
  return id;
}

describe('the reporting calendar', () => {
  it('defaults to the plan years, each due 15 February of the following year', async () => {
    const res = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: PLAN, period: '2011' });
    expect(res.data?.actionPlan?.reportingPeriods).toEqual([
      { period: '2011', dueDate: '2012-02-15' },
      { period: '2012', dueDate: '2013-02-15' },
      { period: '2013', dueDate: '2014-02-15' },
      { period: '2014', dueDate: '2015-02-15' },
    ]);
  });

  it('takes a half-yearly schedule from the coordinator, sorted, and refuses bad periods naming the field', async () => {
    const planId = await freshPlan();
    const set = (periods: { period: string; dueDate: string }[], caller: Caller = as.coordinator) =>
      execute(env.handler, caller, SetReportingScheduleDocument, { input: { planId, periods } });
    const ok = await set([
      { period: '2020-H2', dueDate: '2021-02-15' },
      { period: '2020-H1', dueDate: '2020-08-15' },
    ]);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.setReportingSchedule.plan.reportingPeriods).toEqual([
      { period: '2020-H1', dueDate: '2020-08-15' },
      { period: '2020-H2', dueDate: '2021-02-15' },
    ]);
    expect(ok.data?.setReportingSchedule.plan.version).toBe(2);

    const dueEarly = await set([{ period: '2020-H1', dueDate: '2020-06-29' }]);
    expect([codeOf(dueEarly), fieldOf(dueEarly)]).toEqual(['BAD_USER_INPUT', 'periods[0].dueDate']);
    const overlap = await set([
      { period: '2021', dueDate: '2022-02-15' },
      { period: '2021-Q2', dueDate: '2021-08-01' },
    ]);
    expect([codeOf(overlap), fieldOf(overlap)]).toEqual(['BAD_USER_INPUT', 'periods[1].period']);
    const outside = await set([{ period: '2023', dueDate: '2024-02-15' }]);
    expect([codeOf(outside), fieldOf(outside)]).toEqual(['BAD_USER_INPUT', 'periods[0].period']);
    const unknown = await set([{ period: '2020-M3', dueDate: '2020-04-15' }]);
    expect([codeOf(unknown), fieldOf(unknown)]).toEqual(['BAD_USER_INPUT', 'periods[0].period']);
    const stale = await execute(env.handler, as.coordinator, SetReportingScheduleDocument, {
      input: { planId, periods: [{ period: '2020', dueDate: '2021-02-15' }], expectedVersion: 1 },
    });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(codeOf(await set([{ period: '2020', dueDate: '2021-02-15' }], as.nav))).toBe('FORBIDDEN');

    const after = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId, period: '2020-H1' });
    expect(after.data?.actionPlan?.reportingPeriods).toHaveLength(2);
    const notInSchedule = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId, period: '2020' });
    expect([codeOf(notInSchedule), fieldOf(notInSchedule)]).toEqual(['BAD_USER_INPUT', 'period']);
  });
});

describe('reporting duties', () => {
  it("lists NAV's four 2012 duties as OVERDUE today; a report by NAV makes that one SUBMITTED and no other", async () => {
    const read = async () => {
      const res = await execute(env.handler, as.coordinator, ReportingCalendarDocument, { planId: PLAN, period: '2012' });
      expect(res.errors).toBeUndefined();
      return (res.data?.actionPlan?.reportingDuties.edges ?? []).map((e) => e.node).filter((d) => d.agency.id === 'nav');
    };
    const before = await read();
    expect(before.map((d) => d.measure.id).sort()).toEqual(NAV_MEASURES);
    expect(before.every((d) => d.status === 'OVERDUE' && d.dueDate === '2013-02-15' && d.report === null)).toBe(true);
    const today = osloToday();
    const expectedLate = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse('2013-02-15T00:00:00Z')) / 86_400_000);
    expect(before[0]?.daysOverdue).toBe(expectedLate);

    const submitted = await execute(env.handler, as.nav, SubmitStatusReportDocument, {
      input: {
        measureId: 'hp-2011-2014-nav-kontor',
        period: '2012',
        status: 'IN_PROGRESS',
        progressPercent: 40,
        summary: 'Rundskriv sendt.',
      },
    });
    expect(submitted.errors).toBeUndefined();
    const after = await read();
    const byMeasure = Object.fromEntries(after.map((d) => [d.measure.id, d.status]));
    expect(byMeasure).toEqual({
      'hp-2011-2014-bistand': 'OVERDUE',
      'hp-2011-2014-botilbud': 'OVERDUE',
      'hp-2011-2014-lauras-hus': 'OVERDUE',
      'hp-2011-2014-nav-kontor': 'SUBMITTED',
    });
    expect(after.find((d) => d.status === 'SUBMITTED')?.report?.id).toBe('hp-2011-2014-nav-kontor#2012#nav');

    // A report by the coordinator (filed under JD) does not discharge NAV's duty.
    await execute(env.handler, as.coordinator, SubmitStatusReportDocument, {
      input: { measureId: 'hp-2011-2014-botilbud', period: '2012', status: 'IN_PROGRESS', progressPercent: 10, summary: 'Fra JD.' },
    });
    expect((await read()).find((d) => d.measure.id === 'hp-2011-2014-botilbud')?.status).toBe('OVERDUE');

    const onlySubmitted = await execute(env.handler, as.viewer, ReportingCalendarDocument, {
      planId: PLAN,
      period: '2012',
      status: 'SUBMITTED',
    });
    expect(onlySubmitted.data?.actionPlan?.reportingDuties.edges.map((e) => e.node.measure.id)).toEqual(['hp-2011-2014-nav-kontor']);
    const due = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: PLAN, period: '2012', status: 'DUE' });
    expect(due.data?.actionPlan?.reportingDuties.edges).toEqual([]);
    const dueThen = await execute(env.handler, as.viewer, ReportingCalendarDocument, {
      planId: PLAN,
      period: '2012',
      status: 'DUE',
      asOf: '2013-02-15',
    });
    expect(dueThen.data?.actionPlan?.reportingDuties.edges).toHaveLength(3);
  });

  it("pages an agency's duties by due date, across periods begun by asOf", async () => {
    const first = await execute(env.handler, as.nav, AgencyDutiesDocument, { id: 'nav', asOf: '2013-03-01', first: 5 });
    expect(first.errors).toBeUndefined();
    const page1 = first.data?.agency?.reportingDuties;
    expect(page1?.edges).toHaveLength(5);
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await execute(env.handler, as.nav, AgencyDutiesDocument, {
      id: 'nav',
      asOf: '2013-03-01',
      first: 20,
      after: page1?.pageInfo.endCursor ?? null,
    });
    const all = [...(page1?.edges ?? []), ...(second.data?.agency?.reportingDuties.edges ?? [])].map((e) => e.node);
    // 2011, 2012 and 2013 have begun by 1 March 2013: four roles × three periods.
    expect(all).toHaveLength(12);
    expect(all.map((d) => d.dueDate)).toEqual([...all.map((d) => d.dueDate)].sort());
    expect(all.filter((d) => d.period === '2013').every((d) => d.status === 'DUE')).toBe(true);
    const overdue = await execute(env.handler, as.viewer, AgencyDutiesDocument, {
      id: 'nav',
      asOf: '2013-03-01',
      status: 'OVERDUE',
      first: 100,
    });
    // 2011 and 2012 are past due: each duty is SUBMITTED (other tests report on some) or OVERDUE, and the filter
    // gives exactly the OVERDUE ones.
    const past = all.filter((d) => d.period !== '2013');
    expect(past).toHaveLength(8);
    expect(past.every((d) => d.status === 'OVERDUE' || d.status === 'SUBMITTED')).toBe(true);
    expect(past.filter((d) => d.status === 'OVERDUE').length).toBeGreaterThan(0);
    expect(overdue.data?.agency?.reportingDuties.edges.map((e) => `${e.node.period}:${e.node.measure.id}`).sort()).toEqual(
      past
        .filter((d) => d.status === 'OVERDUE')
        .map((d) => `${d.period}:${d.measure.id}`)
        .sort(),
    );
  });

  it('a role assigned through the API owes from the period of its assignment', async () => {
    const planId = await freshPlan('2020-01-01', '2040-12-31');
    const measureId = await measureLedBy('nav', planId);
    const year = osloToday().slice(0, 4);
    const then = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId, period: String(Number(year) - 1) });
    expect(then.data?.actionPlan?.reportingDuties.edges).toEqual([]);
    const now = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId, period: year });
    expect(now.data?.actionPlan?.reportingDuties.edges.map((e) => [e.node.measure.id, e.node.status])).toEqual([[measureId, 'DUE']]);
  });

  it('the daily digest lists open duties overdue or due within the days given, by agency', async () => {
    // NAV's 2011 report on a measure it shares (no other test reports on 2011): that duty leaves the digest.
    const report = await execute(env.handler, as.nav, SubmitStatusReportDocument, {
      input: { measureId: 'hp-2011-2014-bistand', period: '2011', status: 'IN_PROGRESS', progressPercent: 20, summary: 'Kartlagt.' },
    });
    expect(report.errors).toBeUndefined();
    const rows = await openDutiesForDigest(createRepositories(env.db()), { asOf: '2012-03-01', withinDays: 14 });
    const nav = rows.filter((r) => r.agencyId === 'nav' && r.planId === PLAN);
    // 2011 (due 2012-02-15): three overdue, bistand was submitted; 2012 is due 2013-02-15, not within 14 days.
    expect(nav.map((r) => `${r.period}:${r.measureId}`)).toEqual(
      NAV_MEASURES.filter((m) => !m.endsWith('bistand')).map((m) => `2011:${m}`),
    );
    expect(nav.every((r) => r.status === 'OVERDUE')).toBe(true);
    expect(nav[0]).toMatchObject({ measureCode: 'hp-2011-2014-botilbud', role: 'SHARED', dueDate: '2012-02-15', daysOverdue: 15 });
    const soon = await openDutiesForDigest(createRepositories(env.db()), { asOf: '2014-02-05', withinDays: 14 });
    expect(soon.filter((r) => r.planId === PLAN && r.period === '2013').every((r) => r.status === 'DUE')).toBe(true);
    expect(soon.filter((r) => r.planId === PLAN && r.period === '2013')).toHaveLength(4);
  });
});

describe('milestones and indicators', () => {
  it('a milestone added and completed by the LEAD shows as DONE; a viewer or a SHARED agency cannot add one', async () => {
    const measureId = await measureLedBy('nav');
    const added = await execute(env.handler, as.nav, AddMilestoneDocument, {
      input: { measureId, title: 'Veileder', dueDate: '2014-06-30' },
    });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addMilestone.milestone.status).toBe('LATE');
    const id = added.data?.addMilestone.milestone.id ?? '';
    const done = await execute(env.handler, as.nav, CompleteMilestoneDocument, { input: { id, doneOn: osloToday() } });
    expect(done.errors).toBeUndefined();
    const read = await execute(env.handler, as.viewer, MeasureResultsDocument, { id: measureId });
    expect(read.data?.measure?.milestones).toEqual([expect.objectContaining({ id, status: 'DONE', doneOn: osloToday(), version: 2 })]);

    expect(
      codeOf(await execute(env.handler, as.viewer, AddMilestoneDocument, { input: { measureId, title: 'X', dueDate: '2014-01-01' } })),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await execute(env.handler, as.nav, AddMilestoneDocument, {
          input: { measureId: 'hp-2011-2014-botilbud', title: 'X', dueDate: '2014-01-01' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(codeOf(await execute(env.handler, as.otherAgency, CompleteMilestoneDocument, { input: { id, doneOn: osloToday() } }))).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses bad milestone input naming the field', async () => {
    const measureId = await measureLedBy('nav');
    const outside = await execute(env.handler, as.coordinator, AddMilestoneDocument, {
      input: { measureId, title: 'X', dueDate: '2030-01-01' },
    });
    expect([codeOf(outside), fieldOf(outside)]).toEqual(['BAD_USER_INPUT', 'dueDate']);
    const added = await execute(env.handler, as.coordinator, AddMilestoneDocument, {
      input: { measureId, title: 'X', dueDate: '2013-01-01' },
    });
    const id = added.data?.addMilestone.milestone.id ?? '';
    const early = await execute(env.handler, as.coordinator, CompleteMilestoneDocument, { input: { id, doneOn: '2012-01-01' } });
    expect([codeOf(early), fieldOf(early)]).toEqual(['BAD_USER_INPUT', 'doneOn']);
    const moved = await execute(env.handler, as.coordinator, UpdateMilestoneDocument, {
      input: { id, expectedVersion: 1, dueDate: '2014-12-31', title: 'Y' },
    });
    expect(moved.data?.updateMilestone.milestone).toMatchObject({ title: 'Y', dueDate: '2014-12-31', version: 2 });
    const stale = await execute(env.handler, as.coordinator, UpdateMilestoneDocument, { input: { id, expectedVersion: 1, title: 'Z' } });
    expect(codeOf(stale)).toBe('CONFLICT');
    const missing = await execute(env.handler, as.coordinator, CompleteMilestoneDocument, {
      input: { id: `${measureId}#M#nope`, doneOn: '2013-01-01' },
    });
    expect([codeOf(missing), fieldOf(missing)]).toEqual(['NOT_FOUND', 'id']);
  });

  it('defines an indicator and records values; NaN, Infinity, absurd sizes and periods outside the plan are BAD_USER_INPUT', async () => {
    const measureId = await measureLedBy('nav');
    const defined = await execute(env.handler, as.nav, DefineIndicatorDocument, {
      input: { measureId, name: 'Ofre som fikk bistand', unit: 'personer', baseline: 100, target: 250, direction: 'INCREASE' },
    });
    expect(defined.errors).toBeUndefined();
    const indicatorId = defined.data?.defineIndicator.indicator.id ?? '';
    const record = (period: string, value: number, comment?: string) =>
      execute(env.handler, as.nav, RecordIndicatorValueDocument, {
        input: { indicatorId, period, value, ...(comment ? { comment } : {}) },
      });
    expect((await record('2013', 180, 'Fra KOM')).errors).toBeUndefined();
    expect((await record('2012', 140)).errors).toBeUndefined();
    const replaced = await record('2013', 190);
    expect(replaced.data?.recordIndicatorValue.indicator.values).toEqual([
      { period: '2012', value: 140, comment: null },
      { period: '2013', value: 190, comment: null },
    ]);
    const outside = await record('2016', 1);
    expect([codeOf(outside), fieldOf(outside)]).toEqual(['BAD_USER_INPUT', 'period']);
    const absurd = await record('2013', 1e15);
    expect([codeOf(absurd), fieldOf(absurd)]).toEqual(['BAD_USER_INPUT', 'value']);
    // A magnitude DynamoDB cannot store (below 1e-130) is the caller's error, not a 500.
    const tiny = await record('2013', 5e-324);
    expect([codeOf(tiny), fieldOf(tiny)]).toEqual(['BAD_USER_INPUT', 'value']);
    // JSON has no NaN; 1e400 parses as Infinity, and a string is no Float.
    const DOC = 'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { indicator { id } } }';
    const infinite = await env.handler(
      (await import('../support/api.js')).apiEvent(as.nav, {
        body: `{"query":${JSON.stringify(DOC)},"variables":{"input":{"indicatorId":${JSON.stringify(indicatorId)},"period":"2013","value":1e400}}}`,
      }),
      { awsRequestId: 't', getRemainingTimeInMillis: () => 10_000 } as never,
    );
    expect(JSON.parse(infinite.body ?? '{}').errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const text = await executeText(env.handler, as.nav, DOC, { input: { indicatorId, period: '2013', value: 'NaN' } });
    expect(codeOf(text)).toBe('BAD_USER_INPUT');
    expect(
      codeOf(await execute(env.handler, as.viewer, RecordIndicatorValueDocument, { input: { indicatorId, period: '2013', value: 1 } })),
    ).toBe('FORBIDDEN');
    const badBaseline = await execute(env.handler, as.nav, DefineIndicatorDocument, {
      input: { measureId, name: 'X', unit: 'x', baseline: -2e12, target: 1, direction: 'DECREASE' },
    });
    expect([codeOf(badBaseline), fieldOf(badBaseline)]).toEqual(['BAD_USER_INPUT', 'baseline']);
  });
});

async function storedSubmitted(period: string): Promise<number> {
  return (await createRepositories(env.db()).plans.planCounts(PLAN))[`RP_${period}`] ?? 0;
}

describe('progress', () => {
  it('counts measures, milestones and reports from the counters, equal to a recount', async () => {
    const progress = async () => {
      const res = await execute(env.handler, as.viewer, PlanProgressDocument, { planId: PLAN, period: '2014', asOf: '2014-06-30' });
      expect(res.errors).toBeUndefined();
      const p = res.data?.actionPlan?.progress;
      if (!p) throw new Error('no progress');
      return p;
    };
    const before = await progress();
    // A report for 2014 (no other test reports on it) and a milestone due by asOf, done.
    const report = await execute(env.handler, as.nav, SubmitStatusReportDocument, {
      input: { measureId: 'hp-2011-2014-lauras-hus', period: '2014', status: 'IN_PROGRESS', progressPercent: 60, summary: 'Drift.' },
    });
    expect(report.errors).toBeUndefined();
    const measureId = await measureLedBy('nav');
    const added = await execute(env.handler, as.nav, AddMilestoneDocument, {
      input: { measureId, title: 'Delmål', dueDate: '2014-05-31' },
    });
    const done = await execute(env.handler, as.nav, CompleteMilestoneDocument, {
      input: { id: added.data?.addMilestone.milestone.id ?? '', doneOn: osloToday() },
    });
    expect(done.errors).toBeUndefined();
    const p = await progress();
    const recount = await recountPlan(createRepositories(env.db()), PLAN);
    expect(p.measures).toBe(recount.counts.all);
    expect(p.measures).toBe(before.measures + 1);
    const owed2014 = Object.entries(recount.counts)
      .filter(([k]) => k.startsWith('RA_') && k.slice(3) <= '2014-12-31')
      .reduce((s, [, v]) => s + v, 0);
    expect(p.reportsOwed).toBe(owed2014);
    expect(p.reportsSubmitted).toBe(before.reportsSubmitted + 1);
    expect(p.milestones).toBe(before.milestones + 1);
    expect(p.milestonesDue).toBe(before.milestonesDue + 1);
    expect(p.milestonesDoneOfDue).toBe(before.milestonesDoneOfDue + 1);
    const stored = await createRepositories(env.db()).plans.planCounts(PLAN);
    expect(Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== 0))).toEqual(recount.counts);
  });

  it('a role removed takes its submitted reports with it; a removal that read the role before a report landed fails and writes nothing', async () => {
    const repos = () => createRepositories(env.db());
    const created = await executeText<{ createMeasure: { measure: { id: string } } }>(env.handler, as.coordinator, CREATE, {
      // PLANNED: a SHARED agency's report leaves the status, so only the role's reported periods change under the removal.
      input: { planId: PLAN, title: 'Rapport og fjerning', goalNumbers: [], status: 'PLANNED' },
    });
    const measureId = created.data?.createMeasure.measure.id ?? '';
    // Assigned through the API today: it owes for the current year only, outside this plan, so give it a role from the start.
    const { plans, agencies } = repos();
    const measure = await plans.measure(measureId);
    if (!measure) throw new Error('no measure');
    const actor = { subject: 'test', roles: ['COORDINATOR' as const], agencyId: null };
    await agencies.assign(measure, 'ad', 'SHARED', actor, new Date().toISOString(), { kind: 'IMPORT', reference: null, recordedAt: null });
    const stale = await repos().agencies.responsibility(measureId, 'ad');
    const staleMeasure = await repos().plans.measure(measureId);
    const report = await execute(env.handler, { groups: ['agency:ad'] }, SubmitStatusReportDocument, {
      input: { measureId, period: '2013', status: 'IN_PROGRESS', progressPercent: 5, summary: 'Rapport.' },
    });
    expect(report.errors).toBeUndefined();
    const before = await storedSubmitted('2013');
    if (!stale || !staleMeasure) throw new Error('not read');
    expect((await repos().plans.measure(measureId))?.version).toBe(staleMeasure.version);
    await expect(repos().agencies.remove(staleMeasure, stale, actor, new Date().toISOString())).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A report was stored while this was being stored; please retry.',
    });
    expect(await storedSubmitted('2013')).toBe(before);
    const removed = await execute(env.handler, as.coordinator, RemoveResponsibilityDocument, { input: { measureId, agencyId: 'ad' } });
    expect(removed.errors).toBeUndefined();
    expect(await storedSubmitted('2013')).toBe(before - 1);
    const recount = await recountPlan(repos(), PLAN);
    const stored = await repos().plans.planCounts(PLAN);
    expect(Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== 0))).toEqual(recount.counts);
  });

  it('costs one request beyond the plan, whatever the plan holds', async () => {
    const { requests } = await env.countRequests(() =>
      execute(env.handler, as.viewer, PlanProgressDocument, { planId: PLAN, period: '2012', asOf: '2014-06-30' }),
    );
    expect(requests).toEqual(['BatchGetItem', 'BatchGetItem']);
  });
});
