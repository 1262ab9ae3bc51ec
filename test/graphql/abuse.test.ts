import { readFileSync } from 'node:fs';
import { buildSchema, execute, Kind, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { type DocumentLimits, limitsFor, measureDocument, productionLimits } from '../../functions/graphql/limits.js';
import { stageSettings } from '../../functions/shared/config.js';
import { contractCall, contractOperations, expectAnswer, type Funding } from '../contract/calls.js';
import { apiEvent, as, type GraphQLResponse, send } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine } from '../support/funding.js';
import { scanAll } from '../support/scan.js';

let env: TestEnvironment;
let funding: Funding;
const schema = buildSchema(typeDefs);

beforeAll(async () => {
  // Any stage that is not a known development stage gets production settings.
  env = await createTestEnvironment({ stage: 'prod' });
  await loadSeed(env.db());
  // A line and an allocation the coordinator writes on, so that the contract's money writes land too.
  const budgetLineId = await createBudgetLine(env.handler);
  const allocation = await allocate(env.handler, { budgetLineId, amount: '1000.00', recipientId: 'nav' });
  funding = { budgetLineId, allocationId: allocation.data?.allocateFunds.allocation.id ?? '' };
});

/** The contract's operations as clients send them (graphql's `print` of the generated documents), and as written in the contract. */
const contract = contractOperations;
const contractSource = readFileSync(new URL('../../client/operations/operations.graphql', import.meta.url), 'utf8');
const sourceTexts = parse(contractSource).definitions.map((d) => ({
  name: d.kind === Kind.OPERATION_DEFINITION ? (d.name?.value ?? '') : '',
  text: d.loc ? contractSource.slice(d.loc.start, d.loc.end) : '',
}));

const limitNames = Object.keys(productionLimits) as (keyof DocumentLimits)[];

/** The largest value of each measure over the contract's operations, with the operation that has it. */
function largest() {
  const out = {} as Record<keyof DocumentLimits, { value: number; operation: string }>;
  for (const op of [...contract.map((c) => ({ name: c.name, text: c.printed })), ...sourceTexts]) {
    const measured = measureDocument(schema, op.text);
    for (const limit of limitNames) {
      if (!out[limit] || measured[limit] > out[limit].value) out[limit] = { value: measured[limit], operation: op.name };
    }
  }
  return out;
}

describe('the limits never block a real client', () => {
  it('covers all sixteen operations of the contract', () => {
    expect(contract.map((c) => c.name).sort()).toEqual(sourceTexts.map((s) => s.name).sort());
    expect(contract).toHaveLength(16);
  });

  it.each(contract)('$name, as a client prints it and as the contract writes it, is within every production limit', ({ name, printed }) => {
    const source = sourceTexts.find((s) => s.name === name)?.text ?? '';
    for (const text of [printed, source]) {
      const measured = measureDocument(schema, text);
      for (const limit of limitNames) expect(measured[limit], `${name}: ${limit}`).toBeLessThanOrEqual(productionLimits[limit]);
    }
  });

  it.each(contract)(
    '$name, as a client prints it, runs on the production server to its resolver and answers',
    async ({ name, printed }) => {
      const { caller, variables, expected } = await contractCall(env.handler, name, funding);
      const res = await post(caller, { query: printed, variables });
      expect(expected).toBe('ok');
      expectAnswer(res, expected);
    },
  );

  it('leaves headroom: each limit is about twice the largest value in the contract', () => {
    const max = largest();
    for (const limit of ['depth', 'tokens', 'characters', 'cost'] as const) {
      expect(productionLimits[limit] / max[limit].value, limit).toBeGreaterThanOrEqual(1.8);
      expect(productionLimits[limit] / max[limit].value, limit).toBeLessThanOrEqual(2.5);
    }
    // The contract has no alias and no directive: those two allow a few, for a client's own use.
    expect(max.aliases.value).toBe(0);
    expect(max.directives.value).toBe(0);
  });

  it('docs/limits.md states each limit and the largest value it was chosen from', () => {
    const doc = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');
    const max = largest();
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const limit of limitNames) {
      const row = doc.split('\n').find((line) => new RegExp(`^\\|\\s*${limit}\\s*\\|`).test(line));
      expect(row, limit).toBeDefined();
      const cells = (row ?? '').split('|').map((c) => c.trim());
      expect(cells[2], `${limit}: largest`).toBe(n(max[limit].value));
      expect(cells[3], `${limit}: operation`).toBe(max[limit].value === 0 ? '–' : max[limit].operation);
      expect(cells[4], `${limit}: limit`).toBe(n(productionLimits[limit]));
    }
  });

  it("lets development stages' IDE run its full introspection query, and keeps production at the contract's limits", () => {
    expect(limitsFor(stageSettings('prod'))).toEqual(productionLimits);
    const dev = limitsFor(stageSettings('dev'));
    expect(dev.tokens).toBeGreaterThan(productionLimits.tokens);
    expect(dev.characters).toBeGreaterThan(productionLimits.characters);
    expect({ ...dev, tokens: 0, characters: 0 }).toEqual({ ...productionLimits, tokens: 0, characters: 0 });
  });
});

