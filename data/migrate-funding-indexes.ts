import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allocationEntity, allocationIndexKeys } from '../functions/funding/entities/allocation.js';
import { disbursementEntity, disbursementIndexKeys } from '../functions/funding/entities/disbursement.js';
import { type Db, tableName } from '../functions/shared/db.js';
import { type Item, keyOf } from '../functions/shared/entity.js';

export interface FundingIndexesResult {
  /** Allocations given their list keys (gsi1–gsi5). */
  readonly allocations: number;
  /** Disbursements given their list keys (gsi2, gsi4) and their allocation's recipient. */
  readonly disbursements: number;
  /** Items that already had them. */
  readonly unchanged: number;
}

/**
 * Gives allocations and disbursements stored before the lists existed the index keys by which
 * `allocations(filter:)` and `disbursements(filter:)` find them (and a disbursement its allocation's
 * recipient). An operator's maintenance job, not a request path: it scans the funding table. Each item
 * is changed by an UpdateItem that sets only these attributes, so a payment recorded meanwhile (which
 * ADDs to the allocation's totals) is never lost. Idempotent: a second run changes nothing.
 */
export async function migrateFundingIndexes(db: Db): Promise<FundingIndexesResult> {
  const table = tableName(db, 'funding');
  const allocations: Item[] = [];
  const disbursements: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      if (allocationEntity.isAllocation(item)) allocations.push(item);
      else if (disbursementEntity.isDisbursement(item)) disbursements.push(item);
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
  return { ...changed, unchanged };
}

/** Sets the attributes of `wanted` that the item lacks or holds otherwise; false when it holds them all. */
async function setMissing(db: Db, table: string, item: Item, wanted: Item): Promise<boolean> {
  const differing = Object.entries(wanted).filter(([name, value]) => item[name] !== value);
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
