import { describe, expect, it } from 'vitest';
import type { IntegrationRecord } from '../../functions/agencies/integrations.model.js';
import { INTEGRATION_CACHE_SECONDS, integrationViewers } from '../../functions/app/runtime.js';
import { TtlCache } from '../../functions/shared/ttl-cache.js';
import { integrationViewer, machineTokenOf, parseGroupsClaim, viewerFromClaims } from '../../functions/shared/viewer.js';

describe('the groups claim, in the forms API Gateway passes it', () => {
  it.each([
    ['API Gateway flattened string', '[coordinator agency:nav]', ['coordinator', 'agency:nav']],
    ['real array', ['coordinator', 'agency:nav'], ['coordinator', 'agency:nav']],
    ['single group', 'funder', ['funder']],
    ['single group in brackets', '[funder]', ['funder']],
    ['empty brackets', '[]', []],
    ['empty array', [], []],
    ['a federated group beside a platform group', '[eu-north-1_AbCdEf_Google viewer]', ['eu-north-1_AbCdEf_Google', 'viewer']],
    ['a name with a letter beyond ASCII', '[søkere viewer]', ['søkere', 'viewer']],
  ])('accepts %s', (_name, claim, expected) => {
    expect(parseGroupsClaim(claim)).toEqual(expected);
  });

  it.each([
    // A group named "coordinator", quotes and all, as API Gateway flattens it: JSON would read it as coordinator.
    ['a quoted name, flattened', '["coordinator"]'],
    ['a quoted name beside a real one', '[viewer "coordinator"]'],
    ['a quoted name in a real array', ['"coordinator"']],
    ['a JSON array string', '["coordinator","agency:nav"]'],
    ['a JSON array string with a space', '["viewer", "coordinator"]'],
    ['a comma inside a name', '[x,coordinator viewer]'],
    ['a comma list', 'viewer,coordinator'],
    ['a bracket inside a name', '[viewer [coordinator]]'],
    ['an unclosed bracket', '[coordinator'],
    ['a closing bracket only', 'coordinator]'],
    ['a brace', '[{"coordinator":1}]'],
    ['a backslash', '[\\"coordinator\\"]'],
    ['a slash', '[agency:../x viewer]'],
    ['white space around the brackets', ' [coordinator] '],
    ['a tab as separator', '[viewer\tcoordinator]'],
    ['an empty string', ''],
    ['a non-string in an array', ['coordinator', 1]],
    ['a number', 42],
    ['an object', { 0: 'coordinator' }],
    ['missing', undefined],
  ])('rejects %s: no groups at all', (_name, claim) => {
    expect(parseGroupsClaim(claim)).toEqual([]);
  });

  it('makes no coordinator of a group named "coordinator" with its quotes, in any form', () => {
    for (const claim of ['["coordinator"]', '[viewer "coordinator"]', ['"coordinator"'], "['coordinator']", '"coordinator"']) {
      expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': claim })?.roles, JSON.stringify(claim)).toEqual([]);
    }
  });
});

describe('the viewer', () => {
  it('comes from sub and cognito:groups only', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[agency:nav viewer]' })).toEqual({
      subject: 'u1',
      roles: ['AGENCY_EDITOR', 'VIEWER'],
      agencyId: 'nav',
    });
  });

  it('ignores custom attributes and other claims that name an agency or a role', () => {
    const viewer = viewerFromClaims({
      sub: 'u1',
      'cognito:groups': '[viewer]',
      'custom:agency': 'nav',
      agency: 'nav',
      'custom:groups': '[coordinator]',
      scope: 'coordinator agency:nav',
    });
    expect(viewer).toEqual({ subject: 'u1', roles: ['VIEWER'], agencyId: null });
  });

  it('grants no agency when a token names two: which one it acts for would be a guess', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[agency:nav agency:jd]' })).toEqual({
      subject: 'u1',
      roles: [],
      agencyId: null,
    });
  });

  it('ignores unknown groups and malformed agency groups', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[admin agency: agency:NAV agency:../x]' })).toEqual({
      subject: 'u1',
      roles: [],
      agencyId: null,
    });
  });

  it('is null without a subject', () => {
    expect(viewerFromClaims({ 'cognito:groups': '[coordinator]' })).toBeNull();
    expect(viewerFromClaims(undefined)).toBeNull();
  });
});

