import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSeed } from '../data/load-seed.js';
import { seedPlan } from '../data/seed.js';
import { createRepositories } from '../functions/app/context.js';
import { stageSettings } from '../functions/shared/config.js';
import { byRoute, createLocalApi, type LambdaHandler } from './adapter.js';
import { loadOrCreateKeys } from './auth.js';
import { LocalClients } from './clients.js';
import { type DynamoDbLocal, portIsFree, StartupError, startDynamoDbLocal } from './dynamodb-local.js';
import { isLoopback, scriptDb, setLocalEnvironment } from './environment.js';
import { FileEventSink, outboxDir, StreamFollower } from './outbox.js';
import { CLIENTS_FILE, DATA_DIR } from './paths.js';
import { ensureTables, tableNames } from './tables.js';
import { APP_DIR, ensureWebBuild } from './web-build.js';

/**
 * `npm start`: DynamoDB Local (unless AWS_ENDPOINT_URL_DYNAMODB names another endpoint), the
 * tables from their declarations, the seed when the tables are new, and the Lambda handler behind
 * a local API Gateway on http://localhost:${PORT:-4000}. Ctrl-C stops everything it started.
 */
const { values } = parseArgs({
  options: { 'in-memory': { type: 'boolean', default: false }, stage: { type: 'string', default: 'local' } },
});
/**
 * `--stage prod` runs with production settings: trusted documents only, no introspection, no field
 * suggestions, no IDE. The local issuer still signs people in, since there is no Cognito here.
 */
const stage = values.stage ?? 'local';
const production = !stageSettings(stage).introspection;
const port = Number(process.env.PORT ?? 4000);
const host = '127.0.0.1';
let dynamo: DynamoDbLocal | undefined;

async function main() {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new StartupError(`PORT=${process.env.PORT} is not a port number.`);
  if (!(await portIsFree(port))) throw new StartupError(`Port ${port} is in use: stop what holds it, or run PORT=4001 npm start.`);

  let endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (endpoint) {
    console.log(`Using DynamoDB at ${endpoint} (AWS_ENDPOINT_URL_DYNAMODB); starting no DynamoDB Local.`);
  } else {
    const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
    const dataDir = values['in-memory'] ? undefined : join(DATA_DIR, 'dynamodb');
    dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
    endpoint = dynamo.endpoint;
    console.log(`DynamoDB Local on ${endpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'}).`);
  }
  if (!isLoopback(endpoint))
    console.warn(`Warning: ${endpoint} is not on this machine; the seed is loaded there only if its tables are new.`);

  setLocalEnvironment({ endpoint, prefix: process.env.TABLE_PREFIX ?? 'samordning-local', dataDir: DATA_DIR, stage });
  if (production) process.env.TRUSTED_DOCUMENTS ??= 'true';
  // Imported only now: the handler reads its configuration at cold start, as on Lambda.
  const [{ dynamoClient, documentClient }, graphql, exports] = await Promise.all([
    import('../functions/shared/dynamo.js'),
    import('../functions/graphql/handler.js'),
    import('../functions/exports/handler.js'),
  ]);
  const handler = byRoute({ graphql: graphql.handler as unknown as LambdaHandler, exports: exports.handler as unknown as LambdaHandler });

  const names = tableNames(process.env.TABLE_PREFIX ?? 'samordning-local');
  await ensureTables(dynamoClient, names);
  // The audit stream's consumer, as in the cloud: one event per audit entry, here a line in the outbox.
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const streamArn = (await dynamoClient.send(new DescribeTableCommand({ TableName: names.audit }))).Table?.LatestStreamArn;
  if (!streamArn) throw new StartupError(`The audit table ${names.audit} has no stream.`);
  const outbox = outboxDir();
  await mkdir(outbox, { recursive: true });
  const follower = new StreamFollower(streamArn, new FileEventSink(outbox), join(outbox, `${names.audit}.checkpoint.json`), endpoint);
  follower.start((error) => console.error(`Change events: ${error instanceof Error ? error.message : String(error)}`));
  console.log(`Change events go to ${join(outbox, 'events.ndjson')}.`);
  const db = scriptDb(documentClient);
  if (!(await createRepositories(db).plans.plan(seedPlan.id))) {
    const { created } = await loadSeed(db);
    console.log(`Loaded the seed into empty tables (${created} records).`);
  }

  const keys = await loadOrCreateKeys(DATA_DIR);
  await ensureWebBuild((line) => console.log(line));
  const server = createLocalApi(handler, keys, { ide: !production, appDir: APP_DIR, clients: new LocalClients(CLIENTS_FILE) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  console.log(`Samordning (stage ${stage}) on http://localhost:${port}/ — GraphQL at /graphql${production ? '' : ', IDE at /ide'}.`);
  console.log(`Open a page as a role in one step: http://localhost:${port}/?as=funder  or  /capacity?as=agency:nav`);
  console.log(`Integrations get tokens at http://localhost:${port}/oauth2/token (npm run integration -- create …).`);
  if (production) console.log('Production settings: trusted documents only, no introspection, no IDE.');

  const stop = async () => {
    await follower.stop();
    server.close();
    server.closeAllConnections();
    await dynamo?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
}

main().catch(async (error: unknown) => {
  await dynamo?.stop();
  console.error(
    error instanceof StartupError ? error.message : `Could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
