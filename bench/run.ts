import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tables } from '../functions/shared/tables.js';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { bundle } from './bundle.js';
import { coldEnvironment, coldImports } from './cold-start.js';
import { contractOperationNames, MAX_CALLS, operationSpecs } from './operations.js';
import { budgets, bundleParts, type HandlerFigures, table } from './report.js';
import type { OperationResult, SizeResult } from './results.js';
import { SizeWorker } from './sizes.js';
import { buildWebEntry } from './web.js';

/**
 * npm run bench [-- --iterations 30 --warmup 10 --cold-runs 21 --throughput-iterations 300 --throughput-seconds 3]
 *
 * Starts its own in-memory DynamoDB Local on a free loopback port; runs every contract operation
 * through the Lambda handler at 1× and 10× the synthetic data (each size in fresh tables, in a
 * process of its own, the two taking turns); bundles the handler and a minimal baseline as the CDK stack does and times
 * their cold imports side by side; compares PlanOverview's warm throughput with plain graphql-js.
 * Prints one table (stdout; progress goes to stderr), writes it to bench/out/, and exits 1 when a
 * budget of docs/benchmarks.md is broken, 2 when the benchmark itself fails.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
/** Measured calls are made in blocks of this many, the two sizes taking turns, operation by operation. */
const BLOCK = 5;

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    'cold-runs': { type: 'string', default: '21' },
    'throughput-iterations': { type: 'string', default: '300' },
    'throughput-seconds': { type: 'string', default: '3' },
  },
});
const number = (name: keyof typeof values, min: number, max: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`--${name} must be a whole number from ${min} to ${max}.\n`);
    process.exit(2);
  }
  return n;
};
const settings = {
  iterations: number('iterations', 1, 1000),
  warmup: number('warmup', 0, 100),
  coldRuns: number('cold-runs', 1, 200),
  throughputIterations: number('throughput-iterations', 1, 100_000),
  throughputSeconds: number('throughput-seconds', 1, 60),
};
if (settings.warmup + settings.iterations > MAX_CALLS) {
  process.stderr.write(`--warmup plus --iterations must stay within ${MAX_CALLS}: each mutation call needs fresh variables.\n`);
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Both sizes side by side: each loads its data in a worker of its own (1× first, then 10×); then
 * every operation gets its warm-up calls at both sizes, and the measured calls come in blocks, the
 * sizes taking turns, so that JIT warm-up (Node's and DynamoDB Local's JVM) and whatever else the
 * machine does fall on both sizes alike.
 */
async function measureSizes(endpoint: string, workers: SizeWorker[]): Promise<[SizeResult, SizeResult]> {
  const sizes: { worker: SizeWorker; ready: Awaited<SizeWorker['ready']>; results: Map<string, OperationResult> }[] = [];
  for (const factor of [1, 10]) {
    const worker = new SizeWorker(ROOT, factor, endpoint);
    workers.push(worker);
    const ready = await worker.ready;
    log(
      `${factor}×: ${ready.loaded.reports} capacity reports and ${ready.loaded.allocations} allocations loaded in ${(ready.loadMs / 1000).toFixed(1)} s.`,
    );
    sizes.push({
      worker,
      ready,
      results: new Map(ready.operations.map((o) => [o.name, { ...o, latencies: [], commands: [], rcu: [], wcu: [] }])),
    });
  }
  const operations = sizes[0]?.ready.operations ?? [];
  log(`Warm-up: ${settings.warmup} calls per operation and size…`);
  for (const operation of operations) {
    for (const { worker } of sizes)
      await worker.ask({ cmd: 'run', operation: operation.name, calls: settings.warmup, measured: false }, 'ran');
  }
  for (let done = 0, block = 0; done < settings.iterations; done += BLOCK, block++) {
    const calls = Math.min(BLOCK, settings.iterations - done);
    log(`Measured calls ${done + 1}–${done + calls} of ${settings.iterations} per operation and size…`);
    const order = block % 2 === 0 ? sizes : [...sizes].reverse();
    for (const operation of operations) {
      for (const { worker, results } of order) {
        const reply = await worker.ask({ cmd: 'run', operation: operation.name, calls, measured: true }, 'ran');
        const result = results.get(reply.name);
        if (!result) throw new Error(`Unexpected operation ${reply.name}`);
        result.latencies.push(...reply.latencies);
        result.commands.push(...reply.commands);
        result.rcu.push(...reply.rcu);
        result.wcu.push(...reply.wcu);
      }
    }
  }
  const [first, second] = sizes;
  if (!first || !second) throw new Error('Two sizes expected');
  log(`PlanOverview throughput at 1×: at most ${settings.throughputIterations} calls or ${settings.throughputSeconds} s per side…`);
  const throughput = await first.worker.ask(
    { cmd: 'throughput', iterations: settings.throughputIterations, maxMs: settings.throughputSeconds * 1000 },
    'throughput',
  );
  const finish = async ({ worker, ready, results }: (typeof sizes)[number]): Promise<SizeResult> => {
    const finished = await worker.ask({ cmd: 'finish' }, 'finished');
    return { factor: worker.factor, loaded: ready.loaded, loadMs: ready.loadMs, operations: [...results.values()], scans: finished.scans };
  };
  return [{ ...(await finish(first)), throughput: throughput.result }, await finish(second)];
}

async function main(): Promise<number> {
  const wallStart = performance.now();
  const loadStart = loadavg()[0]?.toFixed(1);
  const cpus = availableParallelism();
  mkdirSync(OUT, { recursive: true });

  // Every operation of the contract has a benchmark.
  const contract = contractOperationNames(join(ROOT, 'client', 'operations', 'operations.graphql'));
  const covered = new Set(operationSpecs('check').map((s) => s.name));
  const missing = contract.filter((name) => !covered.has(name));
  if (missing.length > 0) throw new Error(`No benchmark for ${missing.join(', ')}`);

  log('Starting DynamoDB Local and bundling the handler and the baseline…');
  let dynamo: DynamoDbLocal | undefined;
  const stop = () => dynamo?.stop();
  process.once('SIGINT', () => {
    void Promise.resolve(stop()).finally(() => process.exit(130));
  });
  let small: SizeResult;
  let large: SizeResult;
  let bundles: HandlerFigures['bundles'];
  const workers: SizeWorker[] = [];
  try {
    // All three settle before anything fails, so that a DynamoDB Local that did start is always stopped.
    const [started, handler, baseline, exportsBundle] = await Promise.allSettled([
      freePort().then((port) => startDynamoDbLocal({ port })),
      bundle(ROOT, 'functions/graphql/handler.ts', join(OUT, 'handler')),
      bundle(ROOT, 'bench/baseline/handler.ts', join(OUT, 'baseline')),
      bundle(ROOT, 'functions/exports/handler.ts', join(OUT, 'exports')),
    ]);
    if (started.status === 'fulfilled') dynamo = started.value;
    for (const settled of [started, handler, baseline, exportsBundle]) if (settled.status === 'rejected') throw settled.reason;
    if (!dynamo || handler.status !== 'fulfilled' || baseline.status !== 'fulfilled' || exportsBundle.status !== 'fulfilled')
      throw new Error('unreachable');
    bundles = { handler: handler.value, baseline: baseline.value, exports: exportsBundle.value };
    log(`DynamoDB Local on ${dynamo.endpoint}; handler bundle ${bundles.handler.bytes} bytes, baseline ${bundles.baseline.bytes} bytes.`);
    [small, large] = await measureSizes(dynamo.endpoint, workers);
  } finally {
    for (const worker of workers) worker.stop();
    await stop();
  }

  log(`Cold imports: ${settings.coldRuns} fresh processes per bundle, interleaved…`);
  const tableEnv = Object.fromEntries(tables.map((t) => [t.envVar, `bench-cold-${t.id}`]));
  const cold = await coldImports(bundles.handler.file, bundles.baseline.file, settings.coldRuns, coldEnvironment(tableEnv));
  log('Building the web app…');
  const web = await buildWebEntry(ROOT, join(OUT, 'web'));
  const figures: HandlerFigures = { bundles, cold: { handler: cold.a, baseline: cold.b }, web };

  const wallSeconds = (performance.now() - wallStart) / 1000;
  const checks = budgets(small, large, figures);
  const broken = checks.filter((b) => !b.holds && b.enforced);
  const report = [
    `Samordning benchmark: ${small.loaded.reports} / ${large.loaded.reports} capacity reports and ${small.loaded.allocations} / ${large.loaded.allocations} allocations (1× / 10×); ${settings.warmup} warm-up + ${settings.iterations} measured calls per operation and size.`,
    '',
    table(small, large, figures),
    '',
    '(m) mutation, every call a successful write with fresh variables. † an unpaged list or a whole CSV export: its reads grow with the data by design.',
    '',
    'What each bundle holds (largest parts, minified bytes):',
    bundleParts(figures),
    '',
    ...checks.map((b) => `${b.holds ? 'holds ' : b.enforced ? 'BROKEN' : 'differs'}  ${b.name}: ${b.detail}`),
    '',
    `Wall time ${wallSeconds.toFixed(0)} s on ${cpus} CPUs, load average ${loadStart} at the start and ${loadavg()[0]?.toFixed(1)} at the end (data loading ${(small.loadMs / 1000).toFixed(1)} s at 1×, ${(large.loadMs / 1000).toFixed(1)} s at 10×).`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
  writeFileSync(join(OUT, 'results.md'), `${report}\n`);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ settings, small, large, figures, checks, wallSeconds }, null, 1));
  if (broken.length > 0) {
    process.stderr.write(`Budget broken: ${broken.map((b) => `${b.name} (${b.detail})`).join('; ')}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
