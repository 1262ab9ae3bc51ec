import { readFileSync } from 'node:fs';
import {
  buildSchema,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { createContext } from '../../functions/app/context.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { listLimits } from '../../functions/graphql/inputs.js';
import { limitsFor } from '../../functions/graphql/limits.js';
import { MAX_BODY_BYTES } from '../../functions/graphql/middleware.js';
import { createServer } from '../../functions/graphql/server.js';
import { loadConfig, stageSettings } from '../../functions/shared/config.js';
import { apiEvent, as, type Caller, executeText, send } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

/** Every list input has a length cap, checked before anything runs; every body a size cap, checked before anything parses it. */
let env: TestEnvironment;
const schema = buildSchema(typeDefs);

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const unwrap = (t: GraphQLInputType): GraphQLInputType => (isNonNullType(t) ? t.ofType : t);
const holdsList = (t: GraphQLInputType): boolean => isListType(unwrap(t));

/** Every list argument and list input field of the schema, by schema coordinate. */
function listInputs(): Map<string, GraphQLInputType> {
  const found = new Map<string, GraphQLInputType>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        for (const arg of field.args) if (holdsList(arg.type)) found.set(`${type.name}.${field.name}(${arg.name}:)`, arg.type);
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (holdsList(field.type)) found.set(`${type.name}.${field.name}`, field.type);
    }
  }
  return found;
}

const REGISTER = 'mutation ($input: RegisterShelterInput!) { registerShelter(input: $input) { shelter { id } } }';
const shelter = {
  name: 'Listehuset',
  operatorId: 'kirkens-bymisjon',
  region: 'Hordaland',
  targetGroups: ['WOMEN'],
  services: ['SAFE_HOUSING'],
};
const ids = (n: number) => Array.from({ length: n }, (_, i) => `hp-2011-2014-no-such-measure-${i}`);

/** A request per list input field: the mutation that takes it, a caller that may run it, and an input that is valid but for the list. */
const requests: Record<string, { caller: Caller; query: string; input: Record<string, unknown>; item: unknown }> = {
  CreateMeasureInput: {
    caller: as.coordinator,
    query: 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
    input: { planId: 'hp-2011-2014', title: 'Mange mål', goalNumbers: [1] },
    item: 1,
  },
  UpdateMeasureInput: {
    caller: as.coordinator,
    query: 'mutation ($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }',
    input: { id: 'hp-2011-2014-kom', expectedVersion: 1 },
    item: 1,
  },
  RegisterShelterInput: { caller: as.otherAgency, query: REGISTER, input: shelter, item: undefined },
  UpdateShelterInput: {
    caller: as.otherAgency,
    query: 'mutation ($input: UpdateShelterInput!) { updateShelter(input: $input) { shelter { id } } }',
    input: { id: 'no-such-shelter', expectedVersion: 1 },
    item: undefined,
  },
  SetReportingScheduleInput: {
    caller: as.coordinator,
    query: 'mutation ($input: SetReportingScheduleInput!) { setReportingSchedule(input: $input) { plan { id } } }',
    input: { planId: 'hp-2011-2014' },
    item: { period: '2012', dueDate: '2013-02-15' },
  },
  RegisterIntegrationInput: {
    caller: as.coordinator,
    query: 'mutation ($input: RegisterIntegrationInput!) { registerIntegration(input: $input) { integration { clientId } } }',
    input: { clientId: 'listeklient', name: 'Liste', role: 'VIEWER' },
    item: undefined,
  },
  UpdateIntegrationInput: {
    caller: as.coordinator,
    query: 'mutation ($input: UpdateIntegrationInput!) { updateIntegration(input: $input) { integration { clientId } } }',
    input: { clientId: 'listeklient', expectedVersion: 1 },
    item: undefined,
  },
};

