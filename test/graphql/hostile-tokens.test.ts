import { beforeAll, describe, expect, it } from 'vitest';
import { CreateMeasureDocument, SubmitStatusReportDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, type Caller, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * Tokens whose groups are built to fool the code that reads them: an agency named after a property
 * of `Object.prototype`, and a group named "coordinator" with its quotes. Each is refused, writes
 * nothing, and leaves the measure readable for everyone after.
 */
let env: TestEnvironment;
const MEASURE = 'hp-2011-2014-nav-kontor';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  // A real report first, so the reads below resolve a `reportedBy`.
  const res = await execute(env.handler, as.nav, SubmitStatusReportDocument, {
    input: { measureId: MEASURE, period: '2012-H1', status: 'IN_PROGRESS', progressPercent: 40, summary: 'Godt i gang.' },
  });
  if (res.errors) throw new Error(res.raw);
});

const READ_REPORTS = `query ($id: ID!) {
  measure(id: $id) { id responsibilities { role agency { id name } } statusReports(first: 50) { edges { node { id period reportedBy { id name } } } } }
}`;

async function reports(caller: Caller) {
  const res = await executeText<{ measure: { statusReports: { edges: { node: { reportedBy: { id: string } } }[] } } }>(
    env.handler,
    caller,
    READ_REPORTS,
    { id: MEASURE },
  );
  expect(res.errors, res.raw).toBeUndefined();
  return res.data?.measure.statusReports;
}

const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('an agency group named after a property of Object.prototype', () => {
  it.each(prototypeNames)('agency:%s may not report on a measure, writes nothing, and the reports stay readable', async (name) => {
    const hostile = { groups: [`agency:${name}`], subject: `user-${name}` };
    const before = await reports(as.viewer);
    expect(before?.edges.length).toBeGreaterThan(0);

    const { result: res, requests } = await env.countRequests(() =>
      execute(env.handler, hostile, SubmitStatusReportDocument, {
        input: { measureId: MEASURE, period: '2012-H2', status: 'COMPLETED', progressPercent: 100, summary: 'Ferdig, sier hvem?' },
      }),
    );
    // Either the group names no agency at all (no role, so no right) or it names one that holds no role on the measure.
    expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('FORBIDDEN');
    expect(res.data?.submitStatusReport ?? null).toBeNull();
    expect(requests).not.toContain('TransactWriteItems');

    for (const reader of [as.viewer, as.coordinator, as.nav, as.funder]) {
      const after = await reports(reader);
      expect(after?.edges.map((e) => e.node.reportedBy.id)).toEqual(before?.edges.map((e) => e.node.reportedBy.id));
    }
  });

  it('agency:constructor is staff of no agency that exists: its viewer answers without an error', async () => {
    const res = await executeText(env.handler, { groups: ['agency:constructor'] }, '{ viewer { roles agency { id name } } }');
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data).toEqual({ viewer: { roles: ['AGENCY_EDITOR'], agency: null } });
  });
});

describe('a group named "coordinator", quotes included', () => {
  it.each([
    ['alone', ['"coordinator"']],
    ['beside a real group', ['viewer', '"coordinator"']],
  ])('%s gives no coordinator rights: the claim is void, the plan unchanged', async (_name, groups) => {
    const hostile = { groups, subject: 'user-quoted' };
    // The events of test/support/api.ts flatten groups as API Gateway does: `["coordinator"]`.
    const who = await executeText(env.handler, hostile, '{ viewer { roles } }');
    expect(who.data).toEqual({ viewer: { roles: [] } });

    const { result: res, requests } = await env.countRequests(() =>
      execute(env.handler, hostile, CreateMeasureDocument, {
        input: { planId: 'hp-2011-2014', title: 'Skrevet av en falsk koordinator', goalNumbers: [1] },
      }),
    );
    expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('FORBIDDEN');
    expect(requests).toEqual([]);
  });
});