describe("an integration's client-credentials token", () => {
  const machine = { sub: 'abc123', client_id: 'abc123', token_use: 'access', scope: 'samordning/read samordning/write' };

  it('is told by its claims: sub is its client id, no groups, an access token; its platform scopes are read', () => {
    expect(machineTokenOf(machine)).toEqual({ clientId: 'abc123', scopes: ['read', 'write'] });
    for (const groups of [undefined, '', '[]', []]) {
      expect(machineTokenOf({ ...machine, 'cognito:groups': groups }), JSON.stringify(groups)).not.toBeNull();
    }
    expect(machineTokenOf({ ...machine, scope: 'samordning/api samordning/publish-documents other/read' })?.scopes).toEqual([
      'publish-documents',
    ]);
    expect(machineTokenOf({ ...machine, scope: ['samordning/read'] })?.scopes).toEqual([]);
  });

  it.each([
    ['a person (sub is not the client)', { sub: 'user-1' }],
    ['a token with groups', { 'cognito:groups': '[viewer]' }],
    ['a token with a void groups claim', { 'cognito:groups': '["coordinator"]' }],
    ['an id token', { token_use: 'id' }],
    ['a client id that is no client id', { sub: 'a/b', client_id: 'a/b' }],
    ['a client id of 129 characters', { sub: 'a'.repeat(129), client_id: 'a'.repeat(129) }],
    ['no client id', { client_id: undefined }],
  ])('is not %s', (_what, claims) => {
    expect(machineTokenOf({ ...machine, ...claims })).toBeNull();
  });

  it('holds the grant of its registration within the scopes both name; nothing without one', () => {
    const token = { clientId: 'abc123', scopes: ['read', 'publish-documents'] as const };
    expect(integrationViewer(token, { role: 'AGENCY_EDITOR', agencyId: 'nav', scopes: ['read', 'write'] })).toEqual({
      subject: 'abc123',
      roles: ['AGENCY_EDITOR'],
      agencyId: 'nav',
      integration: { clientId: 'abc123', scopes: ['read'] },
    });
    expect(integrationViewer(token, { role: 'FUNDER', agencyId: null, scopes: ['read'] })).toMatchObject({
      roles: ['FUNDER'],
      agencyId: null,
    });
    // A malformed stored agency grants no agency.
    expect(integrationViewer(token, { role: 'AGENCY_EDITOR', agencyId: 'NAV/x', scopes: ['read'] })).toMatchObject({
      roles: [],
      agencyId: null,
    });
    expect(integrationViewer(token, null)).toEqual({
      subject: 'abc123',
      roles: [],
      agencyId: null,
      integration: { clientId: 'abc123', scopes: [] },
    });
  });
});

describe("the registry's cache", () => {
  const record = (status: 'ACTIVE' | 'REVOKED'): IntegrationRecord => ({
    clientId: 'abc123',
    name: 'Jobb',
    role: 'FUNDER',
    agencyId: null,
    scopes: ['read'],
    status,
    version: 1,
    createdAt: '2013-01-01T00:00:00.000Z',
    updatedAt: '2013-01-01T00:00:00.000Z',
  });
  const claims = { sub: 'abc123', client_id: 'abc123', token_use: 'access', scope: 'samordning/read' };

  it(`looks a client up once in ${INTEGRATION_CACHE_SECONDS} s, concurrent requests sharing one lookup, and never for a person`, async () => {
    let now = 0;
    let stored = record('ACTIVE');
    const lookups: string[] = [];
    const viewerOf = integrationViewers(
      async (id) => {
        lookups.push(id);
        return stored;
      },
      () => now,
    );
    const [a, b] = await Promise.all([viewerOf(claims), viewerOf(claims)]);
    expect([a?.roles, b?.roles, lookups]).toEqual([['FUNDER'], ['FUNDER'], ['abc123']]);
    expect((await viewerOf({ sub: 'u', 'cognito:groups': '[funder]' }))?.roles).toEqual(['FUNDER']);
    stored = record('REVOKED');
    now = INTEGRATION_CACHE_SECONDS * 1000 - 1;
    expect((await viewerOf(claims))?.roles).toEqual(['FUNDER']);
    now += 1;
    expect((await viewerOf(claims))?.roles).toEqual([]);
    expect(lookups).toEqual(['abc123', 'abc123']);
  });

  it('keeps no failed lookup: the next request looks again', async () => {
    let fail = true;
    const viewerOf = integrationViewers(async () => {
      if (fail) throw new Error('throttled');
      return record('ACTIVE');
    });
    await expect(viewerOf(claims)).rejects.toThrow('throttled');
    fail = false;
    expect((await viewerOf(claims))?.roles).toEqual(['FUNDER']);
  });

  it('holds at most its bound of keys, dropping the oldest', async () => {
    const loads: number[] = [];
    const cache = new TtlCache<number, number>({ ttlMs: 1000, maxEntries: 2, now: () => 0 });
    const load = async (k: number) => {
      loads.push(k);
      return k;
    };
    for (const k of [1, 2, 3, 2, 1]) await cache.get(k, load);
    expect(loads).toEqual([1, 2, 3, 1]);
  });
});
