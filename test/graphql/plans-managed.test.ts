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
