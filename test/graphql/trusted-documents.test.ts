import { addTypenameToDocument } from '@apollo/client/utilities';
import { type DocumentNode, Kind, parse, print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as operations from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { documentIdOf, manifest, normalizeDocument } from '../../functions/graphql/trusted-documents.js';
import { contractCall, contractOperations, expectAnswer } from '../contract/calls.js';
import { apiEvent, as, send } from '../support/api.js';
import { createProductionEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createProductionEnvironment();
  await loadSeed(env.db());
});

const documents = contractOperations;

/** The manifest's entry of an operation in the form a normalizing client sends it (with __typename), or as written. */
const idOf = (name: string, form: 'as clients send it' | 'as written' = 'as clients send it') =>
  Object.entries(manifest).find(
    ([, text]) => new RegExp(`^(query|mutation) ${name}\\b`).test(text) && text.includes('__typename') === (form === 'as clients send it'),
  )?.[0] ?? '';

/** Data without the __typename fields a normalizing client's form of a document adds. */
function withoutTypename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypename);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== '__typename')
      .map(([k, v]) => [k, withoutTypename(v)]),
  );
}

/** The operations of every document the client package and the web app ship (client/operations/, web/src/). */
const shippedOperations: DocumentNode[] = Object.values(operations as Record<string, unknown>).filter(
  (d): d is DocumentNode => isDocument(d) && d.definitions.some((x) => x.kind === Kind.OPERATION_DEFINITION),
);

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;
}

const post = (body: unknown, caller: Parameters<typeof apiEvent>[0] = as.coordinator) =>
  send(env.handler, apiEvent(caller, { body: JSON.stringify(body) }));

const NOT_TRUSTED = /^Only this API's trusted documents are accepted, and (this document|sha256:[0-9a-f]{64}) is not one of them\.$/;

describe("the manifest and the server's normalization agree", () => {
  it.each(documents)('$name as a client prints it normalizes to its manifest entry', ({ name, printed }) => {
    const id = idOf(name);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(normalizeDocument(parse(printed))).toBe(manifest[id]);
    expect(documentIdOf(normalizeDocument(parse(printed)))).toBe(id);
  });

  it('holds every operation the client package and the web app ship, as written and as a normalizing client sends it, and nothing else', () => {
    expect(shippedOperations.length).toBeGreaterThanOrEqual(documents.length);
    // Two entries each, as written and as a normalizing client sends it; one when the two are the same (an
    // operation that selects no object, as `regions`, gains no __typename).
    const sameInBoth = shippedOperations.filter((d) => print(addTypenameToDocument(d)) === print(d)).length;
    expect(Object.keys(manifest)).toHaveLength(2 * shippedOperations.length - sameInBoth);
    for (const document of shippedOperations) {
      const plain = normalizeDocument(parse(print(document)));
      expect(Object.values(manifest)).toContain(plain);
    }
  });
});

