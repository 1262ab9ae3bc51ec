import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Db, primeItem, tableName } from './db.js';
import type { Item, TxItem } from './entity.js';
import { RetryableError } from './errors.js';
import { asRetryable } from './faults.js';

type NativeItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const CONFLICT_RETRIES = 4;
/** DynamoDB's bound on the items of one TransactWriteItems. */
const MAX_ITEMS = 100;

/** What a write knows of the state it left, beyond the items it put: e.g. a total moved by ADD. */
export interface Answer {
  readonly table: TxItem['table'];
  readonly item: Item;
}

/** Sends one TransactWriteItems as it is: no retry of conflicts, the request's batch loader left alone (for audited reads). */
export async function sendTransaction(db: Db, items: readonly TxItem[]): Promise<void> {
  await db.client.send(new TransactWriteCommand({ TransactItems: items.map((i) => toNative(db, i)) }));
}

/**
 * Runs one TransactWriteItems: the change, its rollups, its invariant checks and its audit entry
 * land together or not at all. A failed condition becomes the domain error its item names. A
 * TransactionConflict (another transaction held an item) is retried, since every condition is
 * evaluated again; when retries run out, the caller gets a retryable error and nothing is written.
 *
 * Afterwards the request's batch loader holds what the write left: every item it put, and the
 * `answers` the caller computed, so the mutation's answer reads nothing again.
 */
export async function transact(db: Db, items: readonly TxItem[], answers: readonly Answer[] = []): Promise<void> {
  if (items.length > MAX_ITEMS) throw new Error(`A transaction holds at most ${MAX_ITEMS} items`);
  const native = items.map((i) => toNative(db, i));
  for (let attempt = 0; ; attempt++) {
    try {
      await db.client.send(new TransactWriteCommand({ TransactItems: native }));
      // What the request read before this write is stale now: later reads see the write.
      db.loader.clearAll();
      for (const i of items) if ('Put' in i.op && i.op.Put.Item) primeItem(db, i.table, i.op.Put.Item);
      for (const a of answers) primeItem(db, a.table, a.item);
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw asRetryable(error);
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const handler = items[failed]?.onConditionFailed;
        if (handler) throw handler(fromAttributeValues(reasons[failed]?.Item));
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

function toNative(db: Db, i: TxItem): NativeItem {
  const TableName = tableName(db, i.table);
  const op = i.op;
  if ('Put' in op) return { Put: { ...op.Put, TableName } };
  if ('Update' in op) return { Update: { ...op.Update, TableName } };
  if ('Delete' in op) return { Delete: { ...op.Delete, TableName } };
  return { ConditionCheck: { ...op.ConditionCheck, TableName } };
}

type AttributeValue = { S?: string; N?: string; BOOL?: boolean; NULL?: boolean; L?: AttributeValue[]; M?: Record<string, AttributeValue> };

/**
 * Cancellation reasons carry the stored item in DynamoDB's attribute-value form (the document
 * client does not convert them). Numbers are read as the document client reads them: a number while
 * exact, a bigint past 2^53, so an amount in a CONFLICT message is never rounded.
 */
export function fromAttributeValues(item: Record<string, unknown> | undefined): Item | undefined {
  if (!item) return undefined;
  // Map keys may be ids (an agency's role on a measure): no prototype, so `__proto__` stays a key.
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(item)) out[k] = value(v as AttributeValue);
  return out;
}

function value(av: AttributeValue): unknown {
  if (av.S !== undefined) return av.S;
  if (av.N !== undefined) return number(av.N);
  if (av.BOOL !== undefined) return av.BOOL;
  if (av.NULL) return null;
  if (av.L) return av.L.map(value);
  if (av.M) return fromAttributeValues(av.M);
  return undefined;
}

function number(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : BigInt(text);
}
