import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchWriteAll } from '../../data/batch-write.js';
import { loadSeed } from '../../data/load-seed.js';
import { allocationEntity } from '../../functions/funding/entities/allocation.js';
import { tableName } from '../../functions/shared/db.js';
import { FUNCTION_MEMORY_MB } from '../../infra/graphql-function.js';
import { as, executeText, exportRequest } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createBudgetLine } from '../support/funding.js';

const COUNT = 100_000;
let env: TestEnvironment;
let lineId: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  lineId = await createBudgetLine(env.handler, { appropriated: '100000000.00' });
  // Synthetic allocations straight into the table (the line's own totals are not the point here).
  const db = env.db();
  const table = tableName(db, 'funding');
  const at = '2012-05-01T00:00:00.000Z';
  const requests = Array.from({ length: COUNT }, (_, i) => ({
    table,
    PutRequest: {
      Item: allocationEntity.toItem({
        id: `mem-${String(i).padStart(6, '0')}`,
        planId: 'hp-2011-2014',
        budgetLineId: lineId,
        fiscalYear: 2012,
        lineAgencyId: 'ad',
        measureId: 'hp-2011-2014-nav-kontor',
        goalNumbers: [],
        recipientId: 'nav',
        shelterId: null,
        amountOre: 100_00n + BigInt(i),
        disbursedOre: 0n,
        createdAt: at,
        provenance: { kind: 'SYNTHETIC', reference: 'export memory test', recordedAt: at },
      }),
    },
  }));
  await batchWriteAll(db, requests, 8);
}, 600_000);

describe('an export of 100,000 allocations', () => {
  it('pages through DynamoDB with memory well below the function’s, and answers gzipped within the response limit', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 20);
    const { result: res, requests } = await env.countRequests(() =>
      exportRequest(env.handler, as.funder, '/exports/allocations.csv', `budgetLineId=${lineId}`, { 'accept-encoding': 'gzip, br' }),
    );
    clearInterval(sampler);
    const growthMb = { heap: (peakHeap - before.heapUsed) / 2 ** 20, rss: (peakRss - before.rss) / 2 ** 20 };
    console.log(
      `export of ${COUNT} allocations: ${requests.length} DynamoDB requests; heap +${growthMb.heap.toFixed(0)} MB, RSS +${growthMb.rss.toFixed(0)} MB`,
    );

    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.length).toBeLessThanOrEqual(6 * 2 ** 20);
    const csv = gunzipSync(Buffer.from(res.body, 'base64')).toString('utf8');
    const rows = csv.split('\r\n').filter((l) => l !== '');
    expect(rows).toHaveLength(COUNT + 1);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0])).size).toBe(COUNT);
    // 1,000 a page: 100 Queries, nothing per row.
    expect(requests.filter((r) => r === 'Query')).toHaveLength(COUNT / 1000);
    expect(growthMb.heap).toBeLessThan(FUNCTION_MEMORY_MB / 4);
    expect(growthMb.rss).toBeLessThan(FUNCTION_MEMORY_MB / 4);
  }, 600_000);

  it('is refused with 413 when the reader does not accept gzip, and is then neither audited nor evented as delivered', async () => {
    const exportsAudited = async () => {
      const trail = await executeText<{ auditTrail: { edges: { node: { actor: { subject: string }; changes: string | null } }[] } }>(
        env.handler,
        as.coordinator,
        'query { auditTrail(entityId: "export:allocations", first: 100) { edges { node { actor { subject } changes } } } }',
      );
      expect(trail.errors).toBeUndefined();
      return trail.data?.auditTrail.edges.filter((e) => e.node.actor.subject === 'user-viewer') ?? [];
    };
    const before = await exportsAudited();
    const res = await exportRequest(env.handler, as.viewer, '/exports/allocations.csv', `budgetLineId=${lineId}`);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'BAD_REQUEST', limit: 'response' });
    expect(await exportsAudited()).toEqual(before);
    // The same export delivered (gzip accepted) is audited once, with its rows.
    const delivered = await exportRequest(env.handler, as.viewer, '/exports/allocations.csv', `budgetLineId=${lineId}`, {
      'accept-encoding': 'gzip',
    });
    expect(delivered.status).toBe(200);
    const after = await exportsAudited();
    expect(after).toHaveLength(before.length + 1);
    expect(after.map((e) => e.node.changes).join('\n')).toContain(`"rows":${COUNT}`);
  }, 600_000);
});