function post(caller: Parameters<typeof apiEvent>[0], body: unknown, headers?: Record<string, string>) {
  return send(env.handler, apiEvent(caller, { body: JSON.stringify(body), ...(headers ? { headers } : {}) }));
}

/** Every abusive request is answered 400 (or the stated status), by Apollo before any resolver, and reaches DynamoDB not once. */
async function refused(
  request: () => Promise<GraphQLResponse<unknown>>,
  expected: { status?: number; code: string; message: RegExp; limit?: string },
) {
  const { result: res, requests } = await env.countRequests(request);
  expect(res.status).toBe(expected.status ?? 400);
  expect(res.errors?.length).toBeGreaterThan(0);
  const error = res.errors?.find((e) => expected.message.test(e.message));
  expect(error, `an error matching ${expected.message} in ${res.raw}`).toBeDefined();
  expect(error?.extensions?.code).toBe(expected.code);
  if (expected.limit) expect(error?.extensions?.limit).toBe(expected.limit);
  expect(res.raw).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\bat .*\.(ts|js):\d+/);
  expect(requests).toEqual([]);
  return res;
}

/** A mutation that, were it run, would create a measure per alias. */
const CREATE = (alias: string, extra = '') => `${alias}: createMeasure(input: $i) ${extra}{ measure { id } }`;
const creates = (n: number) => `mutation ($i: CreateMeasureInput!) { ${Array.from({ length: n }, (_, k) => CREATE(`m${k}`)).join(' ')} }`;
const input = { i: { planId: 'hp-2011-2014', title: 'Written by an abusive document', goalNumbers: [1] } };

/** A mutation that writes, with fields nested `depth` levels deep (as graphql-armor counts them). */
function deepMutation(depth: number): string {
  const chain = ['plan', 'measures', 'edges', 'node'];
  const leafOf: Record<string, string> = { plan: 'id', measures: 'totalCount', edges: 'cursor', node: 'id' };
  // createMeasure, measure and the leaf are three levels; the chain makes up the rest.
  const levels = Array.from({ length: depth - 3 }, (_, k) => chain[k % chain.length] ?? 'plan');
  const body = levels.reduceRight((inner, field) => `${field} { ${inner} }`, leafOf[levels.at(-1) ?? 'node'] ?? 'id');
  return `mutation ($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { ${body} } } }`;
}

async function measuresWrittenByAbuse() {
  return (await scanAll(env, env.names.measures)).filter((i) => i.sk === 'MEASURE' && i.title === input.i.title);
}