describe('the list caps', () => {
  it('name every list argument and list input field of the schema, and nothing else', () => {
    expect([...listLimits.keys()].sort()).toEqual([...listInputs().keys()].sort());
  });

  it('let a list of an enum hold each of its values once', () => {
    for (const [coordinate, type] of listInputs()) {
      const named = getNamedType(type);
      if (isEnumType(named)) expect(listLimits.get(coordinate), coordinate).toBeGreaterThanOrEqual(named.getValues().length);
    }
  });

  it('are each stated in docs/limits.md', () => {
    const doc = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');
    for (const [coordinate, maximum] of listLimits) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${coordinate}\``));
      expect(row, coordinate).toBeDefined();
      expect(row?.split('|')[2]?.trim(), coordinate).toBe(String(maximum));
    }
  });

  it.each([...listLimits])(
    '%s: one item over its cap of %i is BAD_USER_INPUT naming the field, before any DynamoDB request',
    async (coordinate, maximum) => {
      const [typeName = '', field = ''] = coordinate.split('.');
      const request = requests[typeName];
      if (!request) throw new Error(`no request for ${typeName}`);
      const type = schema.getType(typeName);
      const fieldType = isInputObjectType(type) ? type.getFields()[field]?.type : undefined;
      const named = fieldType ? getNamedType(fieldType) : undefined;
      const item = request.item ?? (isEnumType(named) ? named.getValues()[0]?.value : 'x');
      const { result: res, requests: calls } = await env.countRequests(() =>
        executeText(env.handler, request.caller, request.query, { input: { ...request.input, [field]: Array(maximum + 1).fill(item) } }),
      );
      expect(res.status).toBe(400);
      expect(res.errors).toEqual([
        {
          message: `${field} may hold at most ${maximum} items; it held ${maximum + 1}.`,
          extensions: { code: 'BAD_USER_INPUT', field, limit: 'listLength', maximum },
        },
      ]);
      expect(calls).toEqual([]);
    },
  );

  it('hold for a list written in the document, and for a variable inside a written object', async () => {
    const inline = `mutation { registerShelter(input: { name: "Listehuset", operatorId: "kirkens-bymisjon", region: "Hordaland", targetGroups: [WOMEN], services: [SAFE_HOUSING], measureIds: ${JSON.stringify(ids(71))} }) { shelter { id } } }`;
    const nested = `mutation ($ids: [ID!]) { registerShelter(input: { name: "Listehuset", operatorId: "kirkens-bymisjon", region: "Hordaland", targetGroups: [WOMEN], services: [SAFE_HOUSING], measureIds: $ids }) { shelter { id } } }`;
    for (const [query, variables] of [
      [inline, {}],
      [nested, { ids: ids(71) }],
    ] as const) {
      const { result: res, requests: calls } = await env.countRequests(() => executeText(env.handler, as.otherAgency, query, variables));
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureIds', maximum: 70 });
      expect(calls).toEqual([]);
    }
  });

  it('let a list at its cap through to the resolver', async () => {
    const { result: res, requests: calls } = await env.countRequests(() =>
      executeText(env.handler, as.otherAgency, REGISTER, { input: { ...shelter, measureIds: ids(70) } }),
    );
    // Seventy measures that do not exist: the resolver looked them up (one batch) and found none.
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'measureIds' });
    expect(calls).toEqual(['BatchGetItem']);
  });

  it('refuse 200,000 measureIds at once with a short message, without a DynamoDB request (the server, without the body cap)', async () => {
    const server = createServer(loadConfig());
    const event = apiEvent(as.otherAgency, { body: '{}' });
    const contextValue = createContext(event, env.documentClient, loadConfig());
    const many = ids(200_000);
    const { result, requests: calls } = await env.countRequests(() =>
      server.executeOperation({ query: REGISTER, variables: { input: { ...shelter, measureIds: many } } }, { contextValue }),
    );
    expect(result.http.status).toBe(400);
    const body = result.body.kind === 'single' ? result.body.singleResult : undefined;
    const text = JSON.stringify(body);
    expect(body?.errors?.[0]?.message).toBe('measureIds may hold at most 70 items; it held 200000.');
    expect(body?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measureIds' });
    expect(text.length).toBeLessThan(300);
    expect(text).not.toContain('no-such-measure');
    expect(calls).toEqual([]);
    await server.stop();
  });
});

