import { buildSchema } from 'graphql';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuditTrailDocument,
  FundingSummaryDocument,
  IntegrationDocument,
  IntegrationsDocument,
  RegisterIntegrationDocument,
  RevokeIntegrationDocument,
  SubmitStatusReportDocument,
  UpdateIntegrationDocument,
  ViewerAccessDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { INTEGRATION_CACHE_SECONDS } from '../../functions/app/runtime.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { as, type Caller, execute, executeText, exportRequest } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * Machine access (docs/integrations.md#machine-access): the registry that a person of the coordinating ministry
 * keeps, the viewer a client-credentials token gets from it, the scopes that gate every operation, and what a lookup
 * of the registry costs. Tokens are as API Gateway passes a Cognito client-credentials token's claims: `sub` and
 * `client_id` the app client's id, `scope` the custom scopes, no groups.
 */
let env: TestEnvironment;

type ScopeName = 'read' | 'write' | 'publish-documents';
/** A client-credentials token's claims, as the JWT authorizer passes them. */
const machine = (clientId: string, scopes: readonly ScopeName[]): Caller => ({
  groups: [],
  subject: clientId,
  extraClaims: { client_id: clientId, scope: scopes.map((s) => `samordning/${s}`).join(' ') },
});

let clients = 0;
/** A fresh client id, shaped as Cognito makes them (26 lower-case letters and digits). */
const freshClientId = () => `${(clients++).toString(36).padStart(4, '0')}${'x'.repeat(22)}`.slice(0, 26);

type RegisterInput = {
  clientId?: string;
  name?: string;
  role?: 'COORDINATOR' | 'AGENCY_EDITOR' | 'FUNDER' | 'VIEWER' | null;
  agencyId?: string | null;
  scopes?: ('READ' | 'WRITE' | 'PUBLISH_DOCUMENTS')[];
};

/** Registers a client as the coordinator; fails the test when the registration fails. */
async function register(input: RegisterInput = {}): Promise<{ clientId: string; version: number }> {
  const clientId = input.clientId ?? freshClientId();
  const res = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
    input: { clientId, name: 'Analysejobb', scopes: ['READ'], ...(input.agencyId ? {} : { role: 'FUNDER' }), ...input },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { clientId, version: res.data?.registerIntegration.integration.version ?? 0 };
}

