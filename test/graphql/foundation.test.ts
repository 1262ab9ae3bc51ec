import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AgencyResponsibilitiesDocument,
  MeasureDetailDocument,
  PlanOverviewDocument,
  ViewerDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { apiEvent, as, execute, executeText, send } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

describe('the seed through the handler', () => {
  it('answers PlanOverview for hp-2011-2014 with its five goals and 35 declared measures', async () => {
    const res = await execute(env.handler, as.viewer, PlanOverviewDocument, { planId: 'hp-2011-2014' });

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const plan = res.data?.actionPlan;
    expect(plan).toMatchObject({
      id: 'hp-2011-2014',
      period: { start: '2011-01-01', end: '2014-12-31' },
      measureCount: 35,
      coordinator: { id: 'jd', name: 'Justis- og politidepartementet' },
    });
    expect(plan?.goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5]);
    expect(plan?.measures.totalCount).toBe(5);
    expect(plan?.measures.edges[0]?.node).toMatchObject({ id: 'hp-2011-2014-kom', number: 5, lead: null });
    const navLead = plan?.measures.edges.find((e) => e.node.id === 'hp-2011-2014-nav-kontor')?.node;
    expect(navLead?.lead).toEqual({ id: 'nav', name: 'Arbeids- og velferdsdirektoratet' });
    expect(plan?.measures.pageInfo.hasNextPage).toBe(false);
  });

  it('answers AgencyResponsibilities for nav: one LEAD, three SHARED', async () => {
    const res = await execute(env.handler, as.funder, AgencyResponsibilitiesDocument, { agencyId: 'nav' });

    expect(res.errors).toBeUndefined();
    const edges = res.data?.agency?.responsibilities.edges ?? [];
    expect(edges.map((e) => e.node.role)).toEqual(['LEAD', 'SHARED', 'SHARED', 'SHARED']);
    expect(edges[0]?.node.measure).toMatchObject({
      id: 'hp-2011-2014-nav-kontor',
      title: 'Tydeliggjøre NAV-kontorets ansvar',
      status: 'NOT_REPORTED',
    });
    // The source says who is responsible, not how far any measure came: all four claim nothing.
    expect(edges.map((e) => e.node.measure.status)).toEqual(['NOT_REPORTED', 'NOT_REPORTED', 'NOT_REPORTED', 'NOT_REPORTED']);
    expect(edges[0]?.node.measure.funding).toEqual({ allocated: '0.00', disbursed: '0.00' });

    const leads = await execute(env.handler, as.funder, AgencyResponsibilitiesDocument, { agencyId: 'nav', role: 'LEAD' });
    expect(leads.data?.agency?.responsibilities.edges.map((e) => e.node.measure.id)).toEqual(['hp-2011-2014-nav-kontor']);
  });

  it('answers MeasureDetail for a NAV measure', async () => {
    const res = await execute(env.handler, as.nav, MeasureDetailDocument, { id: 'hp-2011-2014-lauras-hus' });

    expect(res.errors).toBeUndefined();
    expect(res.data?.measure).toMatchObject({
      id: 'hp-2011-2014-lauras-hus',
      number: null,
      title: 'Drive Lauras Hus som et forsøksprosjekt',
      status: 'NOT_REPORTED',
      version: 2,
      plan: { id: 'hp-2011-2014' },
      goals: [],
      responsibilities: [{ role: 'SHARED', agency: { id: 'nav', name: 'Arbeids- og velferdsdirektoratet', kind: 'DIRECTORATE' } }],
      statusReports: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
      funding: { allocated: '0.00', disbursed: '0.00' },
    });
  });

  it('answers null for an unknown measure or plan', async () => {
    const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'no-such-measure' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.measure).toBeNull();
  });

  it('names the caller', async () => {
    const res = await execute(env.handler, as.nav, ViewerDocument, {});
    expect(res.data?.viewer).toEqual({
      subject: 'user-nav',
      roles: ['AGENCY_EDITOR'],
      agency: { id: 'nav', name: 'Arbeids- og velferdsdirektoratet' },
    });
  });

  it('loads the seed idempotently: a second run creates nothing', async () => {
    expect((await loadSeed(env.db())).created).toBe(0);
  });
});

describe('bad requests', () => {
  it('a syntax error is a 400 with GRAPHQL_PARSE_FAILED', async () => {
    const res = await executeText(env.handler, as.viewer, '{ actionPlan(id: "x" { id }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.raw).not.toMatch(/stacktrace|\bat .*\.(ts|js):\d+/);
  });

  it('an unknown field is a 400 with GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await executeText(env.handler, as.viewer, '{ actionPlan(id: "hp-2011-2014") { budget } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(res.errors?.[0]?.message).toContain('budget');
  });

  it('a variable of the wrong type is a 400 with BAD_USER_INPUT', async () => {
    const res = await executeText(env.handler, as.viewer, 'query ($id: ID!) { measure(id: $id) { id } }', { id: { nested: true } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a missing id is a 400 naming the variable', async () => {
    const res = await executeText(env.handler, as.viewer, 'query ($id: ID!) { measure(id: $id) { id } }', {});
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$id');
  });

  it('a body that is not JSON is a 400 with a readable error', async () => {
    const res = await send(env.handler, apiEvent(as.viewer, { body: '{"query": ' }));
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toEqual({ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } });
  });

  it('a page size over the cap is BAD_USER_INPUT naming `first`', async () => {
    const res = await execute(env.handler, as.viewer, PlanOverviewDocument, { planId: 'hp-2011-2014', first: 101 });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('a request without verified claims is 401 UNAUTHENTICATED', async () => {
    const res = await execute(env.handler, as.anonymous, ViewerDocument, {});
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('unknown errors', () => {
  it('are masked to INTERNAL_SERVER_ERROR with a correlation id that the log line carries too', async () => {
    const { PlansRepository } = await import('../../functions/plans/plans.repository.js');
    const spy = vi.spyOn(PlansRepository.prototype, 'plan').mockRejectedValueOnce(new Error('secret internal detail: table xyz'));
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const errorLog = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const res = await executeText(env.handler, as.viewer, '{ actionPlan(id: "hp-2011-2014") { id } }');
      const error = res.errors?.[0];
      expect(error?.message).toBe('Internal server error');
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const correlationId = String(error?.extensions?.correlationId);
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.raw).not.toContain('secret internal detail');
      const logLine = lines.find((l) => l.includes(correlationId));
      expect(logLine).toBeDefined();
      expect(JSON.parse(logLine ?? '{}')).toMatchObject({
        level: 'ERROR',
        correlationId,
        errorMessage: 'secret internal detail: table xyz',
      });
    } finally {
      spy.mockRestore();
      write.mockRestore();
      errorLog.mockRestore();
    }
  });
});

describe('ids longer than any stored one', () => {
  it('find nothing, and do not fail the other fields of the request', async () => {
    const long = 'x'.repeat(3000);
    const res = await executeText(
      env.handler,
      as.viewer,
      'query ($long: ID!) { ok: measure(id: "hp-2011-2014-kom") { id } a: measure(id: $long) { id } b: agency(id: $long) { id } c: shelter(id: $long) { id } d: budgetLines(fiscalYear: 2012, agencyId: $long) { id } e: agency(id: "nav") { responsibilities(first: 1) { edges { node { role } } } } }',
      { long },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      ok: { id: 'hp-2011-2014-kom' },
      a: null,
      b: null,
      c: null,
      d: [],
      e: { responsibilities: { edges: [{ node: { role: 'LEAD' } }] } },
    });
  });
});
