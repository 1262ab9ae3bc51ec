import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import { limits } from '../../functions/graphql/generated/limits.js';
import { as, type Caller, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { CREATE_LINE, ministry } from '../support/funding.js';

/**
 * Each cap on what a list can hold (schema/limits.json, docs/limits.md) is enforced on write, inside the write's own
 * transaction: by a counter the write raises under a condition (plans, agencies, budget lines, a plan's measures, a
 * measure's milestones and indicators), or by the version of the item that holds the list (goals, responsibilities,
 * names, an indicator's values). Racing writers at the cap minus one: exactly one lands.
 */
let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 120_000);

const RACERS = 5;

const CREATE_PLAN = 'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id version goals { number } } } }';
const CREATE_GOAL = 'mutation ($input: CreateGoalInput!) { createGoal(input: $input) { plan { id goals { number } } } }';
const CREATE_MEASURE = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }';
const ADD_MILESTONE = 'mutation ($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } } }';
const DEFINE_INDICATOR = 'mutation ($input: DefineIndicatorInput!) { defineIndicator(input: $input) { indicator { id } } }';
const RECORD_VALUE =
  'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { indicator { id values { period } } } }';
const CREATE_AGENCY = 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }';
const UPDATE_AGENCY = 'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id version names { name } } } }';
const ASSIGN = 'mutation ($input: AssignResponsibilityInput!) { assignResponsibility(input: $input) { measure { id } } }';

let plans = 0;
async function newPlan(periodStart = '2011-01-01', periodEnd = '2014-12-31'): Promise<string> {
  plans++;
  const id = `kapp-${plans}`;
  const res = await executeText(env.handler, as.coordinator, CREATE_PLAN, {
    input: { id, title: `Kappløp ${plans}`, periodStart, periodEnd, coordinatorId: 'jd', measureCount: 10 },
  });
  expect(res.errors).toBeUndefined();
  return id;
}

async function newMeasure(planId: string): Promise<string> {
  const res = await executeText<{ createMeasure: { measure: { id: string } } }>(env.handler, as.coordinator, CREATE_MEASURE, {
    input: { planId, title: 'Tiltak', goalNumbers: [] },
  });
  expect(res.errors).toBeUndefined();
  return res.data?.createMeasure.measure.id ?? '';
}

/** Sets a counter of a plan's counters item outright: the state "at the cap minus one" without writing that many items. */
async function setPlanCounter(planId: string, key: string, n: number) {
  await env.documentClient.send(
    new UpdateCommand({
      TableName: env.names.measures,
      Key: { pk: `PLAN#${planId}`, sk: 'STATS' },
      UpdateExpression: 'SET counts.#k = :n',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':n': n },
    }),
  );
}

/** Sets a counter item's `n` outright. */
async function setCount(table: string, key: { pk: string; sk: string }, n: number) {
  await env.documentClient.send(
    new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': n } }),
  );
}

