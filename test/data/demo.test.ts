import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { BudgetLinesDocument, CapacityTimelineDocument, FundingSummaryDocument, SheltersDocument } from '../../client/generated/graphql.js';
import { generateDemo } from '../../data/demo.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
let first: Awaited<ReturnType<typeof generateDemo>>;
/** The real plan as a funder reads it before the demo set is added. */
let realBefore: unknown;

const realPlan = async () => {
  const summaries = [];
  for (const groupBy of ['MEASURE', 'GOAL', 'AGENCY', 'BUDGET_LINE', 'FISCAL_YEAR'] as const) {
    summaries.push((await execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy })).data);
  }
  const measures = await executeText(
    env.handler,
    as.funder,
    '{ actionPlan(id: "hp-2011-2014") { measures(first: 100) { totalCount edges { node { id title status version } } } measuresWithoutLead { id } } }',
  );
  const nav = await executeText(
    env.handler,
    as.funder,
    '{ agency(id: "nav") { name responsibilities(first: 100) { edges { node { role measure { id funding { allocated disbursed } } } } } } }',
  );
  return { summaries, measures: measures.data, nav: nav.data };
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  realBefore = await realPlan();
  first = await generateDemo(env.db, { size: 1, kind: 'demo' });
}, 300_000);

describe('npm run seed:demo', () => {
  it('adds a labelled demo set: shelters in several regions with more than a year of weekly reports, and funding across the plan’s years', async () => {
    expect(first).toEqual({ agencies: 7, shelters: 6, reports: 360, budgetLines: 16, allocations: 48, disbursements: 48 });

    const shelters = await execute(env.handler, as.funder, SheltersDocument, { first: 100 });
    const names = shelters.data?.shelters.edges.map((e) => e.node.name) ?? [];
    expect(names.filter((n) => n.startsWith('[Demo]'))).toHaveLength(6);
    expect(new Set(shelters.data?.shelters.edges.filter((e) => e.node.name.startsWith('[Demo]')).map((e) => e.node.region)).size).toBe(6);

    const timeline = await execute(env.handler, as.funder, CapacityTimelineDocument, {
      filter: { from: '2013-01-01', to: '2014-02-28', granularity: 'MONTH', region: 'Hordaland' },
    });
    expect(timeline.data?.capacityTimeline).toHaveLength(14);
    expect(timeline.data?.capacityTimeline.every((p) => p.reportingShelters === 1 && p.capacity > 0)).toBe(true);

    for (const groupBy of ['MEASURE', 'GOAL', 'AGENCY', 'BUDGET_LINE', 'FISCAL_YEAR'] as const) {
      const res = await execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'demo', groupBy });
      expect(res.data?.fundingSummary.length, groupBy).toBeGreaterThan(0);
      expect(res.data?.fundingSummary.every((row) => row.label.includes('[Demo]') || groupBy === 'FISCAL_YEAR')).toBe(true);
    }
    for (const fiscalYear of [2011, 2012, 2013, 2014]) {
      const res = await execute(env.handler, as.funder, BudgetLinesDocument, { fiscalYear });
      expect(res.data?.budgetLines.length).toBe(4);
      expect(res.data?.budgetLines.every((l) => l.title.startsWith('[Demo]'))).toBe(true);
    }
  });

  it('keeps apart from the real plan: its funding, its measures and its agencies read exactly as before', async () => {
    expect(await realPlan()).toEqual(realBefore);
    const demo = await executeText<{
      actionPlan: {
        title: string;
        coordinator: { id: string };
        goals: { title: string }[];
        measures: { edges: { node: { id: string; title: string; lead: { id: string; name: string } | null } }[] };
      };
    }>(
      env.handler,
      as.funder,
      '{ actionPlan(id: "demo") { title coordinator { id } goals { title } measures(first: 100) { edges { node { id title lead { id name } } } } } }',
    );
    const plan = demo.data?.actionPlan;
    expect(plan?.title).toMatch(/^\[Demo\]/);
    expect(plan?.coordinator.id).toMatch(/^demo-/);
    expect(plan?.goals.every((g) => g.title.startsWith('[Demo]'))).toBe(true);
    expect(plan?.measures.edges).toHaveLength(5);
    for (const { node } of plan?.measures.edges ?? []) {
      expect(node.id).toMatch(/^demo-/);
      expect(node.title).toMatch(/^\[Demo\]/);
      expect(node.lead?.id).toMatch(/^demo-/);
      expect(node.lead?.name).toMatch(/^\[Demo\]/);
    }
  });

  it('refuses prod with a clear message', async () => {
    const run = promisify(execFile);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts', '--stage', 'prod'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, MEASURES_TABLE: '' },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('Refusing to add invented data to prod');
  });

  it('keeps Lauras Hus to the public facts: Kirkens Bymisjon, Oslo, and no invented figures', async () => {
    const res = await executeText<{ shelter: unknown }>(
      env.handler,
      as.funder,
      '{ shelter(id: "lauras-hus") { name region municipality operator { name } services targetGroups latestCapacity { date } capacityReports { edges { node { date } } } measures { title } } }',
    );
    expect(res.data?.shelter).toEqual({
      name: 'Lauras Hus',
      region: 'Oslo',
      municipality: 'Oslo',
      operator: { name: 'Kirkens Bymisjon' },
      services: ['SAFE_HOUSING'],
      targetGroups: [],
      latestCapacity: null,
      capacityReports: { edges: [] },
      measures: [{ title: 'Drive Lauras Hus som et forsøksprosjekt' }],
    });
  });

  it('labels every invented record as not a fact', async () => {
    const items = [
      ...((await env.documentClient.send(new ScanCommand({ TableName: env.names.shelters }))).Items ?? []),
      ...((await env.documentClient.send(new ScanCommand({ TableName: env.names.responsibilities }))).Items ?? []),
    ];
    const invented = items.filter((i) => String(i.id ?? '').startsWith('demo-') && (i.sk === 'PROFILE' || i.sk === 'AGENCY'));
    expect(invented.length).toBe(13);
    for (const item of invented) {
      expect(item.name).toMatch(/^\[Demo\]/);
      expect(item.source).toMatch(/^Demo data/);
    }
  });

  it('adds nothing the second time', async () => {
    expect(await generateDemo(env.db, { size: 1, kind: 'demo' })).toEqual({
      agencies: 0,
      shelters: 0,
      reports: 0,
      budgetLines: 0,
      allocations: 0,
      disbursements: 0,
    });
  }, 120_000);
});
