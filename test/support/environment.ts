import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { inject } from 'vitest';
import { byRoute } from '../../local/adapter.js';
import { isLoopback, scriptDb, setLocalEnvironment } from '../../local/environment.js';
import { ensureTables, tableNames } from '../../local/tables.js';

export type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A test file's own world: fresh tables (a unique prefix) built from the same declarations as the
 * stack, the environment the handler reads at cold start, and then the handler and the one
 * DynamoDB client, imported only after that environment is set. A middleware on the client counts
 * every request by command name.
 */
export async function createTestEnvironment(options: { stage?: string; suppressionThreshold?: number } = {}) {
  const endpoint = inject('dynamoEndpoint');
  if (!isLoopback(endpoint)) throw new Error(`Refusing non-loopback DynamoDB endpoint ${endpoint}`);
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'samordning-test-'));
  setLocalEnvironment({ endpoint, prefix, dataDir, stage: options.stage ?? 'test' });
  process.env.SUPPRESSION_THRESHOLD = String(options.suppressionThreshold ?? 5);
  const [{ dynamoClient, documentClient }, graphql, exports] = await Promise.all([
    import('../../functions/shared/dynamo.js'),
    import('../../functions/graphql/handler.js'),
    import('../../functions/exports/handler.js'),
  ]);
  // The HTTP API's routes: /graphql to the GraphQL function, GET /exports/{proxy+} to the exports function.
  const handler = byRoute({ graphql: graphql.handler as unknown as Handler, exports: exports.handler as unknown as Handler });
  const requests: string[] = [];
  dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'testRequestCounter' },
  );
  await ensureTables(dynamoClient, tableNames(prefix));
  return {
    prefix,
    dataDir,
    names: tableNames(prefix),
    client: dynamoClient,
    documentClient,
    handler,
    /** A fresh Db (its own batch loader) over this file's tables, as scripts use. */
    db: () => scriptDb(documentClient),
    requests,
    /** Runs each operation once and returns the DynamoDB requests each made, by command name, sorted; each must succeed. */
    async requestsPerOperation(operations: Record<string, () => Promise<{ errors?: unknown }>>): Promise<Record<string, string[]>> {
      const counts: Record<string, string[]> = {};
      for (const [name, run] of Object.entries(operations)) {
        const start = requests.length;
        const result = await run();
        if (result.errors) throw new Error(`${name} failed: ${JSON.stringify(result.errors)}`);
        counts[name] = requests.slice(start).sort();
      }
      return counts;
    },
    /** Runs `fn` and returns the DynamoDB requests it made, by command name. */
    async countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
      const start = requests.length;
      const result = await fn();
      return { result, requests: requests.slice(start) };
    },
  };
}

export type TestEnvironment = Awaited<ReturnType<typeof createTestEnvironment>>;

/**
 * A test file's world with production settings, as a deployed `prod` stage has them: trusted
 * documents only, no introspection. The handler reads its configuration when it is imported.
 */
export async function createProductionEnvironment(): Promise<TestEnvironment> {
  process.env.TRUSTED_DOCUMENTS = 'true';
  try {
    return await createTestEnvironment({ stage: 'prod' });
  } finally {
    delete process.env.TRUSTED_DOCUMENTS;
  }
}
