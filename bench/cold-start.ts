import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Imports one module in the fresh process and says how long the import took, in ms. */
const PROBE = `
const start = performance.now();
const module = await import(process.env.BENCH_MODULE);
const ms = performance.now() - start;
if (typeof module.handler !== 'function') { process.stderr.write('no handler export'); process.exit(3); }
process.stdout.write(JSON.stringify({ ms }));
process.exit(0);
`;

/**
 * The environment a handler reads at cold start, and nothing else from this machine: in particular
 * no NODE_EXTRA_CA_CERTS (it adds ~100 ms to every Node start) and no NODE_OPTIONS. Both
 * sides get the same environment.
 */
export function coldEnvironment(tableEnv: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    STAGE: 'bench',
    ...tableEnv,
    CURSOR_KEY: 'bench-cold-start-cursor-key-of-at-least-32-characters',
    PERTURBATION_KEY: 'bench-cold-start-perturbation-key-of-at-least-32-characters',
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'samordning',
    // The pinned SDK warns at client creation on Node 20 (not on Lambda's Node 24): not part of a cold start there.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

async function importOnce(file: string, env: Record<string, string>): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
    env: { ...env, BENCH_MODULE: pathToFileURL(file).href },
    timeout: 30_000,
  });
  return (JSON.parse(stdout) as { ms: number }).ms;
}

/**
 * Cold imports of two bundles, each in a fresh Node process, interleaved (A B, then B A, …) so that
 * whatever else the machine does hits both alike; two rounds first are not counted.
 */
export async function coldImports(a: string, b: string, runs: number, env: Record<string, string>): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (let round = -2; round < runs; round++) {
    const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const side of order) {
      const ms = await importOnce(side === 'a' ? a : b, env);
      if (round >= 0) times[side].push(ms);
    }
  }
  return times;
}