/** The abusive documents below that would write, were they run, with the status each is refused with: each sends the input the control writes with. */
const abusiveWrites: [string, number, () => Promise<GraphQLResponse<unknown>>][] = [
  ['a depth bomb', 400, () => post(as.coordinator, { query: deepMutation(40), variables: input })],
  ['eleven aliased writes', 400, () => post(as.coordinator, { query: creates(11), variables: input })],
  [
    '300 duplicated fields',
    400,
    () =>
      post(as.coordinator, {
        query: `mutation ($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { ${'id '.repeat(300)}} } }`,
        variables: input,
      }),
  ],
  [
    'a 50 KB comment',
    400,
    () =>
      post(as.coordinator, {
        query: `# ${'x'.repeat(50 * 1024)}\nmutation ($i: CreateMeasureInput!) { ${CREATE('m')} }`,
        variables: input,
      }),
  ],
  [
    'a 10 MB body',
    413,
    () => post(as.coordinator, { query: creates(1), variables: { i: { ...input.i, description: 'x'.repeat(10 * 1024 * 1024) } } }),
  ],
  [
    'a batch',
    400,
    () =>
      post(as.coordinator, [
        { query: creates(1), variables: input },
        { query: creates(1), variables: input },
      ]),
  ],
  [
    'a text/plain POST',
    400,
    () =>
      send(
        env.handler,
        apiEvent(as.coordinator, {
          body: JSON.stringify({ query: creates(1), variables: input }),
          headers: { 'content-type': 'text/plain' },
        }),
      ),
  ],
  [
    'a mutation by GET',
    405,
    () => {
      const event = apiEvent(as.coordinator, {
        method: 'GET',
        rawQueryString: `query=${encodeURIComponent(creates(1))}&variables=${encodeURIComponent(JSON.stringify(input))}`,
        headers: { 'apollo-require-preflight': 'true' },
      });
      delete event.headers['content-type'];
      return send(env.handler, event);
    },
  ],
];