/** Runs racing writers at once; exactly one lands, and every other is refused at the cap (or ran out of retries). */
async function race(run: (i: number) => Promise<GraphQLResponse<unknown>>, field: string, limit: string) {
  const results = await Promise.all(Array.from({ length: RACERS }, (_, i) => run(i)));
  const landed = results.filter((r) => !r.errors);
  expect(landed, JSON.stringify(results.map((r) => r.errors?.[0]?.extensions))).toHaveLength(1);
  for (const r of results.filter((x) => x.errors)) {
    const ext = r.errors?.[0]?.extensions ?? {};
    if (ext.code === 'BAD_USER_INPUT') expect(ext).toMatchObject({ field, limit, maximum: limits[limit as keyof typeof limits] });
    else expect(ext.retryable, JSON.stringify(ext)).toBe(true);
  }
  expect(results.some((r) => r.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
}

/** One more write at the cap: BAD_USER_INPUT naming the field, with the cap's name and figure. */
async function refusedAtCap(res: Promise<GraphQLResponse<unknown>>, field: string, limit: keyof typeof limits) {
  const { errors } = await res;
  expect(errors?.map((e) => e.extensions)).toEqual([
    expect.objectContaining({ code: 'BAD_USER_INPUT', field, limit, maximum: limits[limit] }),
  ]);
}

describe('caps held by counters, in the write’s own condition', () => {
  it(`measures per plan (${limits.measuresPerPlan}): racing creates at the cap minus one land one`, async () => {
    const planId = await newPlan();
    await setPlanCounter(planId, 'all', limits.measuresPerPlan - 1);
    await race(
      (i) => executeText(env.handler, as.coordinator, CREATE_MEASURE, { input: { planId, title: `T${i}`, goalNumbers: [] } }),
      'planId',
      'measuresPerPlan',
    );
    expect((await createRepositories(env.db()).plans.planCounts(planId)).all).toBe(limits.measuresPerPlan);
    await refusedAtCap(
      executeText(env.handler, as.coordinator, CREATE_MEASURE, { input: { planId, title: 'Én til', goalNumbers: [] } }),
      'planId',
      'measuresPerPlan',
    );
  });

  it(`milestones per measure (${limits.milestonesPerMeasure}): racing adds at the cap minus one land one`, async () => {
    const measureId = await newMeasure(await newPlan());
    const planId = (await createRepositories(env.db()).plans.measure(measureId))?.planId ?? '';
    await setPlanCounter(planId, `ML_${measureId}`, limits.milestonesPerMeasure - 1);
    await race(
      (i) => executeText(env.handler, as.coordinator, ADD_MILESTONE, { input: { measureId, title: `M${i}`, dueDate: '2012-03-01' } }),
      'measureId',
      'milestonesPerMeasure',
    );
    expect(await createRepositories(env.db()).plans.milestones(measureId)).toHaveLength(1);
  });

  it(`indicators per measure (${limits.indicatorsPerMeasure}): real indicators up to the cap, then racing at the cap minus one`, async () => {
    const measureId = await newMeasure(await newPlan());
    const define = (name: string) =>
      executeText(env.handler, as.coordinator, DEFINE_INDICATOR, {
        input: { measureId, name, unit: 'stk', baseline: 0, target: 1, direction: 'INCREASE' },
      });
    for (let i = 1; i < limits.indicatorsPerMeasure; i++) expect((await define(`I${i}`)).errors).toBeUndefined();
    await race((i) => define(`R${i}`), 'measureId', 'indicatorsPerMeasure');
    expect(await createRepositories(env.db()).plans.indicators(measureId)).toHaveLength(limits.indicatorsPerMeasure);
    await refusedAtCap(define('Én til'), 'measureId', 'indicatorsPerMeasure');
  });

  it(`agencies (${limits.agencies}): racing creates at the cap minus one land one`, async () => {
    await setCount(env.names.responsibilities, { pk: 'AGENCIES', sk: 'COUNT' }, limits.agencies - 1);
    await race(
      (i) => executeText(env.handler, as.coordinator, CREATE_AGENCY, { input: { id: `kappbyra-${i}`, name: `Byrå ${i}`, kind: 'OTHER' } }),
      'id',
      'agencies',
    );
    await refusedAtCap(
      executeText(env.handler, as.coordinator, CREATE_AGENCY, { input: { id: 'kappbyra-x', name: 'Byrå X', kind: 'OTHER' } }),
      'id',
      'agencies',
    );
    await setCount(env.names.responsibilities, { pk: 'AGENCIES', sk: 'COUNT' }, 100);
  });

  it(`plans (${limits.plans}): racing creates at the cap minus one land one`, async () => {
    await setCount(env.names.measures, { pk: 'PLANS', sk: 'COUNT' }, limits.plans - 1);
    const create = (id: string) =>
      executeText(env.handler, as.coordinator, CREATE_PLAN, {
        input: { id, title: id, periodStart: '2020-01-01', periodEnd: '2021-12-31', coordinatorId: 'jd', measureCount: 1 },
      });
    await race((i) => create(`planrace-${i}`), 'id', 'plans');
    await refusedAtCap(create('planrace-x'), 'id', 'plans');
    await setCount(env.names.measures, { pk: 'PLANS', sk: 'COUNT' }, 10);
  });

  it(`budget lines per fiscal year (${limits.budgetLinesPerYear}) and per plan (${limits.budgetLinesPerPlan}): racing creates land one`, async () => {
    const line = (chapter: number, fiscalYear: number) =>
      executeText(env.handler, ministry, CREATE_LINE, {
        input: {
          planId: 'hp-2011-2014',
          fiscalYear,
          agencyId: 'ad',
          chapter,
          post: 70,
          title: `Linje ${chapter}`,
          appropriated: '1000.00',
        },
      });
    await setCount(env.names.funding, { pk: 'LINECOUNT', sk: 'YEAR#2013' }, limits.budgetLinesPerYear - 1);
    await race((i) => line(8000 + i, 2013), 'fiscalYear', 'budgetLinesPerYear');
    await refusedAtCap(line(8100, 2013), 'fiscalYear', 'budgetLinesPerYear');
    await setCount(env.names.funding, { pk: 'LINECOUNT', sk: 'PLAN#hp-2011-2014' }, limits.budgetLinesPerPlan - 1);
    await race((i) => line(8200 + i, 2014), 'planId', 'budgetLinesPerPlan');
    await refusedAtCap(line(8300, 2014), 'planId', 'budgetLinesPerPlan');
  });
});

describe('caps held by the version of the item that holds the list', () => {
  it(`goals per plan (${limits.goalsPerPlan}): racing goals at the cap minus one land one`, async () => {
    const planId = await newPlan();
    const goal = (title: string) => executeText(env.handler, as.coordinator, CREATE_GOAL, { input: { planId, title } });
    for (let i = 1; i < limits.goalsPerPlan; i++) expect((await goal(`Mål ${i}`)).errors).toBeUndefined();
    await race((i) => goal(`Kapp ${i}`), 'planId', 'goalsPerPlan');
    expect((await createRepositories(env.db()).plans.plan(planId))?.goals).toHaveLength(limits.goalsPerPlan);
  });

  it(`responsibilities per measure (${limits.responsibilitiesPerMeasure}): racing new agencies at the cap minus one land one; a role changed is not refused`, async () => {
    const measureId = await newMeasure(await newPlan());
    const ids = Array.from({ length: limits.responsibilitiesPerMeasure - 1 + RACERS }, (_, i) => `ansvar-${i}`);
    for (const id of ids) {
      const res = await executeText(env.handler, as.coordinator, CREATE_AGENCY, { input: { id, name: `Ansvar ${id}`, kind: 'OTHER' } });
      expect(res.errors).toBeUndefined();
    }
    const assign = (agencyId: string, role = 'SHARED') =>
      executeText(env.handler, as.coordinator, ASSIGN, { input: { measureId, agencyId, role } });
    for (const id of ids.slice(0, limits.responsibilitiesPerMeasure - 1)) expect((await assign(id)).errors).toBeUndefined();
    const racers = ids.slice(limits.responsibilitiesPerMeasure - 1, limits.responsibilitiesPerMeasure - 1 + RACERS);
    await race((i) => assign(racers[i] ?? ''), 'agencyId', 'responsibilitiesPerMeasure');
    expect((await assign(ids[0] ?? '', 'LEAD')).errors).toBeUndefined();
  });

  it(`names per agency (${limits.namesPerAgency}): racing renames at the cap minus one land one`, async () => {
    const id = 'navnebyra';
    expect(
      (await executeText(env.handler, as.coordinator, CREATE_AGENCY, { input: { id, name: 'Navn 0', kind: 'OTHER' } })).errors,
    ).toBeUndefined();
    const rename = async (caller: Caller, name: string, day: string) => {
      const agency = await createRepositories(env.db()).agencies.agency(id);
      return executeText(env.handler, caller, UPDATE_AGENCY, {
        input: { id, expectedVersion: agency?.version ?? 1, name, nameValidFrom: day },
      });
    };
    // The agency has its first name: the cap minus one after this many renames.
    for (let i = 1; i < limits.namesPerAgency - 1; i++) {
      expect((await rename(as.coordinator, `Navn ${i}`, `${2000 + i}-01-01`)).errors).toBeUndefined();
    }
    const version = (await createRepositories(env.db()).agencies.agency(id))?.version ?? 0;
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        executeText(env.handler, as.coordinator, UPDATE_AGENCY, {
          input: { id, expectedVersion: version, name: `Kapp ${i}`, nameValidFrom: `2030-01-0${i + 1}` },
        }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect((await createRepositories(env.db()).agencies.agency(id))?.names).toHaveLength(limits.namesPerAgency);
    await refusedAtCap(rename(as.coordinator, 'Én til', '2040-01-01'), 'name', 'namesPerAgency');
  });

  it(`values per indicator (${limits.valuesPerIndicator}): racing new periods at the cap minus one land one; a period recorded before is replaced`, async () => {
    // Twenty-five years hold 175 periods (years, halves, quarters): more than the cap.
    const measureId = await newMeasure(await newPlan('2000-01-01', '2024-12-31'));
    const defined = await executeText<{ defineIndicator: { indicator: { id: string } } }>(env.handler, as.coordinator, DEFINE_INDICATOR, {
      input: { measureId, name: 'Verdier', unit: 'stk', baseline: 0, target: 1, direction: 'INCREASE' },
    });
    const indicatorId = defined.data?.defineIndicator.indicator.id ?? '';
    const periods = Array.from({ length: 25 }, (_, y) => [`${2000 + y}-Q1`, `${2000 + y}-Q2`, `${2000 + y}-Q3`, `${2000 + y}-Q4`]).flat();
    const record = (period: string, value = 1) =>
      executeText(env.handler, as.coordinator, RECORD_VALUE, { input: { indicatorId, period, value } });
    for (const p of periods.slice(0, limits.valuesPerIndicator - 1)) expect((await record(p)).errors).toBeUndefined();
    const years = ['2000', '2001', '2002', '2003', '2004'];
    await race((i) => record(years[i] ?? ''), 'period', 'valuesPerIndicator');
    expect((await createRepositories(env.db()).plans.indicator(indicatorId))?.values).toHaveLength(limits.valuesPerIndicator);
    expect((await record(periods[0] ?? '', 7)).errors).toBeUndefined();
    await refusedAtCap(record('2010'), 'period', 'valuesPerIndicator');
  }, 60_000);

  it(`a plan declares at most ${limits.planMeasureCountMax} measures`, async () => {
    const res = await executeText(env.handler, as.coordinator, CREATE_PLAN, {
      input: {
        id: 'for-mange',
        title: 'For mange',
        periodStart: '2020-01-01',
        periodEnd: '2021-12-31',
        coordinatorId: 'jd',
        measureCount: 501,
      },
    });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'measureCount']]);
  });
});