const WRITE_ATTEMPT = {
  measureId: 'hp-2011-2014-nav-kontor',
  period: '2012',
  status: 'IN_PROGRESS' as const,
  progressPercent: 20,
  summary: 'Maskin',
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a funder's job with the client-credentials grant", () => {
  it('reads the funding summary and an export, and is refused a write (403, FORBIDDEN) that writes nothing', async () => {
    const { clientId } = await register({ role: 'FUNDER', scopes: ['READ'] });
    const job = machine(clientId, ['read']);

    const summary = await execute(env.handler, job, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
    expect(summary.errors).toBeUndefined();
    expect(summary.status).toBe(200);
    expect(Array.isArray(summary.data?.fundingSummary)).toBe(true);
    const csv = await exportRequest(env.handler, job, '/exports/funding-summary.csv', 'planId=hp-2011-2014&groupBy=AGENCY');
    expect(csv.status).toBe(200);
    expect(csv.body.split('\r\n')[0]).toBe('key,label,fiscalYear,appropriated,allocated,disbursed,rate,demoShare');

    const { result, requests } = await env.countRequests(() =>
      execute(env.handler, job, SubmitStatusReportDocument, { input: WRITE_ATTEMPT }),
    );
    expect(result.status).toBe(403);
    expect(result.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="samordning/write"');
    expect(result.errors).toEqual([
      { message: 'The token lacks the scope samordning/write.', extensions: { code: 'FORBIDDEN', scope: 'samordning/write' } },
    ]);
    expect(result.data).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('is FORBIDDEN a write by its role too when its token carries the write scope its registration lacks', async () => {
    // The registry grants READ only: a token that asks for more gets no more.
    const { clientId } = await register({ role: 'FUNDER', scopes: ['READ'] });
    const res = await execute(env.handler, machine(clientId, ['read', 'write']), SubmitStatusReportDocument, { input: WRITE_ATTEMPT });
    expect(res.status).toBe(403);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', scope: 'samordning/write' });
  });
});

describe('the viewer of a client-credentials token', () => {
  it('holds the role of its registration and the scopes both the registration and the token name', async () => {
    const { clientId } = await register({ agencyId: 'nav', scopes: ['READ', 'WRITE'], name: 'NAVs saksbehandlingssystem' });
    const res = await execute(env.handler, machine(clientId, ['read', 'publish-documents']), ViewerAccessDocument);
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toEqual({
      subject: clientId,
      roles: ['AGENCY_EDITOR'],
      scopes: ['READ'],
      agency: { id: 'nav' },
      integration: { clientId, name: 'NAVs saksbehandlingssystem', role: 'AGENCY_EDITOR', scopes: ['READ', 'WRITE'], status: 'ACTIVE' },
    });
  });

  it('writes as its agency with the write scope, and the audit trail names the client as the actor', async () => {
    const { clientId } = await register({ agencyId: 'nav', scopes: ['READ', 'WRITE'] });
    const res = await execute(env.handler, machine(clientId, ['read', 'write']), SubmitStatusReportDocument, {
      input: { ...WRITE_ATTEMPT, period: '2013' },
    });
    expect(res.errors).toBeUndefined();
    const trail = await execute(env.handler, as.coordinator, AuditTrailDocument, { entityId: 'hp-2011-2014-nav-kontor' });
    expect(trail.data?.auditTrail.edges[0]?.node).toMatchObject({
      action: 'submitStatusReport',
      actor: { subject: clientId, roles: ['AGENCY_EDITOR'], agency: { id: 'nav' } },
    });
  });

  it('is refused every query without the read scope (403, naming samordning/read), and every export', async () => {
    const { clientId } = await register({ agencyId: 'nav', scopes: ['WRITE'] });
    const writer = machine(clientId, ['write']);
    const res = await execute(env.handler, writer, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="samordning/read"');
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', scope: 'samordning/read' });
    const viewer = await executeText(env.handler, writer, '{ viewer { subject } }');
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const csv = await exportRequest(env.handler, writer, '/exports/funding-summary.csv', 'planId=hp-2011-2014&groupBy=AGENCY');
    expect(csv.status).toBe(403);
    expect(JSON.parse(csv.body)).toEqual({ message: 'You are not allowed to do this.' });
    // It still writes as its agency.
    const write = await execute(env.handler, writer, SubmitStatusReportDocument, { input: { ...WRITE_ATTEMPT, period: '2014' } });
    expect(write.errors).toBeUndefined();
  });

  it('holds nothing when the client is not registered: every query and mutation is refused by scope, nothing read', async () => {
    const stranger = machine(freshClientId(), ['read', 'write']);
    const read = await execute(env.handler, stranger, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
    expect(read.status).toBe(403);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const write = await execute(env.handler, stranger, SubmitStatusReportDocument, { input: WRITE_ATTEMPT });
    expect(write.status).toBe(403);
  });

  it("is a person's when the token carries groups or its subject is not the client, whatever the registry says", async () => {
    const { clientId } = await register({ role: 'COORDINATOR', scopes: ['READ', 'WRITE'] });
    // A person's token from that client id (no client-credentials token carries groups): the groups decide.
    const person = { groups: ['viewer'], subject: clientId, extraClaims: { client_id: clientId, scope: 'samordning/api' } };
    expect((await execute(env.handler, person, ViewerAccessDocument)).data?.viewer).toMatchObject({
      roles: ['VIEWER'],
      scopes: ['READ', 'WRITE', 'PUBLISH_DOCUMENTS'],
      integration: null,
    });
    // A token of a user (sub is the person) without groups: no rights at all, as before.
    const user = { groups: [], subject: 'user-123', extraClaims: { client_id: clientId, scope: 'samordning/read samordning/write' } };
    const res = await execute(env.handler, user, ViewerAccessDocument);
    expect(res.data?.viewer).toMatchObject({ roles: [], integration: null });
    const write = await execute(env.handler, user, SubmitStatusReportDocument, { input: WRITE_ATTEMPT });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("is told it may write nothing without the write scope: each viewerCan… field false where its agency's staff read true", async () => {
    const { clientId } = await register({ agencyId: 'nav', scopes: ['READ', 'WRITE'] });
    const query =
      '{ viewer { canCreateBudgetLine } measure(id: "hp-2011-2014-nav-kontor") { viewerCanReport viewerCanSetStatus } agency(id: "nav") { viewerCanCreateBudgetLine viewerCanReadContact viewerCanReadAuditTrail } }';
    const staff = await executeText(env.handler, as.nav, query);
    const abilities = (scopes: readonly ScopeName[]) => executeText(env.handler, machine(clientId, scopes), query).then((r) => r.data);
    expect(staff.data).toEqual({
      viewer: { canCreateBudgetLine: true },
      measure: { viewerCanReport: true, viewerCanSetStatus: true },
      agency: { viewerCanCreateBudgetLine: true, viewerCanReadContact: true, viewerCanReadAuditTrail: true },
    });
    expect(await abilities(['read', 'write'])).toEqual(staff.data);
    expect(await abilities(['read'])).toEqual({
      viewer: { canCreateBudgetLine: false },
      measure: { viewerCanReport: false, viewerCanSetStatus: false },
      agency: { viewerCanCreateBudgetLine: false, viewerCanReadContact: true, viewerCanReadAuditTrail: true },
    });
  });

  it('refuses every mutation of the schema to a read-only integration before anything runs: no request at all', async () => {
    const { clientId } = await register({ agencyId: 'nav', scopes: ['READ'] });
    const reader = machine(clientId, ['read']);
    await execute(env.handler, reader, ViewerAccessDocument); // the registry's entry is cached from here on
    const mutation = buildSchema(typeDefs).getMutationType();
    const fields = Object.values(mutation?.getFields() ?? {});
    expect(fields.length).toBeGreaterThan(25);
    for (const field of fields) {
      const input = field.args.find((a) => a.name === 'input');
      expect(input, field.name).toBeDefined();
      const { result, requests } = await env.countRequests(() =>
        executeText(env.handler, reader, `mutation ($input: ${String(input?.type)}) { ${field.name}(input: $input) { __typename } }`, {
          input: {},
        }),
      );
      expect([result.status, result.errors?.[0]?.extensions?.code, requests], field.name).toEqual([403, 'FORBIDDEN', []]);
    }
  });
});

describe('what a lookup of the registry costs', () => {
  it(`is one BatchGetItem per client and container in ${INTEGRATION_CACHE_SECONDS} s, and nothing for a person`, async () => {
    const { clientId } = await register({ role: 'FUNDER', scopes: ['READ'] });
    const job = machine(clientId, ['read']);
    const ask = (caller: Caller) => env.countRequests(() => executeText(env.handler, caller, '{ viewer { roles } }'));
    expect((await ask(as.funder)).requests).toEqual([]);
    const cold = await ask(job);
    expect(cold.result.data).toEqual({ viewer: { roles: ['FUNDER'] } });
    expect(cold.requests).toEqual(['BatchGetItem']);
    expect((await ask(job)).requests).toEqual([]);
    // Concurrent requests of a cold client share one lookup.
    const other = machine((await register({ role: 'VIEWER', scopes: ['READ'] })).clientId, ['read']);
    const both = await env.countRequests(() => Promise.all([ask(other), ask(other), ask(other)]));
    expect(both.requests).toEqual(['BatchGetItem']);
    const summary = await env.countRequests(() =>
      execute(env.handler, job, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' }),
    );
    const human = await env.countRequests(() =>
      execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' }),
    );
    expect(summary.requests).toEqual(human.requests);
    expect(summary.requests).toEqual(['BatchGetItem', 'Query']);
  });

  it(`takes a revocation within ${INTEGRATION_CACHE_SECONDS} s: served from the cache until then, refused after`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { clientId, version } = await register({ role: 'FUNDER', scopes: ['READ'] });
    const job = machine(clientId, ['read']);
    const read = () => execute(env.handler, job, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
    expect((await read()).status).toBe(200);
    const revoked = await execute(env.handler, as.coordinator, RevokeIntegrationDocument, {
      input: { clientId, expectedVersion: version },
    });
    expect(revoked.data?.revokeIntegration.integration).toMatchObject({ status: 'REVOKED', version: version + 1 });
    vi.setSystemTime(Date.now() + (INTEGRATION_CACHE_SECONDS - 1) * 1000);
    expect((await read()).status).toBe(200);
    vi.setSystemTime(Date.now() + 2000);
    const { result, requests } = await env.countRequests(read);
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', scope: 'samordning/read' });
    expect(requests).toEqual(['BatchGetItem']);
  });
});

describe('a lookup DynamoDB keeps throttling', () => {
  it('is answered 503, SERVICE_UNAVAILABLE and retryable, for a query and an export; the next request looks again', async () => {
    const { clientId } = await register({ role: 'FUNDER', scopes: ['READ'] });
    const job = machine(clientId, ['read']);
    let throttled = true;
    // Every key of every BatchGetItem comes back unprocessed, as DynamoDB answers a throttled batch.
    env.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (!throttled || context.commandName !== 'BatchGetItemCommand') return result;
        const output = result.output as { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: unknown };
        output.UnprocessedKeys = Object.fromEntries(
          Object.entries(output.Responses ?? {}).map(([table, items]) => [table, { Keys: items.map(({ pk, sk }) => ({ pk, sk })) }]),
        );
        output.Responses = {};
        return result;
      },
      { step: 'finalizeRequest', priority: 'low', name: 'testThrottledBatches' },
    );
    try {
      const res = await execute(env.handler, job, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
      expect(res.status).toBe(503);
      expect(res.errors).toEqual([
        {
          message: 'The service is busy. Nothing was changed; please retry.',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
        },
      ]);
      const csv = await exportRequest(env.handler, job, '/exports/funding-summary.csv', 'planId=hp-2011-2014&groupBy=AGENCY');
      expect(csv.status).toBe(503);
    } finally {
      throttled = false;
      env.client.middlewareStack.remove('testThrottledBatches');
    }
    const again = await execute(env.handler, job, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' });
    expect(again.status).toBe(200);
  });
});

describe('the integrations registry', () => {
  it('registers, lists, changes and revokes, each audited, as a person of the coordinating ministry', async () => {
    const clientId = freshClientId();
    const created = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
      input: { clientId, name: '  Nattlig eksport ', agencyId: 'nav', scopes: ['WRITE', 'READ'] },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data?.registerIntegration.integration).toMatchObject({
      clientId,
      name: 'Nattlig eksport',
      role: 'AGENCY_EDITOR',
      agency: { id: 'nav' },
      scopes: ['READ', 'WRITE'],
      status: 'ACTIVE',
      version: 1,
    });
    const listed = await execute(env.handler, as.coordinator, IntegrationsDocument);
    expect(listed.data?.integrations.map((i) => i.clientId)).toContain(clientId);

    const updated = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId, expectedVersion: 1, role: 'VIEWER', scopes: ['READ'] },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateIntegration.integration).toMatchObject({ role: 'VIEWER', agency: null, scopes: ['READ'], version: 2 });
    // A change that changes nothing writes nothing.
    const same = await env.countRequests(() =>
      execute(env.handler, as.coordinator, UpdateIntegrationDocument, { input: { clientId, expectedVersion: 2, role: 'VIEWER' } }),
    );
    expect(same.result.data?.updateIntegration.integration.version).toBe(2);
    expect(same.requests).toEqual(['BatchGetItem']);

    const revoked = await env.countRequests(() =>
      execute(env.handler, as.coordinator, RevokeIntegrationDocument, { input: { clientId, expectedVersion: 2 } }),
    );
    expect(revoked.result.data?.revokeIntegration.integration).toMatchObject({ status: 'REVOKED', version: 3 });
    expect(revoked.requests).toEqual(['BatchGetItem', 'TransactWriteItems']);
    const after = await execute(env.handler, as.coordinator, IntegrationsDocument);
    expect(after.data?.integrations.map((i) => i.clientId)).not.toContain(clientId);
    const one = await execute(env.handler, as.coordinator, IntegrationDocument, { clientId });
    expect(one.data?.integration).toMatchObject({ status: 'REVOKED', version: 3 });

    const trail = await execute(env.handler, as.coordinator, AuditTrailDocument, { entityId: clientId });
    expect(trail.data?.auditTrail.edges.map((e) => e.node.action)).toEqual([
      'revokeIntegration',
      'updateIntegration',
      'registerIntegration',
    ]);
    expect(trail.data?.auditTrail.edges[2]?.node.actor).toMatchObject({ subject: 'user-coordinator', roles: ['COORDINATOR'] });
    // nav held the entry once: it reads the entries about it.
    const navTrail = await execute(env.handler, as.nav, AuditTrailDocument, { entityId: clientId });
    expect(navTrail.data?.auditTrail.edges.length).toBeGreaterThan(0);
  });

  it('costs one BatchGetItem and one TransactWriteItems a write, and one Query to list', async () => {
    const clientId = freshClientId();
    const counts = await env.requestsPerOperation({
      register: () =>
        execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
          input: { clientId, name: 'Telling', agencyId: 'nav', scopes: ['READ'] },
        }),
      update: () =>
        execute(env.handler, as.coordinator, UpdateIntegrationDocument, { input: { clientId, expectedVersion: 1, name: 'Ny' } }),
      list: () => execute(env.handler, as.coordinator, IntegrationsDocument),
      one: () => execute(env.handler, as.coordinator, IntegrationDocument, { clientId }),
      revoke: () => execute(env.handler, as.coordinator, RevokeIntegrationDocument, { input: { clientId, expectedVersion: 2 } }),
    });
    expect(counts).toEqual({
      register: ['BatchGetItem', 'TransactWriteItems'],
      update: ['BatchGetItem', 'TransactWriteItems'],
      list: ['Query'],
      one: ['BatchGetItem'],
      revoke: ['BatchGetItem', 'TransactWriteItems'],
    });
  });

  it('is not for an integration, even one acting as the coordinator with every scope', async () => {
    const { clientId } = await register({ role: 'COORDINATOR', scopes: ['READ', 'WRITE', 'PUBLISH_DOCUMENTS'] });
    const ministryJob = machine(clientId, ['read', 'write', 'publish-documents']);
    const list = await execute(env.handler, ministryJob, IntegrationsDocument);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { result, requests } = await env.countRequests(() =>
      execute(env.handler, ministryJob, RegisterIntegrationDocument, {
        input: { clientId: freshClientId(), name: 'Ny', role: 'COORDINATOR', scopes: ['READ', 'WRITE'] },
      }),
    );
    expect(result.errors?.[0]).toMatchObject({
      message: 'Only a person of the coordinating ministry may manage integrations.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(requests).toEqual([]);
  });

  const longName = 'n'.repeat(101);
  it.each([
    ['a client id with a space', { clientId: 'abc def' }, 'BAD_USER_INPUT', 'clientId'],
    ['a client id of 129 characters', { clientId: 'a'.repeat(129) }, 'BAD_USER_INPUT', 'clientId'],
    ['a client id with a slash', { clientId: 'abc/def' }, 'BAD_USER_INPUT', 'clientId'],
    ['an empty name', { name: '   ' }, 'BAD_USER_INPUT', 'name'],
    ['a name of 101 characters', { name: longName }, 'BAD_USER_INPUT', 'name'],
    ['a name with a control character', { name: 'Jobb\u0007' }, 'BAD_USER_INPUT', 'name'],
    ['both a role and an agency', { role: 'FUNDER', agencyId: 'nav' }, 'BAD_USER_INPUT', 'agencyId'],
    ['neither a role nor an agency', { role: null, agencyId: null }, 'BAD_USER_INPUT', 'role'],
    ['the role AGENCY_EDITOR without its agency', { role: 'AGENCY_EDITOR' }, 'BAD_USER_INPUT', 'role'],
    ['an agency id that is not one', { role: null, agencyId: 'NAV/../x' }, 'BAD_USER_INPUT', 'agencyId'],
    ['an agency that does not exist', { role: null, agencyId: 'finnes-ikke' }, 'NOT_FOUND', 'agencyId'],
    ['no scope', { scopes: [] }, 'BAD_USER_INPUT', 'scopes'],
    ['a scope twice', { scopes: ['READ', 'READ'] }, 'BAD_USER_INPUT', 'scopes'],
    ['WRITE for a funder', { role: 'FUNDER', scopes: ['READ', 'WRITE'] }, 'BAD_USER_INPUT', 'scopes'],
  ] as const)('refuses %s, naming the field, and writes nothing', async (_what, overrides, code, field) => {
    const input = { clientId: freshClientId(), name: 'Jobb', role: 'FUNDER' as const, scopes: ['READ' as const], ...overrides };
    const { result, requests } = await env.countRequests(() =>
      execute(env.handler, as.coordinator, RegisterIntegrationDocument, { input: input as never }),
    );
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(String(result.errors?.[0]?.message).length).toBeLessThan(200);
    expect(requests.filter((r) => r !== 'BatchGetItem')).toEqual([]);
  });

  it('refuses a fourth scope, a client id registered before (even revoked), a stale version and a change of a revoked one', async () => {
    const tooMany = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: RegisterIntegrationInput!) { registerIntegration(input: $input) { integration { clientId } } }',
      { input: { clientId: freshClientId(), name: 'x', role: 'VIEWER', scopes: ['READ', 'READ', 'READ', 'READ'] } },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes', maximum: 3 });

    const { clientId, version } = await register({ role: 'VIEWER', scopes: ['READ'] });
    const again = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
      input: { clientId, name: 'Igjen', role: 'VIEWER', scopes: ['READ'] },
    });
    expect(again.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'clientId' });
    const stale = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId, expectedVersion: version + 5, name: 'Ny' },
    });
    expect(stale.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'expectedVersion', currentVersion: version });
    const missing = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId: freshClientId(), expectedVersion: 1, name: 'Ny' },
    });
    expect(missing.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'clientId' });
    const writer = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId, expectedVersion: version, scopes: ['READ', 'WRITE'] },
    });
    expect(writer.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'scopes' });

    await execute(env.handler, as.coordinator, RevokeIntegrationDocument, { input: { clientId, expectedVersion: version } });
    const change = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId, expectedVersion: version + 1, name: 'Ny' },
    });
    expect(change.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'clientId' });
    const reRegistered = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
      input: { clientId, name: 'Igjen', role: 'VIEWER', scopes: ['READ'] },
    });
    expect(reRegistered.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'clientId' });
  });
});
