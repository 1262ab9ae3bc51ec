import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type DataLoader from 'dataloader';
import type { Config } from './config.js';
import { type CursorKey, type Cursors, pageSize } from './cursor.js';
import { type Item, keyOf } from './entity.js';
import { fitsKey, type ItemKey } from './item-loader.js';
import type { TableId } from './tables.js';

/** What every repository of a request shares: the one client, the table names, the batch loader, the cursor signer. */
export interface Db {
  readonly client: DynamoDBDocumentClient;
  readonly config: Config;
  readonly loader: DataLoader<ItemKey, Record<string, unknown> | undefined, string>;
  readonly cursors: Cursors;
}

export const tableName = (db: Db, id: TableId) => db.config.tableNames[id];

/** Reads one item by key through the request's batch loader, parsed by its entity. */
export async function loadItem<T>(
  db: Db,
  table: TableId,
  key: { pk: string; sk: string },
  parse: (item: Item) => T,
): Promise<T | undefined> {
  const item = await db.loader.load({ table: tableName(db, table), ...key });
  return item === undefined ? undefined : parse(item);
}

/**
 * Puts an item the request itself wrote into its batch loader, so that answering from what a
 * mutation wrote reads nothing again.
 */
export function primeItem(db: Db, table: TableId, item: Item): void {
  const key = { table: tableName(db, table), ...keyOf(item) };
  db.loader.clear(key).prime(key, item);
}

/** Items a filtered Query reads per request at least (the page is cut to size after). */
const FILTERED_STEP = 100;

export interface Page<T> {
  readonly items: readonly { readonly node: T; readonly cursor: string }[];
  readonly hasNextPage: boolean;
}

export interface PageQuery<T> {
  readonly table: TableId;
  readonly index?: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5';
  /** Key condition, e.g. `pk = :pk AND begins_with(sk, :prefix)`. */
  readonly keyCondition: string;
  readonly values: Record<string, unknown>;
  readonly names?: Record<string, string>;
  /** False reads the sort key backwards (newest first). */
  readonly forward: boolean;
  /** Identifies the list (its filters) so that a cursor of another list is refused. */
  readonly scope: string;
  readonly first: number | null | undefined;
  readonly after: string | null | undefined;
  /** A FilterExpression: the page is filled by reading on until it holds `first` matches. */
  readonly filter?: { readonly expression: string; readonly values: Record<string, unknown> };
  /** The entity's parser of the items read. */
  readonly parse: (item: Item) => T;
  /** For exports only: pages of this many items (not a client's `first`, which stays capped at 100). */
  readonly bulkPageSize?: number;
}

/**
 * One page of a Query, as a Relay page: reads `first + 1` items to know whether another page
 * follows, and gives each item a signed cursor holding exactly the key DynamoDB resumes from.
 */
export async function queryPage<T>(db: Db, q: PageQuery<T>): Promise<Page<T>> {
  const first = q.bulkPageSize ?? pageSize(q.first);
  let start: Record<string, unknown> | undefined = db.cursors.decode(q.scope, q.after);
  if (!Object.values(q.values).every(fitsKey)) return { items: [], hasNextPage: false };
  const items: Record<string, unknown>[] = [];
  // Without a filter one request reads first + 1 items; with one, reads go on until that many match.
  do {
    const out = await db.client.send(
      new QueryCommand({
        TableName: tableName(db, q.table),
        IndexName: q.index,
        KeyConditionExpression: q.keyCondition,
        FilterExpression: q.filter?.expression,
        ExpressionAttributeValues: { ...q.values, ...q.filter?.values },
        ExpressionAttributeNames: q.names,
        ScanIndexForward: q.forward,
        ExclusiveStartKey: start,
        // With a filter, read in larger steps: items the filter drops still count against Limit.
        Limit: q.filter ? Math.max(first + 1 - items.length, FILTERED_STEP) : first + 1,
      } satisfies QueryCommandInput),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (q.filter && start && items.length < first + 1);
  const keyAttributes = q.index ? ['pk', 'sk', `${q.index}pk`, `${q.index}sk`] : ['pk', 'sk'];
  return {
    items: items.slice(0, first).map((item) => ({
      node: q.parse(item),
      cursor: db.cursors.encode(q.scope, pick(item, keyAttributes)),
    })),
    hasNextPage: items.length > first,
  };
}

/** Every item of a Query, following LastEvaluatedKey; for bounded lists such as one plan's gaps. */
export async function queryAll<T>(db: Db, q: Omit<PageQuery<T>, 'scope' | 'first' | 'after' | 'filter'>): Promise<T[]> {
  // A key longer than DynamoDB can store matches nothing.
  if (!Object.values(q.values).every(fitsKey)) return [];
  const all: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(
      new QueryCommand({
        TableName: tableName(db, q.table),
        IndexName: q.index,
        KeyConditionExpression: q.keyCondition,
        ExpressionAttributeValues: q.values,
        ExpressionAttributeNames: q.names,
        ScanIndexForward: q.forward,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) all.push(q.parse(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return all;
}

function pick(item: Record<string, unknown>, names: readonly string[]): CursorKey {
  const key: CursorKey = {};
  for (const name of names) {
    const value = item[name];
    if (typeof value === 'string' || typeof value === 'number') key[name] = value;
  }
  return key;
}

/** A Relay connection from a page, mapping each node. */
export function toConnection<T, N>(page: Page<T>, map: (node: T) => N) {
  const last = page.items.at(-1);
  return {
    edges: page.items.map((e) => ({ cursor: e.cursor, node: map(e.node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: last?.cursor ?? null },
  };
}

/**
 * A Relay page of a list already in memory, in its order, resuming after the item whose `keyOf`
 * the signed cursor holds; for bounded lists derived on read (an agency's reporting duties).
 */
export function listPage<T>(
  db: Db,
  scope: string,
  list: readonly T[],
  keyOf: (node: T) => string,
  first: number | null | undefined,
  after: string | null | undefined,
): Page<T> {
  const size = pageSize(first);
  const start = db.cursors.decode(scope, after)?.k;
  const from = start === undefined ? 0 : list.findIndex((n) => keyOf(n) > String(start));
  const rest = from < 0 ? [] : list.slice(from);
  return {
    items: rest.slice(0, size).map((node) => ({ node, cursor: db.cursors.encode(scope, { k: keyOf(node) }) })),
    hasNextPage: rest.length > size,
  };
}
