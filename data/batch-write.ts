import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../functions/shared/db.js';

/** One BatchWriteItem request: a put or a delete on a physical table. */
export type WriteRequest =
  | { readonly table: string; readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly table: string; readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

/**
 * Bulk writes for maintenance and benchmark loaders (never a request path): chunks of 25, a few in
 * flight, retrying what DynamoDB leaves unprocessed with a growing pause.
 */
export async function batchWriteAll(db: Db, requests: readonly WriteRequest[], inFlight = 4): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, chunks.length) }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] ?? [];
        let pending: Record<string, Omit<WriteRequest, 'table'>[]> = {};
        for (const { table, ...request } of chunk) {
          pending[table] ??= [];
          pending[table]?.push(request);
        }
        for (let round = 0; Object.keys(pending).length > 0; round++) {
          if (round > 10) throw new Error('BatchWriteItem left items unprocessed');
          if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
          const out = await db.client.send(new BatchWriteCommand({ RequestItems: pending as never }));
          pending = (out.UnprocessedItems ?? {}) as typeof pending;
        }
      }
    }),
  );
}
