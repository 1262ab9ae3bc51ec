import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { type DomainError, RetryableError } from './errors.js';
import { asRetryable } from './faults.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One item of a write transaction, and the domain error to raise when its condition fails. */
export interface TxItem {
  readonly item: TransactItem;
  /** Given the item as stored (when the request asked for it), the error to raise when its condition fails. */
  readonly onConditionFailed?: (current: Record<string, unknown> | undefined) => DomainError;
}

const CONFLICT_RETRIES = 4;

/**
 * Runs one TransactWriteItems: the change, its rollups, its invariant checks and its audit entry
 * land together or not at all. A failed condition becomes the domain error its item names. A
 * TransactionConflict (another transaction held an item) is retried, since every condition is
 * evaluated again; when retries run out, the caller gets a retryable error and nothing is written.
 */
export async function transact(db: Db, items: readonly TxItem[]): Promise<void> {
  if (items.length > 100) throw new Error('A transaction holds at most 100 items');
  for (let attempt = 0; ; attempt++) {
    try {
      await db.client.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
      // What the request read before this write is stale now: later reads must see the write.
      db.loader.clearAll();
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw asRetryable(error);
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const handler = items[failed]?.onConditionFailed;
        if (handler) throw handler(unmarshallLoose(reasons[failed]?.Item));
        throw new Error(`Condition of transaction item ${failed} failed without a handler`, { cause: error });
      }
      const retryable = reasons.some(
        (r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded',
      );
      if (!retryable) throw error;
      if (attempt >= CONFLICT_RETRIES) throw new RetryableError({ cause: error });
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
}

// Kept here too, for callers that import it from the transaction module.
export { asRetryable };

/** Cancellation reasons carry the stored item in DynamoDB's attribute-value form. */
function unmarshallLoose(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    const av = v as { S?: string; N?: string; BOOL?: boolean };
    out[k] = av.S ?? (av.N !== undefined ? Number(av.N) : av.BOOL);
  }
  return out;
}
