import { beforeAll, describe, expect, it } from 'vitest';
import { AllocationsDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute, executeText, exportRequest } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, disburse } from '../support/funding.js';
import { createShelter, reportCapacity } from '../support/shelters.js';

let env: TestEnvironment;
let lineId: string;
let shelterId: string;

const lines = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '');

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  lineId = await createBudgetLine(env.handler, { appropriated: '5000.00', title: '=HYPERLINK("http://evil")' });
  for (let i = 0; i < 5; i++) {
    const res = await allocate(env.handler, { budgetLineId: lineId, amount: `${i + 1}00.50`, recipientId: 'nav' });
    expect(res.errors).toBeUndefined();
    if (i === 0) await disburse(env.handler, { allocationId: res.data?.allocateFunds.allocation.id, amount: '10.25' });
  }
  shelterId = await createShelter(env.handler, { name: 'Eksporthuset' });
  expect((await reportCapacity(env.handler, shelterId, '2013-03-04', 8, 2)).errors).toBeUndefined();
}, 180_000);

describe('GET /exports/{dataset}.csv', () => {
  it('answers allocations in excel-nb: BOM, semicolons, decimal comma, CRLF, a file name', async () => {
    const res = await exportRequest(env.handler, as.funder, '/exports/allocations.csv', `budgetLineId=${lineId}&dialect=excel-nb`);
    expect(res.status).toBe(200);
    expect(res.body.startsWith('\uFEFFid;budgetLineId;fiscalYear;')).toBe(true);
    expect(res.body.endsWith('\r\n')).toBe(true);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="allocations-budgetLineId-${lineId}.csv"`);
    const rows = lines(res.body)
      .slice(1)
      .map((l) => l.split(';'));
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r[7])).toEqual(['100,50', '200,50', '300,50', '400,50', '500,50']);
    expect(rows[0]?.[8]).toBe('10,25');
  });

  it('gives exactly the rows GraphQL gives, in RFC 4180 by default', async () => {
    const res = await exportRequest(env.handler, as.viewer, '/exports/allocations.csv', 'fiscalYear=2012');
    expect(res.body.startsWith('id,budgetLineId,')).toBe(true);
    const ids = lines(res.body)
      .slice(1)
      .map((l) => l.split(',')[0]);
    const gql = await execute(env.handler, as.viewer, AllocationsDocument, { filter: { fiscalYear: 2012 }, first: 100 });
    expect(ids).toEqual(gql.data?.allocations.edges.map((e) => e.node.id));
    const disb = await exportRequest(env.handler, as.nav, '/exports/disbursements.csv', 'recipientAgencyId=nav');
    expect(lines(disb.body)).toHaveLength(2);
    expect(lines(disb.body)[1]).toMatch(/,nav,2012-06-01,10.25,API$/);
  });

  it('neutralises formulas, and answers budget lines and the funding summary with revisions’ appropriations', async () => {
    const res = await exportRequest(env.handler, as.funder, '/exports/budget-lines.csv', 'fiscalYear=2012&agencyId=ad');
    const row = lines(res.body).find((l) => l.startsWith(lineId));
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain(',5000.00,5000.00,1502.50,10.25,');
    const summary = await exportRequest(
      env.handler,
      as.funder,
      '/exports/funding-summary.csv',
      'planId=hp-2011-2014&groupBy=BUDGET_LINE&fiscalYear=2012',
    );
    expect(summary.status).toBe(200);
    const mine = lines(summary.body).find((l) => l.startsWith(lineId));
    expect(mine?.split(',').slice(-5)).toEqual(['5000.00', '1502.50', '10.25', '0.00205', '0']);
  });

  it('withholds in capacity-timeline exactly what GraphQL withholds from the reader', async () => {
    const query = `from=2013-03-01&to=2013-03-31&granularity=MONTH&shelterId=${shelterId}`;
    const funder = await exportRequest(env.handler, as.funder, '/exports/capacity-timeline.csv', query);
    const operator = await exportRequest(env.handler, as.otherAgency, '/exports/capacity-timeline.csv', query);
    const gql = async (caller: typeof as.funder | typeof as.otherAgency) =>
      (
        await executeText<{ capacityTimeline: { occupied: number | null; suppressed: boolean }[] }>(
          env.handler,
          caller,
          'query ($f: CapacityTimelineFilter!) { capacityTimeline(filter: $f) { occupied suppressed } }',
          { f: { from: '2013-03-01', to: '2013-03-31', granularity: 'MONTH', shelterId } },
        )
      ).data?.capacityTimeline[0];
    expect(await gql(as.funder)).toEqual({ occupied: null, suppressed: true });
    expect(lines(funder.body)[1]?.split(',').slice(3, 7)).toEqual(['8', '', '', 'true']);
    expect(await gql(as.otherAgency)).toEqual({ occupied: 2, suppressed: false });
    expect(lines(operator.body)[1]?.split(',').slice(3, 7)).toEqual(['8', '2', '0.25', 'false']);
    // The margin of each figure, last (the columns before it keep their places): none when withheld, 0 when exact.
    expect(lines(funder.body)[0]?.split(',').at(-1)).toBe('occupiedMargin');
    expect(lines(funder.body)[1]?.split(',').at(-1)).toBe('');
    expect(lines(operator.body)[1]?.split(',').at(-1)).toBe('0');
  });

  it('refuses bad requests with 400 naming what is wrong, no token with 401, no right with 403', async () => {
    const cases: [string, string, string][] = [
      ['/exports/salaries.csv', '', 'dataset'],
      ['/exports/allocations.csv', 'colour=red', 'colour'],
      ['/exports/allocations.csv', 'fiscalYear=twenty', 'fiscalYear'],
      ['/exports/allocations.csv', `fiscalYear=2012&budgetLineId=${lineId}`, 'filter'],
      ['/exports/allocations.csv', '', 'filter'],
      ['/exports/allocations.csv', 'fiscalYear=2012&fiscalYear=2013', 'fiscalYear'],
      ['/exports/allocations.csv', 'fiscalYear=2012&dialect=excel', 'dialect'],
      ['/exports/funding-summary.csv', 'planId=no-such-plan&groupBy=GOAL', 'planId'],
      ['/exports/funding-summary.csv', 'planId=hp-2011-2014&groupBy=COLOUR', 'groupBy'],
      ['/exports/capacity-timeline.csv', 'from=2013-02-30&to=2013-03-01&granularity=MONTH', 'from'],
      // A parameter named after Object.prototype's accessor is a parameter like any other: unknown.
      ['/exports/allocations.csv', 'fiscalYear=2012&__proto__=x', '__proto__'],
      ['/exports/allocations.csv', 'fiscalYear=2012&constructor=x', 'constructor'],
      // Malformed percent-encoding, in a value and in a name.
      ['/exports/allocations.csv', 'fiscalYear=%ZZ', 'fiscalYear'],
      ['/exports/allocations.csv', 'fiscalYear=2012&%E0%A4%A=1', 'query'],
      ['/exports/iati-activities/%E0%A4%A.xml', '', 'planId'],
      ['/exports/iati-activities/%ZZ.xml', '', 'planId'],
      ['/exports/iati-activities/%C0%AE.xml', '', 'planId'],
      ['/exports/iati-activities/hp-2011-2014%ZZ.xml', '', 'planId'],
    ];
    for (const caller of [as.funder, as.viewer])
      for (const [path, query, field] of cases) {
        const res = await exportRequest(env.handler, caller, path, query);
        expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
        expect(JSON.parse(res.body)).toMatchObject({ field });
      }
    const anonymous = await exportRequest(env.handler, as.anonymous, '/exports/allocations.csv', 'fiscalYear=2012&dialect=excel-nb');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain(lineId);
    const noRole = await exportRequest(env.handler, { groups: [] }, '/exports/allocations.csv', `budgetLineId=${lineId}`);
    expect(noRole.status).toBe(403);
    expect(JSON.parse(noRole.body)).toEqual({ message: 'You are not allowed to do this.' });
  });

  it('audits each export: who, which dataset, which filters', async () => {
    await exportRequest(env.handler, as.nav, '/exports/allocations.csv', 'recipientAgencyId=nav');
    const trail = await executeText<{
      auditTrail: { edges: { node: { action: string; actor: { subject: string }; changes: string | null } }[] };
    }>(
      env.handler,
      as.coordinator,
      'query { auditTrail(entityId: "export:allocations") { edges { node { action actor { subject } changes } } } }',
    );
    expect(trail.errors).toBeUndefined();
    const mine = trail.data?.auditTrail.edges.find((e) => e.node.actor.subject === 'user-nav');
    expect(mine?.node.action).toBe('export');
    expect(mine?.node.changes).toContain('recipientAgencyId');
  });
});