describe('the body cap', () => {
  it('refuses 200,000 measureIds (a body of 7 MB) with 413 through the handler, before anything parses it', async () => {
    const body = JSON.stringify({ query: REGISTER, variables: { input: { ...shelter, measureIds: ids(200_000) } } });
    expect(body.length).toBeGreaterThan(MAX_BODY_BYTES);
    const { result: res, requests: calls } = await env.countRequests(() => send(env.handler, apiEvent(as.otherAgency, { body })));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.raw)).toEqual({
      errors: [
        {
          message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
          extensions: { code: 'BAD_REQUEST', limit: 'body', maximum: MAX_BODY_BYTES },
        },
      ],
    });
    expect(calls).toEqual([]);
  });

  it('refuses a 10 MB body with 413, and one that is not JSON or base64-encoded the same way', async () => {
    const ten = 10 * 1024 * 1024;
    const bodies = [
      { body: JSON.stringify({ query: '{ viewer { subject } }', variables: { x: 'x'.repeat(ten) } }) },
      { body: `{"query": "${'x'.repeat(ten)}` },
      { body: Buffer.from(JSON.stringify({ query: '{ viewer { subject } }', variables: { x: 'x'.repeat(ten) } })).toString('base64') },
    ];
    for (const [i, { body }] of bodies.entries()) {
      const event = apiEvent(as.viewer, { body });
      if (i === 2) event.isBase64Encoded = true;
      const res = await send(env.handler, event);
      expect(res.status, String(i)).toBe(413);
      expect(res.errors?.[0]?.extensions?.limit).toBe('body');
    }
  });

  it('counts bytes, not characters: a body of few characters but more bytes than the cap is refused', async () => {
    // "€" is one character and three bytes of UTF-8.
    const chars = Math.ceil(MAX_BODY_BYTES / 3) + 10;
    const body = JSON.stringify({ query: '{ viewer { subject } }', variables: { x: '€'.repeat(chars) } });
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect((await send(env.handler, apiEvent(as.viewer, { body }))).status).toBe(413);
  });

  it('takes the largest request a client has reason to send, with every character escaped, beside the longest document', async () => {
    // A measure with the longest title and description, written by a client that escapes every non-ASCII
    // character (\u00e6: 6 bytes), in a document padded to the development stages' length limit.
    const query = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id title } } }';
    const padded = `${query}\n#${'æ'.repeat(limitsFor(stageSettings('dev')).characters - query.length - 2)}`;
    expect(padded.length).toBe(limitsFor(stageSettings('dev')).characters);
    const input = { planId: 'hp-2011-2014', title: 'æ'.repeat(300), description: 'æ'.repeat(5000), goalNumbers: [1, 2, 3, 4, 5] };
    const body = JSON.stringify({ query: padded, variables: { input } }).replace(/æ/g, '\\u00e6');
    // The size docs/limits.md gives as the largest legitimate body.
    expect(body.length).toBe(56_325);
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    const res = await send<{ createMeasure: { measure: { title: string } } }>(env.handler, apiEvent(as.coordinator, { body }));
    expect(res.errors, res.raw.slice(0, 500)).toBeUndefined();
    expect(res.data?.createMeasure.measure.title).toBe('æ'.repeat(300));
  });
});

describe('control characters in text', () => {
  const createMeasure = (input: Record<string, unknown>) =>
    executeText<{ createMeasure: { measure: { id: string; description: string | null } } }>(
      env.handler,
      as.coordinator,
      'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id description } } }',
      { input: { planId: 'hp-2011-2014', goalNumbers: [], ...input } },
    );

  it.each([
    ['an inner tab', 'Tiltak\t=1+1'],
    ['a NUL', 'Tiltak\u0000'],
    ['an ESC', '\u001b[31mTiltak'],
    ['a line feed in a one-line field', 'Tiltak\n=1+1'],
    ['a carriage return', 'Tiltak\r=1+1'],
    ['a C1 control', 'Tiltak\u0085'],
    ['DEL', 'Tiltak\u007f'],
  ])('refuses %s in a title with BAD_USER_INPUT naming the field, and stores nothing', async (_what, title) => {
    const before = await executeText<{ actionPlan: { measures: { totalCount: number } } }>(
      env.handler,
      as.viewer,
      '{ actionPlan(id: "hp-2011-2014") { measures(first: 1) { totalCount } } }',
    );
    const res = await createMeasure({ title });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    expect(res.errors?.[0]?.message).toMatch(/^title must not contain control characters \(found U\+[0-9A-F]{4}/);
    const after = await executeText<{ actionPlan: { measures: { totalCount: number } } }>(
      env.handler,
      as.viewer,
      '{ actionPlan(id: "hp-2011-2014") { measures(first: 1) { totalCount } } }',
    );
    expect(after.data?.actionPlan.measures.totalCount).toBe(before.data?.actionPlan.measures.totalCount);
  });

  it('keeps line feeds in a multi-line field (a CRLF as LF), and refuses a tab there too', async () => {
    const kept = await createMeasure({ title: 'Flere linjer', description: 'Første linje\r\nAndre linje\nTredje' });
    expect(kept.errors).toBeUndefined();
    expect(kept.data?.createMeasure.measure.description).toBe('Første linje\nAndre linje\nTredje');
    const tab = await createMeasure({ title: 'Med tab', description: 'Kolonne\t=1+1' });
    expect(tab.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'description' });
  });
});
