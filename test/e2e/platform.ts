import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { CHROMIUM } from '../../web/e2e/chromium.js';

export { CHROMIUM, launchChromium } from '../../web/e2e/chromium.js';

/**
 * What the browser test files share: the platform as `npm start` runs it (development settings, or
 * `--stage prod`: trusted documents only), started with the demo set over tables of its own in the
 * test run's DynamoDB Local, and the two scripts of web/e2e run against it. Each browser file starts
 * its own platform, so that the files run side by side on both workers; the first to start builds
 * the web app (local/web-build.ts holds a lock), the others find the build fresh.
 */
const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

export interface Platform {
  readonly url: string;
  readonly process: ChildProcess;
  readonly env: NodeJS.ProcessEnv;
}

/** `npm start -- --in-memory --stage <stage>` on a free port, over the test run's DynamoDB Local, with tables of its own. */
async function start(stage: string): Promise<Platform> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    TABLE_PREFIX: `e2e-${stage}-${randomBytes(3).toString('hex')}`,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--in-memory', '--stage', stage], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 240_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Samordning (stage')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start ended (${code}):\n${output}`)));
  });
  return { url: `http://localhost:${port}`, process: child, env };
}

/** Runs a script of the repository (`node --import tsx FILE`) and returns what it printed; throws with its output when it fails. */
export async function script(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 300_000,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}\n${e.message}`);
  }
}

/**
 * A platform of the stage for the calling test file, started before its tests with the demo set loaded
 * (a plan of its own, shelters, capacity and money for the pages to show, and the demo agencies whose
 * staff the journeys act as) and stopped after them. seed:demo refuses only a deployed prod stage; these
 * tables are the test's own, whatever settings the server runs with.
 */
export function platformFor(stage: 'local' | 'prod'): { readonly current: Platform } {
  const holder: { current: Platform | undefined } = { current: undefined };
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does).`);
    holder.current = await start(stage);
    await script('scripts/seed-demo.ts', holder.current.env);
  }, 400_000);
  afterAll(async () => {
    const child = holder.current?.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  return {
    get current() {
      if (!holder.current) throw new Error('The platform is not started (beforeAll failed).');
      return holder.current;
    },
  };
}

/**
 * The accessibility pass over part `shard` of `of` of web/e2e/screenshots.ts's pages (every `of`-th page,
 * from the `shard`-th): axe-core on each page as its role sees it, and no console error or warning. The
 * pages are split over files so that both workers share them; each part checks it visited exactly its
 * share, so no page drops out unseen.
 */
export function accessibilitySuite(shard: number, of: number): void {
  const platform = platformFor('local');
  describe(`the web app in a browser, part ${shard} of ${of} of its pages`, () => {
    it('has no serious or critical accessibility violation (axe-core) and no console error on any page', async () => {
      const out = await script('web/e2e/screenshots.ts', {
        ...process.env,
        BASE_URL: platform.current.url,
        CHROMIUM,
        SHARD: `${shard}/${of}`,
        // The pictures are for people (docs/screenshots/); the test asserts on axe and the console only.
        SCREENSHOTS: 'none',
      });
      expect(out.split('\n').filter((line) => /axe (serious|critical)/.test(line))).toEqual([]);
      const summary = /^(\d+) of (\d+) pages, (.*)$/m.exec(out);
      expect(summary?.[3]).toBe('no console errors');
      const [visited, total] = [Number(summary?.[1]), Number(summary?.[2])];
      expect(total).toBeGreaterThanOrEqual(28);
      expect(visited).toBe(Math.floor((total - shard) / of) + 1);
    }, 400_000);
  });
}
