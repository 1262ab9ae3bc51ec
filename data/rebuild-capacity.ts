import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, tableName } from '../functions/shared/db.js';
import {
  type CapacityFigures,
  type Granularity,
  regionRollupPk,
  regionsRollupKey,
  rollupDelta,
} from '../functions/shelters/shelters.model.js';
import { batchWriteAll } from './batch-write.js';

/**
 * Rebuilds every capacity rollup from the shelters' last reports per period, under the configured
 * suppression threshold. Run it after changing SUPPRESSION_THRESHOLD (the rollups keep the part below
 * the threshold apart), or to repair rollups. It is an operator's maintenance job, not a request path:
 * it scans the shelters table, and it must run while no capacity is being reported.
 */
export async function rebuildCapacityRollups(db: Db): Promise<{ markers: number; rollups: number; removed: number }> {
  const table = tableName(db, 'shelters');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);

  const regionOf = new Map(items.filter((i) => i.sk === 'PROFILE').map((p) => [String(p.id), String(p.region)]));
  const rollups = new Map<string, Record<string, unknown>>();
  let markers = 0;
  for (const marker of items.filter((i) => String(i.sk).startsWith('LAST#'))) {
    const shelterId = String(marker.pk).slice('SHELTER#'.length);
    const granularity = String(marker.sk).split('#')[1] as Granularity;
    const region = regionOf.get(shelterId);
    if (!region) continue;
    markers++;
    const period = String(marker.period);
    const delta = rollupDelta(undefined, marker as unknown as CapacityFigures, db.config.suppressionThreshold);
    for (const key of [{ pk: regionRollupPk(region, granularity), sk: period }, regionsRollupKey(granularity, period, region)]) {
      const id = `${key.pk}\u0000${key.sk}`;
      const sum = (rollups.get(id) ?? {
        ...key,
        period,
        region,
        capacity: 0,
        occupied: 0,
        reportingShelters: 0,
        smallShelters: 0,
        smallOccupied: 0,
      }) as Record<string, number | string>;
      for (const [field, value] of Object.entries(delta)) sum[field] = Number(sum[field]) + value;
      rollups.set(id, sum);
    }
  }
  const stale = items.filter((i) => String(i.pk).startsWith('ROLLUP#') && !rollups.has(`${i.pk}\u0000${i.sk}`));
  await batchWriteAll(db, [
    ...[...rollups.values()].map((Item) => ({ table, PutRequest: { Item } })),
    ...stale.map((i) => ({ table, DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })),
  ]);
  return { markers, rollups: rollups.size, removed: stale.length };
}
