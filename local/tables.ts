import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableDeclaration } from '../functions/shared/table.js';
import { type TableId, tables } from '../functions/shared/tables.js';

/** Physical table names for a prefix, e.g. `samordning-local-measures`. */
export function tableNames(prefix: string): Record<TableId, string> {
  return Object.fromEntries(tables.map((t) => [t.id, `${prefix}-${t.id}`])) as Record<TableId, string>;
}

/** The CreateTable request of a declaration: the same keys, indexes and stream the CDK stack builds. */
export function createTableInput(table: TableDeclaration, name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(table.attributes).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes:
      table.globalIndexes.length === 0
        ? undefined
        : table.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
    StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
  };
}

/**
 * Creates every declared table that does not exist yet, side by side; returns whether any was created. DynamoDB
 * Local answers a new table ACTIVE at once, so the wait runs only for a table that is not (a real endpoint).
 */
export async function ensureTables(client: DynamoDBClient, names: Record<TableId, string>): Promise<boolean> {
  const created = await Promise.all(
    tables.map(async (table) => {
      const name = names[table.id];
      let status: string | undefined;
      try {
        status = (await client.send(new CreateTableCommand(createTableInput(table, name)))).TableDescription?.TableStatus;
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        return false;
      }
      if (status !== 'ACTIVE') await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
      if (table.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }),
        );
      }
      return true;
    }),
  );
  return created.includes(true);
}
