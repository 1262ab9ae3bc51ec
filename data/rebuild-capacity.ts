import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, tableName } from '../functions/shared/db.js';
import { type Item, keyOf } from '../functions/shared/entity.js';
import { rollupRules } from '../functions/shelters/disclosure.js';
import { CapacityRollupSums, capacityRollupEntity } from '../functions/shelters/entities/capacity-rollup.js';
import { lastReportEntity } from '../functions/shelters/entities/last-report.js';
import { shelterEntity } from '../functions/shelters/entities/shelter.js';
import { rollupDelta } from '../functions/shelters/shelters.model.js';
import { batchWriteAll } from './batch-write.js';

/**
 * Rebuilds every capacity rollup from the shelters' last reports per period, under the configured
 * suppression threshold, noise bound and perturbation key. Run it after changing SUPPRESSION_THRESHOLD,
 * PERTURBATION_BOUND or PERTURBATION_KEY (the rollups keep the small part apart and the sum of the records'
 * perturbed cells, docs/privacy.md), after deploying a version that changed what they keep, or to repair
 * rollups. It is an operator's maintenance job, not a request path: it scans the shelters table, and it
 * must run while no capacity is being reported.
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

  const profiles = new Map(
    items
      .filter(shelterEntity.isProfile)
      .map((i) => shelterEntity.parse(i))
      .map((s) => [s.id, s]),
  );
  const sums = new CapacityRollupSums();
  let markers = 0;
  for (const item of items) {
    const whose = lastReportEntity.whose(item);
    const shelter = whose && profiles.get(whose.shelterId);
    if (!whose || !shelter) continue;
    markers++;
    const last = lastReportEntity.parse(item);
    sums.add(shelter.region, whose.granularity, last.period, rollupDelta(undefined, last, rollupRules(db.config, shelter)));
  }
  const rollups = sums.items();
  const stale = items.filter((i) => capacityRollupEntity.isRollup(i) && !sums.has(keyOf(i)));
  await batchWriteAll(db, [
    ...rollups.map((Item) => ({ table, PutRequest: { Item } })),
    ...stale.map((i) => ({ table, DeleteRequest: { Key: { ...keyOf(i) } } })),
  ]);
  return { markers, rollups: rollups.length, removed: stale.length };
}
