import { beforeAll, describe, expect, it } from 'vitest';
import { AddMilestoneDocument, DefineIndicatorDocument, RecordIndicatorValueDocument } from '../../client/generated/graphql.js';
import { limits as clientLimits } from '../../client/generated/limits.js';
import { loadSeed } from '../../data/load-seed.js';
import { limits as serverLimits } from '../../functions/graphql/generated/limits.js';
import { as, execute, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { REGISTER } from '../support/shelters.js';

/**
 * The limits of measures, milestones, indicators and shelters are declared once (schema/limits.json): the server's copy and the
 * client package's are the same, and at each limit the web's check and the server's refusal agree, a text of
 * the limit accepted by both and one character more refused by both (the web's side:
 * web/src/measures/Results.test.tsx, whose forms read the client package's copy).
 */
let env: TestEnvironment;
let measureId = '';
let indicatorId = '';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(
    env.handler,
    as.coordinator,
    'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
    { input: { planId: 'hp-2011-2014', title: 'Grensetiltak', goalNumbers: [2] } },
  );
  measureId = created.data?.createMeasure.measure.id ?? '';
  const defined = await execute(env.handler, as.coordinator, DefineIndicatorDocument, {
    input: { measureId, name: 'Grenser', unit: 'stk', baseline: 0, target: 1, direction: 'INCREASE' },
  });
  indicatorId = defined.data?.defineIndicator.indicator.id ?? '';
});

const text = (length: number) => 'x'.repeat(length);

function refusedAt(res: GraphQLResponse<unknown>, field: string) {
  expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', field]]);
}

const cases = [
  {
    limit: 'measureTitle',
    field: 'title',
    send: (value: string) =>
      executeText(
        env.handler,
        as.coordinator,
        'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
        {
          input: { planId: 'hp-2011-2014', title: value, goalNumbers: [2] },
        },
      ),
  },
  {
    limit: 'shelterName',
    field: 'name',
    send: (value: string) =>
      executeText(env.handler, as.otherAgency, REGISTER, {
        input: { name: value, operatorId: 'kirkens-bymisjon', region: 'Oslo', targetGroups: ['WOMEN'], services: ['SAFE_HOUSING'] },
      }),
  },
  {
    limit: 'milestoneTitle',
    field: 'title',
    send: (value: string) =>
      execute(env.handler, as.coordinator, AddMilestoneDocument, { input: { measureId, title: value, dueDate: '2013-12-31' } }),
  },
  {
    limit: 'indicatorName',
    field: 'name',
    send: (value: string) =>
      execute(env.handler, as.coordinator, DefineIndicatorDocument, {
        input: { measureId, name: value, unit: 'stk', baseline: 0, target: 1, direction: 'INCREASE' },
      }),
  },
  {
    limit: 'indicatorUnit',
    field: 'unit',
    send: (value: string) =>
      execute(env.handler, as.coordinator, DefineIndicatorDocument, {
        input: { measureId, name: 'Enhet', unit: value, baseline: 0, target: 1, direction: 'INCREASE' },
      }),
  },
  {
    limit: 'indicatorComment',
    field: 'comment',
    send: (value: string) =>
      execute(env.handler, as.coordinator, RecordIndicatorValueDocument, {
        input: { indicatorId, period: '2013', value: 1, comment: value },
      }),
  },
] as const;

describe('the input limits', () => {
  it('are one declaration: the client package holds the very limits the server checks', () => {
    expect(clientLimits).toEqual(serverLimits);
  });

  it.each(cases)('$limit: the server accepts the limit and refuses one character more', async ({ limit, field, send }) => {
    const max = clientLimits[limit];
    const accepted = await send(text(max));
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    refusedAt(await send(text(max + 1)), field);
  });

  it('indicatorFigureMax: the largest figure is accepted and one beyond it refused', async () => {
    const max = serverLimits.indicatorFigureMax;
    const record = (value: number) =>
      execute(env.handler, as.coordinator, RecordIndicatorValueDocument, { input: { indicatorId, period: '2014', value } });
    expect((await record(max)).errors).toBeUndefined();
    refusedAt(await record(max * 10), 'value');
  });
});
