import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createRepositories } from '../functions/app/context.js';
import { allocationEntity, allocationIndexKeys } from '../functions/funding/entities/allocation.js';
import { budgetLineEntity } from '../functions/funding/entities/budget-line.js';
import { disbursementEntity, disbursementIndexKeys } from '../functions/funding/entities/disbursement.js';
import { fundingRollupEntity } from '../functions/funding/entities/funding-rollup.js';
import { type BudgetLineRecord, lineGroupsOf } from '../functions/funding/funding.model.js';
import { type Db, tableName } from '../functions/shared/db.js';
import { type Item, keyOf } from '../functions/shared/entity.js';

export interface FundingIndexesResult {
  /** Allocations given their list keys (gsi1–gsi5). */
  readonly allocations: number;
  /** Disbursements given their list keys (gsi2, gsi4) and their allocation's recipient. */
  readonly disbursements: number;
  /** Summary rollups given the appropriation of their lines, or their matrix keys (gsi1). */
  readonly rollups: number;
  /** Items that already had them. */
  readonly unchanged: number;
}

/**
 * Gives allocations and disbursements stored before the lists existed the index keys by which
 * `allocations(filter:)` and `disbursements(filter:)` find them (and a disbursement its allocation's
 * recipient), and the summary rollups the appropriation of their budget lines (AGENCY, BUDGET_LINE and
 * FISCAL_YEAR groups) and the matrix keys by which `fundingMatrix` reads a grouping's years in one Query.
 * It must run while no budget line is created or revised (it sets the sums it computed). An operator's maintenance job, not a request path: it scans the funding table. Each item
 * is changed by an UpdateItem that sets only these attributes, so a payment recorded meanwhile (which
 * ADDs to the allocation's totals) is never lost. Idempotent: a second run changes nothing.
 */
export async function migrateFundingIndexes(db: Db): Promise<FundingIndexesResult> {
  const table = tableName(db, 'funding');
  const allocations: Item[] = [];
  const disbursements: Item[] = [];
  const lines: BudgetLineRecord[] = [];
  const summaries = new Map<string, Item>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      if (allocationEntity.isAllocation(item)) allocations.push(item);
      else if (disbursementEntity.isDisbursement(item)) disbursements.push(item);
      else if (typeof item.pk === 'string' && item.pk.startsWith('LINE#') && item.sk === 'LINE') lines.push(budgetLineEntity.parse(item));
      else if (typeof item.pk === 'string' && item.pk.startsWith('SUMMARY#')) summaries.set(`${item.pk}\u0000${String(item.sk)}`, item);
    }
    start = out.LastEvaluatedKey;
  } while (start);

  const recipients = new Map<string, string | null>();
  let changed = { allocations: 0, disbursements: 0 };
  let unchanged = 0;
  for (const item of allocations) {
    const a = allocationEntity.parse(item);
    recipients.set(a.id, a.recipientId);
    if (await setMissing(db, table, item, allocationIndexKeys(a))) changed = { ...changed, allocations: changed.allocations + 1 };
    else unchanged++;
  }
  for (const item of disbursements) {
    const d = disbursementEntity.parse(item);
    const recipientId = recipients.get(d.allocationId) ?? null;
    const wanted = { ...disbursementIndexKeys(d, recipientId), ...(recipientId ? { recipientId } : {}) };
    if (await setMissing(db, table, item, wanted)) changed = { ...changed, disbursements: changed.disbursements + 1 };
    else unchanged++;
  }
  // What each summary item should hold: its lines' appropriation (for groups that hold lines) and its matrix keys.
  const wanted = new Map<string, { key: { pk: string; sk: string }; set: Item; label: string }>();
  const agencies = createRepositories(db).agencies;
  const names = new Map<string, string | undefined>();
  for (const line of lines) {
    if (!names.has(line.agencyId)) names.set(line.agencyId, (await agencies.agency(line.agencyId))?.name);
    for (const group of lineGroupsOf(line, names.get(line.agencyId))) {
      for (const year of [line.fiscalYear, null]) {
        const key = fundingRollupEntity.summaryKey(line.planId, group.groupBy, year, group.key);
        const id = `${key.pk}\u0000${key.sk}`;
        const before = wanted.get(id);
        const appropriated = (typeof before?.set.appropriatedOre === 'bigint' ? before.set.appropriatedOre : 0n) + line.appropriatedOre;
        wanted.set(id, {
          key,
          label: group.label,
          set: {
            key: group.key,
            fiscalYear: year,
            appropriatedOre: appropriated,
            ...fundingRollupEntity.matrixKeys(line.planId, group.groupBy, year, group.key),
          },
        });
      }
    }
  }
  let rollups = 0;
  for (const [id, item] of summaries) {
    if (wanted.has(id)) continue;
    const [, planId, groupBy, year] = String(item.pk).split('#');
    if (!planId || !groupBy || !year || year === 'ALL') continue;
    const keys = fundingRollupEntity.matrixKeys(planId, groupBy as never, Number(year), String(item.sk));
    if (await setMissing(db, table, item, keys)) rollups++;
    else unchanged++;
  }
  for (const [id, w] of wanted) {
    const stored = summaries.get(id);
    const differing = Object.entries(w.set).filter(([name, value]) => !same(stored?.[name], value));
    if (stored && differing.length === 0) {
      unchanged++;
      continue;
    }
    // A group with lines but no allocation has no item yet: it gets one, with zero totals and its label.
    await db.client.send(
      new UpdateCommand({
        TableName: table,
        Key: w.key,
        UpdateExpression: `SET ${Object.keys(w.set)
          .map((_, i) => `#a${i} = :v${i}`)
          .join(', ')}, label = if_not_exists(label, :label) ADD allocatedOre :zero, disbursedOre :zero`,
        ExpressionAttributeNames: Object.fromEntries(Object.keys(w.set).map((name, i) => [`#a${i}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(Object.values(w.set).map((value, i) => [`:v${i}`, value])),
          ':label': w.label,
          ':zero': 0n,
        },
      }),
    );
    rollups++;
  }
  return { ...changed, rollups, unchanged };
}

/** Sets the attributes of `wanted` that the item lacks or holds otherwise; false when it holds them all. */
async function setMissing(db: Db, table: string, item: Item, wanted: Item): Promise<boolean> {
  const differing = Object.entries(wanted).filter(([name, value]) => !same(item[name], value));
  if (differing.length === 0) return false;
  await db.client.send(
    new UpdateCommand({
      TableName: table,
      Key: keyOf(item),
      UpdateExpression: `SET ${differing.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(differing.map(([name], i) => [`#a${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(differing.map(([, value], i) => [`:v${i}`, value])),
    }),
  );
  return true;
}

/** Equal as stored: the client gives a Number as a JS number while it is safe, so 5n and 5 are the same. */
function same(stored: unknown, value: unknown): boolean {
  if (typeof value === 'bigint' && (typeof stored === 'number' || typeof stored === 'bigint')) return BigInt(stored) === value;
  return stored === value;
}
