import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../data/demo.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine } from '../support/funding.js';
import { scanAll } from '../support/scan.js';
import { createShelter, reportCapacity } from '../support/shelters.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  await generateDemo(env.db, { size: 1, kind: 'demo', weeks: 2, allocationsPerLine: 1 });
}, 300_000);

const P = 'provenance { kind reference recordedAt }';
type Prov = { kind: string; reference: string | null; recordedAt: string | null };

describe('provenance on every record', () => {
  it('says the seed rests on the source document and the public facts it allows, citing each', async () => {
    const res = await executeText<{
      actionPlan: { provenance: Prov; goals: { provenance: Prov }[] };
      kom: { provenance: Prov };
      navKontor: { provenance: Prov; responsibilities: { provenance: Prov }[] };
      nav: { provenance: Prov };
      ad: { provenance: Prov };
      shelter: { provenance: Prov };
    }>(
      env.handler,
      as.funder,
      `{ actionPlan(id: "hp-2011-2014") { ${P} goals { ${P} } }
         kom: measure(id: "hp-2011-2014-kom") { ${P} }
         navKontor: measure(id: "hp-2011-2014-nav-kontor") { ${P} responsibilities { ${P} } }
         nav: agency(id: "nav") { ${P} } ad: agency(id: "ad") { ${P} }
         shelter(id: "lauras-hus") { ${P} } }`,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data;
    expect(d?.actionPlan.provenance).toMatchObject({
      kind: 'SOURCE_DOCUMENT',
      reference: expect.stringContaining('Handlingsplan mot menneskehandel'),
    });
    expect(d?.actionPlan.goals.every((g) => g.provenance.kind === 'SOURCE_DOCUMENT')).toBe(true);
    expect(d?.kom.provenance).toMatchObject({ kind: 'PUBLIC_FACT', reference: expect.stringContaining('KOM') });
    expect(d?.navKontor.provenance).toMatchObject({ kind: 'SOURCE_DOCUMENT', reference: expect.stringContaining('hovedansvar') });
    expect(d?.navKontor.responsibilities[0]?.provenance).toMatchObject({
      kind: 'SOURCE_DOCUMENT',
      reference: expect.stringContaining('hovedansvar'),
    });
    expect(d?.nav.provenance.kind).toBe('SOURCE_DOCUMENT');
    expect(d?.ad.provenance.kind).toBe('PUBLIC_FACT');
    expect(d?.shelter.provenance).toMatchObject({ kind: 'PUBLIC_FACT', reference: expect.stringContaining('Lauras Hus') });
    for (const p of [d?.actionPlan.provenance, d?.kom.provenance, d?.shelter.provenance]) expect(p?.recordedAt).toMatch(/^\d{4}-/);
  });

  it('marks every invented record DEMO, from its plan and agencies down to its money and reports', async () => {
    const res = await executeText<{
      actionPlan: { provenance: Prov; measures: { edges: { node: { provenance: Prov; responsibilities: { provenance: Prov }[] } }[] } };
      shelter: { provenance: Prov; capacityReports: { edges: { node: { provenance: Prov } }[] } };
      agency: { provenance: Prov };
      budgetLines: { provenance: Prov }[];
    }>(
      env.handler,
      as.funder,
      `{ actionPlan(id: "demo") { ${P} measures(first: 10) { edges { node { ${P} responsibilities { ${P} } } } } }
         shelter(id: "demo-shelter-1") { ${P} capacityReports(first: 5) { edges { node { ${P} } } } }
         agency(id: "demo-departement-a") { ${P} }
         budgetLines(fiscalYear: 2012, agencyId: "demo-departement-a") { ${P} } }`,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data;
    const kinds = [
      d?.actionPlan.provenance,
      ...(d?.actionPlan.measures.edges.flatMap((e) => [e.node.provenance, ...e.node.responsibilities.map((r) => r.provenance)]) ?? []),
      d?.shelter.provenance,
      ...(d?.shelter.capacityReports.edges.map((e) => e.node.provenance) ?? []),
      d?.agency.provenance,
      ...(d?.budgetLines ?? []).map((l) => l.provenance),
    ].map((p) => p?.kind);
    expect(kinds.length).toBeGreaterThan(15);
    expect(new Set(kinds)).toEqual(new Set(['DEMO']));
    // Allocations and disbursements are read only from a write's answer so far: their items say it.
    const stored = (await scanAll(env, env.names.funding)).filter(
      (i) => String(i.id ?? '').startsWith('demo-alloc') || String(i.id ?? '').startsWith('demo-disb'),
    );
    expect(stored.length).toBeGreaterThan(0);
    expect(new Set(stored.map((i) => (i.provenance as { kind: string }).kind))).toEqual(new Set(['DEMO']));
  });

  it('tells a funder how much of a total rests on invented records (demoShare)', async () => {
    const res = await executeText<{
      demo: { demoShare: number; allocated: string }[];
      measure: { funding: { demoShare: number; allocated: string } };
      real: { funding: { demoShare: number } };
    }>(
      env.handler,
      as.funder,
      `{ demo: fundingSummary(planId: "demo", groupBy: AGENCY) { demoShare allocated }
         measure(id: "demo-measure-goal-1") { funding { demoShare allocated } }
         real: measure(id: "hp-2011-2014-nav-kontor") { funding { demoShare } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.demo.length).toBeGreaterThan(0);
    expect(res.data?.demo.every((row) => row.demoShare === 1)).toBe(true);
    expect(res.data?.measure.funding).toMatchObject({ demoShare: 1 });
    expect(res.data?.real.funding.demoShare).toBe(0);
  });

  it('says how much of a capacity series rests on invented shelters', async () => {
    // Hordaland holds one demo shelter (demo-shelter-1) reporting in January 2013; a real one joins it.
    const real = await createShelter(env.handler, { region: 'Hordaland', name: 'Ekte hus' });
    await reportCapacity(env.handler, real, '2013-01-20', 10, 6);
    const res = await executeText<{ capacityTimeline: { period: string; reportingShelters: number; demoShare: number }[] }>(
      env.handler,
      as.funder,
      '{ capacityTimeline(filter: { from: "2013-01-01", to: "2013-02-28", granularity: MONTH, region: "Hordaland" }) { period reportingShelters demoShare } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.capacityTimeline).toEqual([
      { period: '2013-01', reportingShelters: 2, demoShare: 0.5 },
      { period: '2013-02', reportingShelters: 0, demoShare: 0 },
    ]);
  });

  it('never puts real money into the demo plan: a line without planId goes to the one real plan of its year', async () => {
    const lineId = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 4712 }, as.nav);
    await allocate(env.handler, { budgetLineId: lineId, amount: '100.00', measureId: 'hp-2011-2014-nav-kontor' }, as.nav);
    const res = await executeText<{ real: { key: string }[]; demo: { key: string }[] }>(
      env.handler,
      as.funder,
      '{ real: fundingSummary(planId: "hp-2011-2014", groupBy: BUDGET_LINE) { key } demo: fundingSummary(planId: "demo", groupBy: BUDGET_LINE) { key } }',
    );
    expect(res.data?.real.map((r) => r.key)).toContain(lineId);
    expect(res.data?.demo.map((r) => r.key)).not.toContain(lineId);
    // A second real plan of the same years: the line must name its plan.
    const plan = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }',
      {
        input: {
          id: 'parallell-plan',
          title: 'En annen plan',
          periodStart: '2012-01-01',
          periodEnd: '2013-12-31',
          coordinatorId: 'jd',
          measureCount: 5,
        },
      },
    );
    expect(plan.errors).toBeUndefined();
    const ambiguous = await executeText(
      env.handler,
      as.nav,
      'mutation ($input: CreateBudgetLineInput!) { createBudgetLine(input: $input) { budgetLine { id } } }',
      {
        input: { fiscalYear: 2012, agencyId: 'nav', chapter: 4713, post: 1, title: 'Tvetydig', appropriated: '10.00' },
      },
    );
    expect(ambiguous.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
    const named = await executeText(
      env.handler,
      as.nav,
      'mutation ($input: CreateBudgetLineInput!) { createBudgetLine(input: $input) { budgetLine { id } } }',
      {
        input: {
          planId: 'hp-2011-2014',
          fiscalYear: 2012,
          agencyId: 'nav',
          chapter: 4713,
          post: 1,
          title: 'Navngitt',
          appropriated: '10.00',
        },
      },
    );
    expect(named.errors).toBeUndefined();
  });

  it('says what a signed-in user wrote came through the API, and when', async () => {
    const lineId = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 4711, planId: 'hp-2011-2014' }, as.nav);
    const allocated = await allocate(env.handler, { budgetLineId: lineId, amount: '100.00', recipientId: 'nav' }, as.nav);
    const allocationId = allocated.data?.allocateFunds.allocation.id ?? '';
    const paid = await executeText<{ recordDisbursement: { disbursement: { provenance: Prov } } }>(
      env.handler,
      as.nav,
      `mutation ($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { disbursement { ${P} } } }`,
      { input: { allocationId, amount: '10.00', date: '2012-03-01', idempotencyKey: 'provenance' } },
    );
    const report = await executeText<{ submitStatusReport: { statusReport: { provenance: Prov } } }>(
      env.handler,
      as.nav,
      `mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { ${P} } } }`,
      { input: { measureId: 'hp-2011-2014-nav-kontor', period: '2012', status: 'IN_PROGRESS', progressPercent: 10, summary: 'I gang.' } },
    );
    const line = await executeText<{ budgetLines: { id: string; provenance: Prov }[] }>(
      env.handler,
      as.funder,
      `{ budgetLines(fiscalYear: 2012, agencyId: "nav") { id ${P} } }`,
    );
    for (const p of [
      paid.data?.recordDisbursement.disbursement.provenance,
      report.data?.submitStatusReport.statusReport.provenance,
      line.data?.budgetLines.find((l) => l.id === lineId)?.provenance,
    ]) {
      expect(p).toMatchObject({ kind: 'API', reference: null, recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    }
  });
});
