import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportingCalendarDocument } from '../../client/generated/graphql.js';
import { generateDemo } from '../../data/demo.js';
import { loadSeed } from '../../data/load-seed.js';
import { migrateCalendar, recountPlan } from '../../data/recount-plan.js';
import { createRepositories } from '../../functions/app/context.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { scanAll } from '../support/scan.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
}, 180_000);

/** Every plan's stored counters, without zeros. */
async function storedCounts(planId: string) {
  const counts = await createRepositories(env.db()).plans.planCounts(planId);
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
}

describe('the seed and the demo data', () => {
  it('load with counters equal to a recount', async () => {
    const repos = createRepositories(env.db());
    expect(await storedCounts('hp-2011-2014')).toEqual((await recountPlan(repos, 'hp-2011-2014')).counts);
    // NAV's four roles are the plan's text: owed from its start.
    expect((await storedCounts('hp-2011-2014'))['RA_0000-00-00']).toBe(4);
  });

  it('the demo plan too', async () => {
    await generateDemo(env.db, { size: 1, kind: 'demo' });
    const repos = createRepositories(env.db());
    for (const plan of await repos.plans.plans()) {
      expect(await storedCounts(plan.id), plan.id).toEqual((await recountPlan(createRepositories(env.db()), plan.id)).counts);
    }
  }, 180_000);
});

describe('npm run migrate -- calendar', () => {
  it('gives roles stored before the calendar their duty index and sets counters to a recount; a second run changes nothing', async () => {
    // Prepare: the seed as stored before the calendar: roles without plan or duty keys, counters of measures only.
    const items = await scanAll(env, env.names.responsibilities);
    const roles = items.filter((i) => String(i.pk).startsWith('MEASURE#') && String(i.sk).startsWith('AGENCY#'));
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) {
      await env.documentClient.send(
        new UpdateCommand({
          TableName: env.names.responsibilities,
          Key: { pk: r.pk, sk: r.sk },
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk, planId',
        }),
      );
    }
    await env.documentClient.send(
      new UpdateCommand({
        TableName: env.names.measures,
        Key: { pk: 'PLAN#hp-2011-2014', sk: 'STATS' },
        UpdateExpression: 'REMOVE counts.#ra',
        ExpressionAttributeNames: { '#ra': 'RA_0000-00-00' },
      }),
    );
    const before = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: 'hp-2011-2014', period: '2012' });
    expect(before.data?.actionPlan?.reportingDuties.edges).toEqual([]);

    // Act
    const first = await migrateCalendar(env.db);
    const second = await migrateCalendar(env.db);

    // Assess
    expect(first.responsibilities).toBe(roles.length);
    expect(second.responsibilities).toBe(0);
    const after = await execute(env.handler, as.viewer, ReportingCalendarDocument, { planId: 'hp-2011-2014', period: '2012' });
    expect(after.data?.actionPlan?.reportingDuties.edges.filter((e) => e.node.agency.id === 'nav')).toHaveLength(4);
    const repos = createRepositories(env.db());
    for (const plan of await repos.plans.plans()) {
      expect(await storedCounts(plan.id), plan.id).toEqual((await recountPlan(createRepositories(env.db()), plan.id)).counts);
    }
  }, 180_000);
});