describe('abusive documents in production', () => {
  it('a document within the limits does write (the control for the writes refused below)', async () => {
    const before = (await measuresWrittenByAbuse()).length;
    const res = await post(as.coordinator, { query: creates(2), variables: input });
    expect(res.errors).toBeUndefined();
    expect(await measuresWrittenByAbuse()).toHaveLength(before + 2);
  });

  it('a depth bomb: 400, the depth limit named', async () => {
    await refused(() => post(as.coordinator, { query: deepMutation(40), variables: input }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Query depth limit of 14 exceeded, found 40\.$/,
      limit: 'depth',
    });
  });

  it('one level over the depth limit: 400', async () => {
    expect(measureDocument(schema, deepMutation(14)).depth).toBe(14);
    await refused(() => post(as.coordinator, { query: deepMutation(15), variables: input }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Query depth limit of 14 exceeded, found 15\.$/,
      limit: 'depth',
    });
  });

  it('eleven aliased writes: 400, the aliases limit named', async () => {
    await refused(() => post(as.coordinator, { query: creates(11), variables: input }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Aliases limit of 10 exceeded, found 11\.$/,
      limit: 'aliases',
    });
  });

  it('100 aliases of one field: 400, refused by the token limit before it is parsed', async () => {
    const query = `{ viewer { ${Array.from({ length: 100 }, (_, k) => `a${k}: subject`).join(' ')} } }`;
    expect(query.length).toBeLessThan(productionLimits.characters);
    await refused(() => post(as.coordinator, { query }), {
      code: 'GRAPHQL_PARSE_FAILED',
      message: /^Syntax Error: Document contains more that 200 tokens\. Parsing aborted\.$/,
    });
  });

  it('a fragment that spreads itself: 400', async () => {
    await refused(() => post(as.coordinator, { query: 'query { ...F } fragment F on Query { ...F }' }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Cannot spread fragment "F" within itself\.$/,
    });
  });

  it('1,000 duplicated fields: 400, refused by the length limit before it is parsed', async () => {
    const query = `{ viewer { ${'subject '.repeat(1000)}} }`;
    await refused(() => post(as.coordinator, { query }), {
      code: 'BAD_REQUEST',
      message: /^Document length limit of 1500 characters exceeded, found \d+\.$/,
      limit: 'characters',
    });
  });

  it('300 duplicated fields in a short document: 400, the token limit', async () => {
    const query = `mutation ($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { ${'id '.repeat(300)}} } }`;
    expect(query.length).toBeLessThan(productionLimits.characters);
    await refused(() => post(as.coordinator, { query, variables: input }), {
      code: 'GRAPHQL_PARSE_FAILED',
      message: /more that 200 tokens/,
    });
  });

  it('10 unknown directives: 400, each one named', async () => {
    const query = `mutation ($i: CreateMeasureInput!) { createMeasure(input: $i) ${Array.from({ length: 10 }, (_, k) => `@d${k}`).join(' ')} { measure { id } } }`;
    const res = await refused(() => post(as.coordinator, { query, variables: input }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Unknown directive "@d0"\.$/,
    });
    expect(res.errors?.filter((e) => /^Unknown directive/.test(e.message))).toHaveLength(10);
  });

  it('eleven directives: 400, the directives limit named', async () => {
    const on = '@include(if: true)';
    const fields = ['id', 'number', 'title', 'status', 'version'].map((f) => `${f} ${on} `).join('');
    const query = `mutation ($i: CreateMeasureInput!) { createMeasure(input: $i) ${on} @skip(if: false) { measure ${on} @skip(if: false) { ${fields}updatedAt ${on} @skip(if: false) } } }`;
    await refused(() => post(as.coordinator, { query, variables: input }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Directives limit of 10 exceeded, found 11\.$/,
      limit: 'directives',
    });
  });

  it('a costly document: 400, the cost limit named, however `first` is given', async () => {
    const nested = (first: string) =>
      `{ actionPlan(id: "hp-2011-2014") { measures(first: ${first}) { edges { node { statusReports(first: ${first}) { edges { node { summary } } } } } } } }`;
    for (const query of [nested('100'), `query ($n: Int) ${nested('$n')}`]) {
      await refused(() => post(as.coordinator, { query, variables: { n: 1 } }), {
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: /^Query Cost limit of 60000 exceeded, found \d+(\.\d+)?\.$/,
        limit: 'cost',
      });
    }
  });

  it('two costly contract operations under aliases: 400, the cost limit', async () => {
    const page = 'responsibilities(first: $n) { edges { node { measure { id title funding { allocated disbursed } } } } }';
    // Each page of 100 costs about 7,800 now that a measure's lists count by their caps: nine of them are over the limit.
    const agencies = ['nav', 'jd', 'ad', 'bld', 'hod', 'kd', 'pod', 'udi', 'kripos'];
    // In a fragment, so that nine of them stay within the token limit.
    const query = `query ($n: Int) { ${agencies.map((id, i) => `a${i}: agency(id: "${id}") { ...P }`).join(' ')} } fragment P on Agency { ${page} }`;
    await refused(() => post(as.viewer, { query, variables: { n: 100 } }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /Cost limit/,
      limit: 'cost',
    });
  });

  it('a 50 KB document: 400, the length limit, even when it is one comment that the token limit does not count', async () => {
    for (const query of [
      `{ viewer { ${'subject '.repeat(6_400)}} }`,
      `# ${'x'.repeat(50 * 1024)}\nmutation ($i: CreateMeasureInput!) { ${CREATE('m')} }`,
    ]) {
      await refused(() => post(as.coordinator, { query, variables: input }), {
        code: 'BAD_REQUEST',
        message: /^Document length limit of 1500 characters exceeded, found \d{5}\.$/,
        limit: 'characters',
      });
    }
  });

  it('a batch (an array body): 400, batching is off', async () => {
    const one = { query: creates(1), variables: input };
    await refused(() => post(as.coordinator, [one, one]), { code: 'BAD_REQUEST', message: /^Operation batching disabled\.$/ });
  });

  it('a GET with a query string and neither content-type nor a preflight header (CSRF): 400', async () => {
    const event = apiEvent(as.coordinator, { method: 'GET', rawQueryString: `query=${encodeURIComponent('{ viewer { subject } }')}` });
    delete event.headers['content-type'];
    await refused(() => send(env.handler, event), { code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ });
  });

  it('answers every GraphQL response cache-control: no-store, data and errors alike', async () => {
    // Act
    const ok = await send(env.handler, apiEvent(as.coordinator, { body: JSON.stringify({ query: '{ viewer { subject } }' }) }));
    const invalid = await send(env.handler, apiEvent(as.coordinator, { body: JSON.stringify({ query: '{ viewer { nope } }' }) }));

    // Assess
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(invalid.status).toBe(400);
    expect(invalid.headers['cache-control']).toBe('no-store');
  });

  it('a POST of text/plain (CSRF): 400', async () => {
    const event = apiEvent(as.coordinator, {
      body: JSON.stringify({ query: creates(1), variables: input }),
      headers: { 'content-type': 'text/plain' },
    });
    await refused(() => send(env.handler, event), { code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ });
  });

  it('a mutation by GET, even with the preflight header: 405', async () => {
    const query = encodeURIComponent(creates(1));
    const event = apiEvent(as.coordinator, {
      method: 'GET',
      rawQueryString: `query=${query}&variables=${encodeURIComponent(JSON.stringify(input))}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    delete event.headers['content-type'];
    await refused(() => send(env.handler, event), {
      status: 405,
      code: 'BAD_REQUEST',
      message: /^GET requests only support query operations, not mutation operations$/,
    });
  });

  it('introspection: 400', async () => {
    await refused(() => post(as.coordinator, { query: '{ __schema { types { name } } }' }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /introspection is not allowed/,
    });
  });

  it('a misspelt field: 400, with no "Did you mean"', async () => {
    const query = '{ viewer { subjet } }';
    // graphql-js would suggest the field: the answer below is silent because production hides it.
    expect(validate(schema, parse(query))[0]?.message).toMatch(/Did you mean "subject"\?/);
    const res = await refused(() => post(as.coordinator, { query }), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Cannot query field "subjet" on type "Viewer"\.$/,
    });
    expect(res.raw).not.toMatch(/Did you mean/);
  });

  it('a misspelt enum value, inline or in a variable: 400, with no "Did you mean"', async () => {
    const inline = '{ agency(id: "nav") { responsibilities(role: LAED) { pageInfo { hasNextPage } } } }';
    expect(validate(schema, parse(inline))[0]?.message).toMatch(/Did you mean/);
    const inlineRes = await refused(() => post(as.viewer, { query: inline }), { code: 'GRAPHQL_VALIDATION_FAILED', message: /LAED/ });
    expect(inlineRes.raw).not.toMatch(/Did you mean/);

    const byVariable =
      'query ($role: ResponsibilityRole) { agency(id: "nav") { responsibilities(role: $role) { pageInfo { hasNextPage } } } }';
    const unhidden = await execute({ schema, document: parse(byVariable), variableValues: { role: 'LAED' } });
    expect(unhidden.errors?.[0]?.message).toMatch(/Did you mean the enum value "LEAD"\?/);
    const res = await refused(() => post(as.viewer, { query: byVariable, variables: { role: 'LAED' } }), {
      code: 'BAD_USER_INPUT',
      message: /^Variable "\$role" got an invalid value; Expected one of the values of enum "ResponsibilityRole"\.$/,
    });
    expect(res.raw).not.toMatch(/Did you mean/);
  });

  it.each(abusiveWrites)('%s, refused with %i, writes nothing', async (_name, status, request) => {
    const before = await scanAll(env, env.names.measures);
    const res = await request();
    expect(res.status).toBe(status);
    expect(await scanAll(env, env.names.measures)).toEqual(before);
  });
});

describe("the manifest's ids, where trusted documents are not enforced", () => {
  it('a client may send the id of a contract operation instead of its text', async () => {
    const [id] = Object.entries(
      JSON.parse(readFileSync(new URL('../../client/generated/persisted-documents.json', import.meta.url), 'utf8')),
    )
      .filter(([, text]) => String(text).startsWith('query Viewer '))
      .map(([key]) => key);
    const res = await post(as.viewer, { documentId: id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: { agency: null, roles: ['VIEWER'], subject: 'user-viewer' } });
  });

  it('an unknown APQ hash is left to Apollo: PERSISTED_QUERY_NOT_FOUND, so the client sends the text', async () => {
    const res = await post(as.viewer, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