describe('with trusted documents enforced', () => {
  it.each(documents)('accepts $name as a client prints it: it runs to its resolver and answers', async ({ name, printed }) => {
    // No contract operation creates a budget line, so the money writes reach their resolver and find none.
    const { caller, variables, expected } = await contractCall(env.handler, name);
    expectAnswer(await post({ query: printed, variables }, caller), expected);
  });

  it('runs a contract operation sent as text, as the manifest writes it, by documentId and by APQ hash alike', async () => {
    const id = idOf('Viewer');
    const plainId = idOf('Viewer', 'as written');
    const expected = {
      viewer: { agency: { id: 'nav', name: 'Arbeids- og velferdsdirektoratet' }, roles: ['AGENCY_EDITOR'], subject: 'user-nav' },
    };
    const forms = [
      { query: print(operations.ViewerDocument) },
      { query: manifest[id] },
      { documentId: id },
      { extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } } },
      { query: manifest[id], extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } } },
      { documentId: plainId },
      { query: print(operations.ViewerDocument), documentId: id },
    ];
    for (const body of forms) {
      const res = await post(body, as.nav);
      expect(res.errors, JSON.stringify(body)).toBeUndefined();
      expect(withoutTypename(res.data)).toEqual(expected);
    }
    // The form a normalizing client sends answers the type of every object, which its cache keys by.
    const typed = await post({ documentId: id }, as.nav);
    expect(typed.data).toMatchObject({ viewer: { __typename: 'Viewer', agency: { __typename: 'Agency' } } });
  });

  it('runs a contract query by documentId in a GET', async () => {
    const search = new URLSearchParams({ documentId: idOf('MeasureDetail'), variables: JSON.stringify({ id: 'hp-2011-2014-kom' }) });
    const event = apiEvent(as.viewer, {
      method: 'GET',
      rawQueryString: search.toString(),
      headers: { 'apollo-require-preflight': 'true' },
    });
    delete event.headers['content-type'];
    const res = await send<{ measure: { id: string } }>(env.handler, event);
    expect(res.errors).toBeUndefined();
    expect(res.data?.measure.id).toBe('hp-2011-2014-kom');
  });

  it('refuses a document that is not in the manifest, even a part of one: 400, and nothing runs', async () => {
    for (const query of [
      '{ viewer { subject } }',
      'query Viewer { viewer { subject roles agency { id name } } __typename }',
      'not graphql at all {',
    ]) {
      const { result: res, requests } = await env.countRequests(() => post({ query }));
      expect(res.status).toBe(400);
      expect(res.errors).toEqual([{ message: expect.stringMatching(NOT_TRUSTED), extensions: { code: 'BAD_REQUEST' } }]);
      expect(requests).toEqual([]);
    }
  });

  it('refuses a trusted document sent with `@client` fields of its own: what runs must be what was hashed', async () => {
    const text = manifest[idOf('Viewer')] ?? '';
    expect(text).toContain('viewer {');
    for (const query of [
      text.replace('viewer {', 'viewer { subject roles @client'),
      text.replace('viewer {', 'viewer { ... on Viewer @client { subject }'),
    ]) {
      const { result: res, requests } = await env.countRequests(() => post({ query }));
      expect(res.status).toBe(400);
      expect(res.errors).toEqual([{ message: expect.stringMatching(NOT_TRUSTED), extensions: { code: 'BAD_REQUEST' } }]);
      expect(requests).toEqual([]);
    }
    // The same document without them runs.
    const plain = await post({ query: text });
    expect(plain.errors).toBeUndefined();
  });

  it('refuses a mutation that is not a client operation (createMeasure), and writes nothing', async () => {
    const query = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }';
    const { result: res, requests } = await env.countRequests(() =>
      post({ query, variables: { input: { planId: 'hp-2011-2014', title: 'Untrusted', goalNumbers: [1] } } }),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(NOT_TRUSTED);
    expect(requests).toEqual([]);
  });

  it('refuses an unknown documentId: 400 naming it', async () => {
    const hex = '0'.repeat(64);
    const res = await post({ documentId: `sha256:${hex}` });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      {
        message: `Only this API's trusted documents are accepted, and sha256:${hex} is not one of them.`,
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });

  it("answers an unknown APQ hash as Apollo's APQ does, PERSISTED_QUERY_NOT_FOUND, so the client sends the text", async () => {
    const res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
    expect(res.status).toBe(200);
    expect(res.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
  });

  it('refuses a text sent with the id of another document: 400', async () => {
    const res = await post({ documentId: idOf('Viewer'), query: '{ viewer { subject } }' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe(`The document sent is not the trusted document ${idOf('Viewer')}.`);
  });

  it('still bounds the length of what it is sent before looking it up', async () => {
    const res = await post({ query: `# ${'x'.repeat(5000)}\n${manifest[idOf('Viewer')]}` });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST', limit: 'characters', maximum: 1500 });
  });
});
