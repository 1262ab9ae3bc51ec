import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, tableName } from '../functions/shared/db.js';
import { type Item, keyOf } from '../functions/shared/entity.js';
import { CapacityRollupSums, capacityRollupEntity } from '../functions/shelters/entities/capacity-rollup.js';
import { lastReportEntity } from '../functions/shelters/entities/last-report.js';
import { shelterEntity } from '../functions/shelters/entities/shelter.js';
import { rollupDelta } from '../functions/shelters/shelters.model.js';
import { batchWriteAll } from './batch-write.js';

/**
 * Rebuilds every capacity rollup from the shelters' last reports per period, under the configured
 * suppression threshold. Run it after changing SUPPRESSION_THRESHOLD (the rollups keep the part below
 * the threshold apart), or to repair rollups. It is an operator's maintenance job, not a request path:
 * it scans the shelters table, and it must run while no capacity is being reported.
 */
export async function rebuildCapacityRollups(db: Db): Promise<{ markers: number; rollups: number; removed: number }> {
  const table = tableName(db, 'shelters');
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);

  const regionOf = new Map(
    items
      .filter(shelterEntity.isProfile)
      .map((i) => shelterEntity.parse(i))
      .map((s) => [s.id, s.region]),
  );
  const sums = new CapacityRollupSums();
  let markers = 0;
  for (const item of items) {
    const whose = lastReportEntity.whose(item);
    const region = whose && regionOf.get(whose.shelterId);
    if (!whose || !region) continue;
    markers++;
    const last = lastReportEntity.parse(item);
    sums.add(region, whose.granularity, last.period, rollupDelta(undefined, last, db.config.suppressionThreshold));
  }
  const rollups = sums.items();
  const stale = items.filter((i) => capacityRollupEntity.isRollup(i) && !sums.has(keyOf(i)));
  await batchWriteAll(db, [
    ...rollups.map((Item) => ({ table, PutRequest: { Item } })),
    ...stale.map((i) => ({ table, DeleteRequest: { Key: { ...keyOf(i) } } })),
  ]);
  return { markers, rollups: rollups.length, removed: stale.length };
}
