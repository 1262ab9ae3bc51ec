import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed, seedActor } from '../../data/load-seed.js';
import { migrateNotReported } from '../../data/migrate-not-reported.js';
import { createRepositories } from '../../functions/app/context.js';
import type { MeasureRecord } from '../../functions/plans/plans.model.js';
import { as, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { expectMeasureCountersToMatch } from '../support/rollups.js';

let env: TestEnvironment;
const at = '2012-01-01T00:00:00.000Z';

/** A measure as the platform stored it before NOT_REPORTED: PLANNED by default. */
const old = (id: string): MeasureRecord => ({
  id,
  planId: 'hp-2011-2014',
  number: null,
  title: `Eldre tiltak ${id}`,
  description: null,
  status: 'PLANNED',
  version: 1,
  updatedAt: at,
  goalNumbers: [2],
  responsibilities: {},
});

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  const { plans } = createRepositories(env.db());
  for (const id of ['old-default', 'old-reported', 'old-edited']) await plans.createMeasure(old(id), seedActor);
  const edited = old('old-edited');
  await createRepositories(env.db()).plans.updateMeasure(edited, { ...edited, title: 'Satt til planlagt', version: 2 }, 1, seedActor);
  const report = await executeText(
    env.handler,
    as.coordinator,
    'mutation ($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { measure { id } } }',
    {
      i: { measureId: 'old-reported', period: '2012', status: 'PLANNED', progressPercent: 0, summary: 'Ikke startet.' },
    },
  );
  expect(report.errors).toBeUndefined();
});

describe('npm run migrate -- not-reported', () => {
  it('moves only a PLANNED that was the old default; keeps one that was set or reported; a second run moves nothing', async () => {
    const status = async (id: string) => (await createRepositories(env.db()).plans.measure(id))?.status;
    expect(await migrateNotReported(() => env.db())).toEqual({ moved: 1, kept: 2 });
    expect(await status('old-default')).toBe('NOT_REPORTED');
    expect(await status('old-reported')).toBe('PLANNED');
    expect(await status('old-edited')).toBe('PLANNED');
    await expectMeasureCountersToMatch(env, 'hp-2011-2014');

    expect(await migrateNotReported(() => env.db())).toEqual({ moved: 0, kept: 2 });
    const trail = await executeText<{ auditTrail: { edges: { node: { action: string; actor: { subject: string } } }[] } }>(
      env.handler,
      as.coordinator,
      'query ($id: ID!) { auditTrail(entityId: $id) { edges { node { action actor { subject } } } } }',
      { id: 'old-default' },
    );
    expect(trail.data?.auditTrail.edges[0]?.node).toEqual({ action: 'updateMeasure', actor: { subject: 'system:migrate-not-reported' } });
  });
});
