import { beforeAll, describe, expect, it } from 'vitest';
import { CreateGoalDocument, CreatePlanDocument, UpdatePlanDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const next = {
  id: 'hp-2015-2017',
  title: 'Handlingsplan mot menneskehandel (2015–2017)',
  periodStart: '2015-01-01',
  periodEnd: '2017-12-31',
  coordinatorId: 'jd',
  measureCount: 25,
};

describe('plans managed in the platform', () => {
  it('adds the next plan with its goals, and a measure that continues one of the first plan: the lineage reads both ways', async () => {
    const created = await execute(env.handler, as.coordinator, CreatePlanDocument, { input: next });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createPlan.plan).toMatchObject({ id: next.id, version: 1, goals: [], coordinator: { id: 'jd' } });
    const goal = await execute(env.handler, as.coordinator, CreateGoalDocument, { input: { planId: next.id, title: 'Forebygge' } });
    const second = await execute(env.handler, as.coordinator, CreateGoalDocument, { input: { planId: next.id, title: 'Beskytte' } });
    expect(goal.data?.createGoal.plan.goals.map((g) => g.number)).toEqual([1]);
    expect(second.data?.createGoal.plan).toMatchObject({ version: 3, goals: [{ number: 1 }, { number: 2, title: 'Beskytte' }] });
    const measure = await executeText<{ createMeasure: { measure: { id: string; continues: { id: string; plan: { id: string } } } } }>(
      env.handler,
      as.coordinator,
      'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id continues { id plan { id } } } } }',
      { input: { planId: next.id, title: 'KOM videreført', goalNumbers: [2], continues: 'hp-2011-2014-kom' } },
    );
    expect(measure.errors).toBeUndefined();
    expect(measure.data?.createMeasure.measure.continues).toEqual({ id: 'hp-2011-2014-kom', plan: { id: 'hp-2011-2014' } });
  });

  it('changes a plan at the version read; a stale version is CONFLICT', async () => {
    const id = 'hp-endres';
    await execute(env.handler, as.coordinator, CreatePlanDocument, { input: { ...next, id } });
    const changed = await execute(env.handler, as.coordinator, UpdatePlanDocument, {
      input: { id, expectedVersion: 1, measureCount: 30, title: 'Endret tittel' },
    });
    expect(changed.data?.updatePlan.plan).toMatchObject({ version: 2, measureCount: 30, title: 'Endret tittel' });
    const stale = await execute(env.handler, as.coordinator, UpdatePlanDocument, { input: { id, expectedVersion: 1, title: 'For sent' } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it.each([
    ['an id in use', { id: 'hp-2011-2014' }, 'id'],
    ['an id that is not one', { id: 'HP 2015' }, 'id'],
    ['an end before the start', { id: 'hp-baklengs', periodEnd: '2014-12-31' }, 'periodEnd'],
    ['a coordinator outside the directory', { id: 'hp-ukjent', coordinatorId: 'finnes-ikke' }, 'coordinatorId'],
    ['a negative measure count', { id: 'hp-negativ', measureCount: -1 }, 'measureCount'],
    ['a period that begins in the year 1000', { id: 'hp-tidlig', periodStart: '1000-01-01' }, 'periodStart'],
    ['a period that ends in 2999', { id: 'hp-sent', periodEnd: '2999-12-31' }, 'periodEnd'],
    ['a period of more than 25 calendar years', { id: 'hp-lang', periodStart: '1990-01-01', periodEnd: '2017-12-31' }, 'periodEnd'],
  ])('refuses %s with BAD_USER_INPUT on the field, and writes nothing', async (_what, patch, field) => {
    const res = await execute(env.handler, as.coordinator, CreatePlanDocument, { input: { ...next, ...patch } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    if (patch.id !== 'hp-2011-2014') {
      const read = await executeText<{ actionPlan: unknown }>(env.handler, as.viewer, 'query ($id: ID!) { actionPlan(id: $id) { id } }', {
        id: patch.id,
      });
      expect(read.data?.actionPlan).toBeNull();
    }
  });

  it('never leaves a measure numbered above the count when updatePlan lowers it while createMeasure takes a number', async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < 12; trial++) {
      const id = `hp-kappløp-${trial}`.replace('ø', 'o');
      expect(
        (await execute(env.handler, as.coordinator, CreatePlanDocument, { input: { ...next, id, measureCount: 35 } })).errors,
      ).toBeUndefined();
      const [lowered, created] = await Promise.all([
        execute(env.handler, as.coordinator, UpdatePlanDocument, { input: { id, expectedVersion: 1, measureCount: 5 } }),
        executeText<{ createMeasure: { measure: { number: number } } }>(
          env.handler,
          as.coordinator,
          'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { number } } }',
          { input: { planId: id, title: 'Tiltak 20', number: 20, goalNumbers: [] } },
        ),
      ]);
      // One of the two wins; the other is refused on its own field, and writes nothing.
      expect([lowered.errors, created.errors].filter((e) => e === undefined)).toHaveLength(1);
      if (lowered.errors) expect(lowered.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureCount' });
      if (created.errors) expect(created.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number' });
      const stored = await executeText<{
        actionPlan: { measureCount: number; measures: { edges: { node: { number: number | null } }[] } };
      }>(
        env.handler,
        as.viewer,
        'query ($id: ID!) { actionPlan(id: $id) { measureCount measures(first: 100) { edges { node { number } } } } }',
        { id },
      );
      const numbers = stored.data?.actionPlan.measures.edges.map((e) => e.node.number ?? 0) ?? [];
      expect(Math.max(0, ...numbers)).toBeLessThanOrEqual(stored.data?.actionPlan.measureCount ?? -1);
      outcomes.push(lowered.errors ? 'measure' : 'count');
    }
    console.log(`updatePlan vs createMeasure, 12 races: ${outcomes.filter((o) => o === 'count').length} lowered the count first`);
  });

  it('lowers a measure count by at most 90 in one change, so that the numbers given up are checked in one transaction', async () => {
    const id = 'hp-stor';
    await execute(env.handler, as.coordinator, CreatePlanDocument, { input: { ...next, id, measureCount: 200 } });
    const far = await execute(env.handler, as.coordinator, UpdatePlanDocument, { input: { id, expectedVersion: 1, measureCount: 100 } });
    expect(far.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureCount' });
    const near = await execute(env.handler, as.coordinator, UpdatePlanDocument, { input: { id, expectedVersion: 1, measureCount: 110 } });
    expect(near.data?.updatePlan.plan).toMatchObject({ measureCount: 110, version: 2 });
  });

  it('shrinks a period only past nothing stored in it: a milestone or a reporting period outside is BAD_USER_INPUT, and the plan stays', async () => {
    const id = 'hp-krymp';
    expect((await execute(env.handler, as.coordinator, CreatePlanDocument, { input: { ...next, id } })).errors).toBeUndefined();
    const measure = await executeText<{ createMeasure: { measure: { id: string } } }>(
      env.handler,
      as.coordinator,
      'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
      { input: { planId: id, title: 'Med milepæl', goalNumbers: [] } },
    );
    const measureId = measure.data?.createMeasure.measure.id ?? '';
    const milestone = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } } }',
      { input: { measureId, title: 'Sluttrapport', dueDate: '2017-06-01' } },
    );
    expect(milestone.errors).toBeUndefined();
    const read = async () =>
      (
        await executeText<{ actionPlan: { version: number; period: { start: string; end: string } } }>(
          env.handler,
          as.viewer,
          'query ($id: ID!) { actionPlan(id: $id) { version period { start end } } }',
          { id },
        )
      ).data?.actionPlan;
    const before = await read();
    const cut = await execute(env.handler, as.coordinator, UpdatePlanDocument, {
      input: { id, expectedVersion: before?.version ?? 0, periodEnd: '2016-12-31' },
    });
    expect(cut.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'periodEnd' });
    expect(cut.errors?.[0]?.message).toContain('2017-06-01');
    expect(await read()).toEqual(before);

    // A shrink that leaves the milestone inside lands.
    const later = await execute(env.handler, as.coordinator, UpdatePlanDocument, {
      input: { id, expectedVersion: before?.version ?? 0, periodStart: '2016-01-01' },
    });
    expect(later.errors).toBeUndefined();
    expect(later.data?.updatePlan.plan.period).toEqual({ start: '2016-01-01', end: '2017-12-31' });

    const schedule = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: SetReportingScheduleInput!) { setReportingSchedule(input: $input) { plan { id } } }',
      {
        input: {
          planId: id,
          periods: [
            { period: '2016-H1', dueDate: '2016-08-15' },
            { period: '2017', dueDate: '2018-02-15' },
          ],
        },
      },
    );
    expect(schedule.errors).toBeUndefined();
    const current = await read();
    const early = await execute(env.handler, as.coordinator, UpdatePlanDocument, {
      input: { id, expectedVersion: current?.version ?? 0, periodStart: '2016-07-01' },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'periodStart' });
    expect(early.errors?.[0]?.message).toContain('2016-H1');
    expect(await read()).toEqual(current);
  });

  it('refuses a measure count below a number in use, and a continued measure of the same plan', async () => {
    const plan = await executeText<{ actionPlan: { version: number } }>(
      env.handler,
      as.viewer,
      '{ actionPlan(id: "hp-2011-2014") { version } }',
    );
    const low = await execute(env.handler, as.coordinator, UpdatePlanDocument, {
      input: { id: 'hp-2011-2014', expectedVersion: plan.data?.actionPlan.version ?? 0, measureCount: 4 },
    });
    expect(low.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureCount' });
    const same = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
      {
        input: { planId: 'hp-2011-2014', title: 'Sirkel', goalNumbers: [], continues: 'hp-2011-2014-kom' },
      },
    );
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'continues' });
  });
});
