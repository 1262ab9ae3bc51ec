import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestEnvironment } from './environment.js';

export type Item = Record<string, unknown>;

/**
 * Every item of a table, following LastEvaluatedKey page after page: one Scan answers at most
 * 1 MB, so a check that reads only the first page sees part of the table. Items come sorted by
 * key, so two reads of the same data compare equal. For assertions only: tests may scan, request
 * paths never do.
 */
export async function scanAll(env: Pick<TestEnvironment, 'documentClient'>, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await env.documentClient.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Item) => `${String(i.pk)}\u0000${String(i.sk)}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every item of every table of the environment (or of the tables named), by table: what "writes nothing" compares. */
export async function scanTables(
  env: Pick<TestEnvironment, 'documentClient' | 'names'>,
  tables: readonly string[] = Object.values(env.names),
): Promise<Record<string, Item[]>> {
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await scanAll(env, table)] as const)));
}
