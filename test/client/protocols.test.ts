import { createHash } from 'node:crypto';
import { ApolloClient, type DocumentNode, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { print } from 'graphql';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as documents from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { typePolicies } from '../../web/src/apollo/cache.js';
import { apiEvent, as, type Caller, send } from '../support/api.js';
import { consoleWarnings } from '../support/console.js';
import { createProductionEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * The protocols clients speak, against a stage that accepts only trusted documents, each client with its own defaults:
 * urql (queries as GET, no preflight header), APQ as Apollo Client's and urql's links speak it (a hash first, the text
 * when the server does not know it), and the GraphQL over HTTP media type. Every request goes through the Lambda
 * handler as API Gateway would send it, headers included: the client's bearer token is in `authorization`.
 */
let env: TestEnvironment;

beforeAll(async () => {
  env = await createProductionEnvironment();
  await loadSeed(env.db());
});

afterEach(() => {
  vi.restoreAllMocks();
});

interface Sent {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown> | undefined;
  readonly status: number;
  readonly contentType: string | undefined;
}

/** A fetch that hands the request to the handler as an API Gateway event, and records what was sent and answered. */
function fetchThroughHandler(caller: Caller, sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase() as 'GET' | 'POST';
    const headers = Object.fromEntries(
      [...new Headers(init?.headers as HeadersInit | undefined)].map(([k, v]) => [k.toLowerCase(), v] as const),
    );
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    const event = apiEvent(caller, { method, headers, rawQueryString: url.search.slice(1), ...(body !== undefined ? { body } : {}) });
    if (!headers['content-type']) delete event.headers['content-type'];
    const res = await send(env.handler, event);
    const contentType = res.headers['content-type'] === undefined ? undefined : String(res.headers['content-type']);
    sent.push({
      method,
      query: url.searchParams,
      body: body ? (JSON.parse(body) as Record<string, unknown>) : undefined,
      status: res.status,
      contentType,
    });
    return new Response(res.raw, { status: res.status, headers: contentType ? { 'content-type': contentType } : {} });
  };
}

const BEARER = { authorization: 'Bearer a-token-api-gateway-verified' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const queries: { name: string; document: DocumentNode; variables: Record<string, unknown> }[] = [
  { name: 'Viewer', document: documents.ViewerDocument, variables: {} },
  { name: 'PlanOverview', document: documents.PlanOverviewDocument, variables: { planId: 'hp-2011-2014' } },
  { name: 'MeasureDetail', document: documents.MeasureDetailDocument, variables: { id: 'hp-2011-2014-kom' } },
  { name: 'Agencies', document: documents.AgenciesDocument, variables: {} },
];

describe('urql with its defaults', () => {
  it('runs queries as GET without a preflight header: the bearer token is what a cross-site form cannot send', async () => {
    const sent: Sent[] = [];
    const client = new Client({
      url: 'http://api.test/graphql',
      exchanges: [cacheExchange, fetchExchange],
      fetch: fetchThroughHandler(as.coordinator, sent),
      fetchOptions: { headers: BEARER },
    });
    for (const { name, document, variables } of queries) {
      const result = await client.query(document, variables).toPromise();
      expect(result.error, name).toBeUndefined();
      expect(result.data, name).toBeTruthy();
    }
    expect(sent.map((s) => s.method)).toEqual(queries.map(() => 'GET'));
    expect(sent.map((s) => s.status)).toEqual(queries.map(() => 200));
  });

  it('without a bearer token, the same GET is still refused as a possible cross-site request', async () => {
    const sent: Sent[] = [];
    const client = new Client({
      url: 'http://api.test/graphql',
      exchanges: [fetchExchange],
      fetch: fetchThroughHandler(as.coordinator, sent),
    });
    const result = await client.query(documents.ViewerDocument, {}).toPromise();
    expect(result.data).toBeUndefined();
    expect(sent[0]?.status).toBe(400);
    expect(result.error?.message).toMatch(/CSRF/);
  });

  it('speaks APQ through persistedExchange: the hash first, the text once, then the hash alone', async () => {
    const sent: Sent[] = [];
    const client = new Client({
      url: 'http://api.test/graphql',
      exchanges: [persistedExchange({ generateHash: async (query) => sha256(query) }), fetchExchange],
      fetch: fetchThroughHandler(as.coordinator, sent),
      fetchOptions: { headers: BEARER },
      requestPolicy: 'network-only',
    });
    const first = await client.query(documents.ViewerDocument, {}).toPromise();
    expect(first.error).toBeUndefined();
    expect(first.data).toMatchObject({ viewer: { subject: expect.any(String) } });
    const again = await client.query(documents.ViewerDocument, {}).toPromise();
    expect(again.error).toBeUndefined();
    expect(again.data).toEqual(first.data);
    // The hash alone (unknown: PERSISTED_QUERY_NOT_FOUND, 200), the text with its hash, then the hash alone, known now.
    const hasText = (s: Sent) => s.query.has('query') || typeof s.body?.query === 'string';
    expect(sent.map(hasText)).toEqual([false, true, false]);
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
  });
});

describe("Apollo Client's PersistedQueryLink", () => {
  it('retries with the text on PERSISTED_QUERY_NOT_FOUND, and a later query sends the hash alone', async () => {
    const warnings = consoleWarnings();
    const sent: Sent[] = [];
    const link = new PersistedQueryLink({ sha256 }).concat(
      new HttpLink({ uri: 'http://api.test/graphql', fetch: fetchThroughHandler(as.nav, sent), headers: BEARER }),
    );
    const client = new ApolloClient({ link, cache: new InMemoryCache({ typePolicies }) });
    for (const round of [1, 2]) {
      const result = await client.query({
        query: documents.PlanOverviewDocument,
        variables: { planId: 'hp-2011-2014' },
        fetchPolicy: 'network-only',
      });
      expect(result.error, `round ${round}`).toBeUndefined();
      expect(result.data?.actionPlan?.id).toBe('hp-2011-2014');
    }
    expect(sent.map((s) => typeof s.body?.query === 'string')).toEqual([false, true, false]);
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(warnings).toEqual([]);
  });
});

describe('APQ refusals', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    send(env.handler, apiEvent(as.coordinator, { body: JSON.stringify(body), headers: { ...BEARER, ...headers } }));

  it('an unknown hash alone is PERSISTED_QUERY_NOT_FOUND, answered 200 and not to be cached, and nothing runs', async () => {
    const { result: res, requests } = await env.countRequests(() =>
      post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    );
    expect(res.status).toBe(200);
    expect(res.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    expect(res.headers['cache-control']).toBe('private, no-cache, must-revalidate');
    expect(requests).toEqual([]);
  });

  it("a text whose hash is not the one sent is 400, as Apollo's APQ answers it, and the hash stays unknown", async () => {
    const text = print(documents.ViewerDocument);
    const hash = 'e'.repeat(64);
    const res = await post({ query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe('provided sha does not match query');
    const after = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(after.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a text that is no trusted document is refused with its own hash, and its hash is never registered', async () => {
    const query = '{ viewer { subject } }';
    const hash = sha256(query);
    const res = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe("Only this API's trusted documents are accepted, and this document is not one of them.");
    const after = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(after.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('the GraphQL over HTTP media type', () => {
  const ACCEPT = { accept: 'application/graphql-response+json, application/json;q=0.9' };
  const post = (body: string, headers: Record<string, string>) =>
    send(env.handler, apiEvent(as.coordinator, { body, headers: { ...BEARER, ...headers } }));

  it('answers refusals in it when the client prefers it: an untrusted document, a malformed body, an oversized one', async () => {
    const cases = [
      { body: JSON.stringify({ query: '{ viewer { subject } }' }), status: 400 },
      { body: '{"query": ', status: 400 },
      { body: JSON.stringify({ query: 'x'.repeat(70 * 1024) }), status: 413 },
      { body: JSON.stringify({ query: `# ${'x'.repeat(5000)}\n{ viewer { subject } }` }), status: 400 },
    ];
    for (const { body, status } of cases) {
      const res = await post(body, ACCEPT);
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(res.headers['content-type'], body.slice(0, 40)).toBe('application/graphql-response+json; charset=utf-8');
      expect(res.errors?.[0]?.message).toEqual(expect.any(String));
    }
  });

  it('answers them in application/json to a client that does not ask for it', async () => {
    for (const headers of [{}, { accept: 'application/json' }, { accept: '*/*' }] as Record<string, string>[]) {
      const res = await post(JSON.stringify({ query: '{ viewer { subject } }' }), headers);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it("answers a trusted document's result in it too (Apollo's own negotiation)", async () => {
    const text = print(documents.ViewerDocument);
    const res = await post(JSON.stringify({ query: text }), ACCEPT);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(res.errors).toBeUndefined();
  });
});
