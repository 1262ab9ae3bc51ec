import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { loadSeed } from '../data/load-seed.js';
import { loadSynthetic, syntheticSize } from '../data/synthetic.js';
import { isLoopback, scriptDb, setLocalEnvironment } from '../local/environment.js';
import { ensureTables, tableNames } from '../local/tables.js';
import { type Handler, invoke, invokeExport } from './event.js';
import { attachMeter } from './meter.js';
import { operationSpecs } from './operations.js';
import type { Reply, Request } from './protocol.js';

/**
 * One data size, in a process of its own (the handler reads its table names at cold start), driven
 * by bench/run.ts over the IPC channel: fresh tables with the seed and the synthetic set at
 * BENCH_FACTOR, then blocks of calls of one operation at a time, as the runner asks, so that it can
 * interleave the two sizes; the throughput comparison when asked; the tables deleted at the end.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set (bench/worker.ts is started by bench/run.ts)`);
  return value;
};
const factor = Number(env('BENCH_FACTOR'));
const endpoint = env('BENCH_ENDPOINT');
if (!isLoopback(endpoint)) throw new Error(`Refusing non-loopback DynamoDB endpoint ${endpoint}`);
if (!process.send) throw new Error('bench/worker.ts needs an IPC channel: it is started by bench/run.ts');
const send = (reply: Reply) => process.send?.(reply);

const runId = randomBytes(4).toString('hex');
const prefix = `bench-${factor}x-${runId}`;
process.env.CURSOR_KEY ??= randomBytes(32).toString('base64url');
process.env.PERTURBATION_KEY ??= randomBytes(32).toString('base64url');
setLocalEnvironment({ endpoint, prefix, dataDir: tmpdir(), stage: 'bench' });

const [{ dynamoClient, documentClient }, graphql, exports, { loadConfig }] = await Promise.all([
  import('../functions/shared/dynamo.js'),
  import('../functions/graphql/handler.js'),
  import('../functions/exports/handler.js'),
  import('../functions/shared/config.js'),
]);
const handler = graphql.handler as unknown as Handler;
const exportsHandler = exports.handler as unknown as Handler;
const meter = attachMeter(dynamoClient);
const names = tableNames(prefix);
const db = () => scriptDb(documentClient);
const specs = operationSpecs(runId);
/** The next call number of each operation, across warm-up and measured calls: every mutation gets fresh variables. */
const nextCall = new Map(specs.map((s) => [s.name, 0]));
let scansBefore = 0;

async function dropTables() {
  for (const name of Object.values(names)) {
    await dynamoClient.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
  }
}

async function run(request: Extract<Request, { cmd: 'run' }>): Promise<Reply> {
  const spec = specs.find((s) => s.name === request.operation);
  if (!spec) throw new Error(`Unknown operation ${request.operation}`);
  const reply = {
    type: 'ran' as const,
    name: spec.name,
    latencies: [] as number[],
    commands: [] as string[][],
    rcu: [] as number[],
    wcu: [] as number[],
  };
  for (let i = 0; i < request.calls; i++) {
    const k = nextCall.get(spec.name) ?? 0;
    nextCall.set(spec.name, k + 1);
    const variables = await spec.variables(k, db);
    const start = performance.now();
    const exported = spec.export;
    const { result: answer, usage } = await meter.measure(() =>
      exported
        ? invokeExport(exportsHandler, spec.caller, exported.path, exported.query)
        : invoke(handler, spec.caller, spec.query, variables),
    );
    const elapsed = performance.now() - start;
    if (answer.status !== 200 || answer.errors || !answer.data) {
      throw new Error(`${spec.name} (call ${k + 1}) did not succeed: HTTP ${answer.status} ${answer.raw.slice(0, 800)}`);
    }
    if (!request.measured) continue;
    reply.latencies.push(elapsed);
    reply.commands.push(usage.commands);
    reply.rcu.push(usage.rcu);
    reply.wcu.push(usage.wcu);
  }
  return reply;
}

async function throughput(request: Extract<Request, { cmd: 'throughput' }>): Promise<Reply> {
  const { compareThroughput } = await import('./throughput.js');
  const plan = specs.find((s) => s.name === 'PlanOverview');
  if (!plan) throw new Error('PlanOverview is missing from the operations');
  const result = await compareThroughput({
    name: plan.name,
    query: plan.query,
    variables: await plan.variables(0, db),
    caller: plan.caller,
    handler,
    client: documentClient,
    config: loadConfig(),
    iterations: request.iterations,
    maxMs: request.maxMs,
  });
  return { type: 'throughput', result };
}

async function answer(request: Request): Promise<Reply> {
  switch (request.cmd) {
    case 'run':
      return run(request);
    case 'throughput':
      return throughput(request);
    case 'finish':
      await dropTables();
      return { type: 'finished', scans: meter.scans() - scansBefore };
  }
}

const fail = async (error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await dropTables();
  process.exit(1);
};

try {
  await ensureTables(dynamoClient, names);
  const loadStart = performance.now();
  await loadSeed(db());
  const loaded = await loadSynthetic(db(), syntheticSize(factor));
  const loadMs = performance.now() - loadStart;
  // Loading is not a request path: Scans are counted from here on.
  scansBefore = meter.scans();
  send({
    type: 'ready',
    loaded: { reports: loaded.reports, allocations: loaded.allocations, measures: loaded.measures, shelters: loaded.shelters },
    loadMs,
    operations: specs.map((s) => ({
      name: s.name,
      kind: s.kind,
      ...(s.grows ? { grows: s.grows } : {}),
      ...(s.export ? { export: true } : {}),
    })),
  });
} catch (error) {
  await fail(error);
}

process.on('message', (request: Request) => {
  answer(request).then(
    (reply) => {
      send(reply);
      if (reply.type === 'finished') {
        dynamoClient.destroy();
        process.disconnect();
      }
    },
    (error: unknown) => fail(error),
  );
});
