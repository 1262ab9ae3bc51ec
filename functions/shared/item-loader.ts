import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { RetryableError } from './errors.js';

export interface ItemKey {
  readonly table: string;
  readonly pk: string;
  readonly sk: string;
}

type Item = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys per request, across all tables. */
const MAX_KEYS = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

/** DynamoDB's bound on a key attribute (1,024 bytes for a sort key, 2,048 for a partition key): the stricter one for both. */
const MAX_KEY_BYTES = 1024;

/** Whether a key value is one DynamoDB can hold; ids from a request can be longer than any stored one. */
export function fitsKey(value: unknown): boolean {
  return typeof value !== 'string' || Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES;
}

const keyId = (k: ItemKey) => `${k.table}\u0000${k.pk}\u0000${k.sk}`;

/**
 * One DataLoader for every item read by key, across all tables: the keys that a level of a query
 * asks for in one tick become one BatchGetItem, whichever tables they live in. So nested lists cost
 * one request per level, not one per item. Created per request, so its cache never outlives it.
 */
export function createItemLoader(client: DynamoDBDocumentClient): DataLoader<ItemKey, Item | undefined, string> {
  return new DataLoader(
    async (keys) => {
      const found = new Map<string, Item>();
      // A key DynamoDB could never store names nothing: it is not found, and does not fail its batch.
      const storable = keys.filter((k) => fitsKey(k.pk) && fitsKey(k.sk));
      for (let i = 0; i < storable.length; i += MAX_KEYS) {
        await fetchChunk(client, storable.slice(i, i + MAX_KEYS), found);
      }
      return keys.map((k) => found.get(keyId(k)));
    },
    { cacheKeyFn: keyId, maxBatchSize: MAX_KEYS * 10 },
  );
}

async function fetchChunk(client: DynamoDBDocumentClient, keys: readonly ItemKey[], found: Map<string, Item>) {
  let requestItems: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {};
  for (const k of keys) {
    requestItems[k.table] ??= { Keys: [] };
    requestItems[k.table]?.Keys.push({ pk: k.pk, sk: k.sk });
  }
  for (let round = 0; requestItems && Object.keys(requestItems).length > 0; round++) {
    if (round > 0) {
      // Still throttled after every round: the same retryable answer as any fault the SDK gave up on.
      if (round > MAX_UNPROCESSED_ROUNDS) throw new RetryableError();
      // Unprocessed keys mean throttling: back off before asking again (full jitter).
      await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** round));
    }
    const out = await client.send(new BatchGetCommand({ RequestItems: requestItems }));
    for (const [table, items] of Object.entries(out.Responses ?? {})) {
      for (const item of items) found.set(keyId({ table, pk: String(item.pk), sk: String(item.sk) }), item);
    }
    requestItems = out.UnprocessedKeys as typeof requestItems;
  }
}
