import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditTrailDocument, MeasureDetailDocument } from '../../client/generated/graphql.js';
import { importMeasures } from '../../data/import-measures.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
const root = join(import.meta.dirname, '../..');
const sample = readFileSync(join(root, 'data/import/sample-measures.csv'), 'utf8');
const actor = { subject: 'import:test', roles: ['COORDINATOR' as const], agencyId: null };
const header = 'plan_id,measure_id,number,title,description,goals,status,lead,shared';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

describe('npm run import', () => {
  it('imports the sample, with audit entries, and a second run writes nothing', async () => {
    const first = await importMeasures(env.db(), sample, actor, undefined, 'sample-measures.csv');
    expect(first).toMatchObject({ rows: 3, problems: [] });
    // Each record cites the file and the line it came from.
    const cited = await executeText<{
      measure: { provenance: { kind: string; reference: string }; responsibilities: { provenance: { reference: string } }[] };
    }>(
      env.handler,
      as.viewer,
      '{ measure(id: "demo-eksempel-opplaering") { provenance { kind reference } responsibilities { provenance { reference } } } }',
    );
    expect(cited.data?.measure.provenance).toEqual({ kind: 'IMPORT', reference: expect.stringMatching(/^sample-measures\.csv:\d+$/) });
    expect(new Set(cited.data?.measure.responsibilities.map((r) => r.provenance.reference))).toEqual(
      new Set([cited.data?.measure.provenance.reference]),
    );
    // Three measures, and seven roles: nav, hod, krd; ud, jd; ad, bld.
    expect(first.writes).toBe(3 + 7);

    const detail = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'demo-eksempel-opplaering' });
    expect(detail.data?.measure).toMatchObject({
      title: '[Eksempel] Opplæring av førstelinjen i å identifisere ofre',
      goals: [{ number: 2 }, { number: 4 }],
    });
    expect(detail.data?.measure?.responsibilities.map((r) => [r.role, r.agency.id])).toEqual([
      ['LEAD', 'nav'],
      ['SHARED', 'hod'],
      ['SHARED', 'krd'],
    ]);
    const trail = await execute(env.handler, as.coordinator, AuditTrailDocument, { entityId: 'demo-eksempel-opplaering' });
    expect(trail.data?.auditTrail.edges.map((e) => e.node.action).sort()).toEqual([
      'assignResponsibility',
      'assignResponsibility',
      'assignResponsibility',
      'createMeasure',
    ]);
    expect(trail.data?.auditTrail.edges[0]?.node.actor.subject).toBe('import:test');

    const again = await env.countRequests(() => importMeasures(env.db(), sample, actor));
    expect(again.result).toMatchObject({ problems: [], writes: 0 });
    expect(again.requests.filter((r) => r.startsWith('TransactWrite'))).toEqual([]);
  });

  it('moves a LEAD and drops roles the file no longer names', async () => {
    // Measures of its own (the sample under other ids), so that no other test's import touches them.
    const own = sample.replaceAll('demo-eksempel', 'demo-flytt');
    expect((await importMeasures(env.db(), own, actor)).problems).toEqual([]);
    const edited = own.replace('2;4,PLANNED,nav,hod;krd', '2;4,IN_PROGRESS,hod,nav');
    const result = await importMeasures(env.db(), edited, actor);
    expect(result.problems).toEqual([]);
    // The status; krd dropped; nav from LEAD to SHARED first, so that hod's LEAD condition holds.
    expect(result.writes).toBe(4);
    const detail = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'demo-flytt-opplaering' });
    expect(detail.data?.measure?.status).toBe('IN_PROGRESS');
    expect(detail.data?.measure?.responsibilities.map((r) => [r.role, r.agency.id])).toEqual([
      ['LEAD', 'hod'],
      ['SHARED', 'nav'],
    ]);
  });

  it('names each bad row by its line and writes nothing', async () => {
    const csv = [
      header,
      'hp-2011-2014,demo-ok,,[Eksempel] Gyldig,,1,PLANNED,,',
      'hp-2011-2014,demo-bad-goal,,[Eksempel] Ukjent mål,,9,PLANNED,,',
      'hp-2011-2014,Demo Bad Id,,[Eksempel] Feil id,,1,PLANNED,,',
      'hp-2011-2014,demo-bad-agency,,[Eksempel] Ukjent etat,,1,PLANNED,politiet,',
      'hp-2011-2014,demo-ok,,[Eksempel] Dobbel,,1,PLANNED,,',
      'hp-2011-2014,demo-bad-status,,[Eksempel] Status,,1,DONE,,',
      'hp-2011-2014,demo-bad-number,36,[Eksempel] Nummer,,1,PLANNED,,',
      'hp-2011-2014,demo-taken-number,5,[Eksempel] Nummer 5 er KOM,,1,PLANNED,,',
      'hp-2011-2014,demo-no-title,,,,1,PLANNED,,',
    ].join('\n');
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const count = async () => (await env.documentClient.send(new ScanCommand({ TableName: env.names.measures, Select: 'COUNT' }))).Count;
    const before = await count();

    const result = await importMeasures(env.db(), csv, actor);

    expect(result.writes).toBe(0);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 10, 9].sort((a, b) => a - b));
    expect(result.problems.find((p) => p.line === 3)?.message).toContain('goal 9');
    expect(result.problems.find((p) => p.line === 6)?.message).toContain('also on line 2');
    expect(result.problems.find((p) => p.line === 9)?.message).toContain('belongs to measure hp-2011-2014-kom');
    expect(await count()).toBe(before);
  });

  it('refuses a file without the required columns', async () => {
    const result = await importMeasures(env.db(), 'measure_id,title\nx,y\n', actor);
    expect(result.problems).toEqual([{ line: 1, message: expect.stringContaining('Missing columns: plan_id') }]);
  });

  it('reports progress and runs from the command line against configured tables', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `hp-2011-2014,demo-masse-${i},,[Eksempel] Masseimport ${i},,3,PLANNED,,ad`);
    const file = join(env.dataDir, 'many.csv');
    writeFileSync(file, [header, ...rows].join('\n'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', file], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('25 row(s) read, 50 write(s) made.\n');
    expect(run.stderr).toContain('Importing: 3/25 rows (12%)');
    expect(run.stderr).toContain('Importing: 25/25 rows (100%)');
    const again = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', file], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(again).toBe('25 row(s) read, 0 write(s) made (already up to date).\n');
  });
});
