import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';

/**
 * Every role's journeys in a real browser (Debian's chromium, driven by playwright-core), against the
 * platform as `npm start` runs it: once with development settings and once with `--stage prod`
 * (trusted documents only). web/e2e/journeys.ts fails on a console error or warning and on any
 * request that leaves loopback; web/e2e/screenshots.ts runs axe-core on every page.
 */
const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Headless, as root, and quiet: this machine's network is closed to everything but loopback. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

interface Platform {
  readonly url: string;
  readonly process: ChildProcess;
  readonly env: NodeJS.ProcessEnv;
}

const platforms: Platform[] = [];

/** `npm start -- --in-memory [--stage …]` on a free port, over the test run's DynamoDB Local, with tables of its own. */
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
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 120_000);
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
  const platform = { url: `http://localhost:${port}`, process: child, env };
  platforms.push(platform);
  return platform;
}

async function script(file: string, env: NodeJS.ProcessEnv): Promise<string> {
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

let local: Platform;
let prod: Platform;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does).`);
  // One after the other: the first builds the web app when its build is stale, the second finds it fresh.
  local = await start('local');
  prod = await start('prod');
  // The demo set (a plan of its own) gives the pages something to show (shelters, capacity, money) and
  // the demo agencies whose staff the journeys act as. seed:demo refuses only a deployed prod stage
  // (`--stage prod`); these tables are the test's own, whatever settings each server runs with.
  await Promise.all([script('scripts/seed-demo.ts', local.env), script('scripts/seed-demo.ts', prod.env)]);
}, 400_000);

afterAll(async () => {
  for (const p of platforms) p.process.kill('SIGTERM');
  await Promise.all(
    platforms.map((p) => new Promise((resolve) => (p.process.exitCode === null ? p.process.once('exit', resolve) : resolve(null)))),
  );
});

describe('the web app in a browser', () => {
  it('asks for the first page of / in three GraphQL requests sent together (the viewer, the plan, its progress), whoever opens it', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      for (const as of ['viewer', 'coordinator', 'agency:nav', 'funder']) {
        const page = await browser.newPage();
        const operations: string[] = [];
        page.on('request', (r) => {
          if (new URL(r.url()).pathname === '/graphql')
            operations.push(String((JSON.parse(r.postData() ?? '{}') as { operationName?: string }).operationName));
        });
        await page.goto(`${local.url}/?as=${as}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(operations.sort(), as).toEqual(['AppViewer', 'PlanDashboard', 'PlanProgress']);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('passes every journey with development settings', async () => {
    const out = await script('web/e2e/journeys.ts', { ...process.env, BASE_URL: local.url, CHROMIUM });
    expect(out).toContain('every journey passed');
  }, 400_000);

  // The production journeys run on a server of their own, so they overlap the accessibility pass.
  it.concurrent('passes every journey with production settings: trusted documents only, no IDE', async () => {
    const out = await script('web/e2e/journeys.ts', { ...process.env, BASE_URL: prod.url, CHROMIUM });
    expect(out).toContain('every journey passed');
    const ide = await fetch(`${prod.url}/ide`);
    expect(await ide.text()).not.toContain('GraphiQL');
  }, 400_000);

  it.concurrent('has no serious or critical accessibility violation (axe-core) and no console error on any page', async () => {
    const out = await script('web/e2e/screenshots.ts', {
      ...process.env,
      BASE_URL: local.url,
      CHROMIUM,
      OUT: mkdtempSync(join(tmpdir(), 'shots-')),
    });
    expect(out.split('\n').filter((line) => /axe (serious|critical)/.test(line))).toEqual([]);
    expect(out).toContain('no console errors');
  }, 400_000);
});
