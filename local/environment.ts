import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedCursors } from '../functions/app/context.js';
import { loadConfig } from '../functions/shared/config.js';
import type { Db } from '../functions/shared/db.js';
import { createItemLoader } from '../functions/shared/item-loader.js';
import { deployedTableName, STAGE_NAME, tables } from '../functions/shared/tables.js';
import { DATA_DIR } from './paths.js';
import { tableNames } from './tables.js';

/** The environment the handler reads at cold start, set for a local run: the same variables the CDK stack sets. */
export function setLocalEnvironment(options: { endpoint: string; prefix: string; dataDir: string; stage?: string }): void {
  const names = tableNames(options.prefix);
  for (const t of tables) process.env[t.envVar] = names[t.id];
  process.env.STAGE = options.stage ?? 'local';
  process.env.CURSOR_KEY ??= localSecret(options.dataDir, 'cursor-key');
  process.env.PERTURBATION_KEY ??= localSecret(options.dataDir, 'perturbation-key');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = options.endpoint;
  process.env.AWS_REGION ??= 'eu-north-1';
  // DynamoDB Local accepts any credentials; real ones are never needed or read here.
  if (isLoopback(options.endpoint)) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  }
  process.env.POWERTOOLS_SERVICE_NAME ??= 'samordning';
  // The pinned SDK warns on Node 20 that its future releases need Node 22; locally that is noise
  // (the deployed function runs Node.js 24).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A random secret kept under .data/, made once, so that local cursors survive a restart. */
function localSecret(dir: string, name: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

/**
 * For scripts (import, demo data): the tables the environment names (MEASURES_TABLE and the others, at
 * the SDK's endpoint), or else those of the local platform that `npm start` runs.
 */
export function selectConfiguredOrLocalTables(): void {
  if (process.env.MEASURES_TABLE) {
    // Scripts hand out no cursors; the configuration still asks for a key. The perturbation key is the
    // deployed one (the rollups' perturbed cells follow from it): a script over deployed tables must be given it.
    process.env.STAGE ??= 'script';
    process.env.CURSOR_KEY ??= randomBytes(32).toString('base64url');
    return;
  }
  setLocalEnvironment({
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    prefix: process.env.TABLE_PREFIX ?? 'samordning-local',
    dataDir: DATA_DIR,
  });
}

/**
 * For scripts given `--stage NAME` (seed, demo data): that deployed stage's tables, as the CDK stack
 * names them, reached with the AWS SDK's own credentials and region (AWS_PROFILE, AWS_REGION, …).
 * Without a stage, the tables the environment names or the local platform's.
 */
export function selectScriptTables(stage: string | undefined): void {
  if (stage === undefined) {
    selectConfiguredOrLocalTables();
    return;
  }
  if (!STAGE_NAME.test(stage))
    throw new Error(`--stage must be a stage name such as "dev" or "prod" (lower-case letters, digits, dashes).`);
  for (const t of tables) process.env[t.envVar] = deployedTableName(stage, t.id);
  process.env.STAGE = stage;
  // Scripts hand out no cursors; the configuration still asks for a key.
  process.env.CURSOR_KEY ??= randomBytes(32).toString('base64url');
}

/** The stage a script writes to: the one given, or the one named by the table variables (`samordning-<stage>-measures`). */
export function scriptStage(stage: string | undefined): string {
  if (stage !== undefined) return stage;
  const named = /^samordning-(.+)-measures$/.exec(process.env.MEASURES_TABLE ?? '');
  return named?.[1] ?? 'local';
}

/** A Db over the configured environment, for scripts that write through the repositories (seed, import). */
export function scriptDb(client: DynamoDBDocumentClient): Db {
  const config = loadConfig();
  return { client, config, loader: createItemLoader(client), cursors: fixedCursors(config) };
}
