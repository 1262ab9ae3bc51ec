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
      for (let i = 0; i < keys.length; i += MAX_KEYS) {
        await fetchChunk(client, keys.slice(i, i + MAX_KEYS), found);
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
