import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run build:web` puts the app. */
export const DEFAULT_WEB_ASSET_PATH = path.join(PROJECT_ROOT, 'web', 'dist');

/**
 * Everything a deployment may vary, read once from CDK context (`cdk.json` or `-c key=value`).
 * Values given with `-c` arrive as strings and values in `cdk.json` keep their JSON type, so every
 * reader accepts both; a malformed value fails the synth with the key's name rather than deploying a guess.
 * docs/operations.md lists the keys.
 */
export interface StageConfig {
  /** Stage name: part of the stack name and of every physical name. */
  readonly stage: string;
  /** `prod` keeps data when the stack goes away and blocks accidental deletes. */
  readonly isProd: boolean;
  /** Occupancy below this is suppressed for all readers but the operating agency. */
  readonly suppressionThreshold: number;
  /** Accept only documents from the clients' trusted-documents manifest. */
  readonly trustedDocuments: boolean;
  /** Reserved concurrency of the GraphQL function; undefined leaves it in the account's unreserved pool. */
  readonly reservedConcurrency: number | undefined;
  /** Steady-state requests per second for the whole HTTP API stage. */
  readonly throttleRateLimit: number;
  /** Requests the stage accepts in a burst above the steady rate. */
  readonly throttleBurstLimit: number;
  /** Browser origins allowed by CORS; empty means no CORS configuration at all. */
  readonly allowedOrigins: readonly string[];
  /** OAuth redirect URLs of the frontends' app client, besides the stage's own web app (always allowed). */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Hosted UI domain prefix; undefined derives one from the stage and the account id. */
  readonly cognitoDomainPrefix: string | undefined;
  /** An existing SNS topic for alarms; undefined creates an encrypted topic in the stack. */
  readonly alarmTopicArn: string | undefined;
  /** Agency ids, beyond the seeded ones, that get an `agency:<id>` group. */
  readonly extraAgencies: readonly string[];
  /** The built web app (absolute): a directory holding `index.html`. */
  readonly webAssetPath: string;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * A frontend's dev server, allowed by default outside prod so it can sign in against a deployed stage. Every stage
 * allows its own web app's URL besides these; prod allows nothing else unless `callbackUrls`/`logoutUrls` say so.
 */
const LOCAL_CALLBACK = 'http://localhost:5173/callback';
const LOCAL_LOGOUT = 'http://localhost:5173/';

export function readStageConfig(node: Node): StageConfig {
  const stage = readString(node, 'stage') ?? 'dev';
  if (!STAGE.test(stage)) {
    throw new Error(`Context "stage" must match ${STAGE} (lower-case, at most 20 characters), got "${stage}"`);
  }
  const isProd = stage === 'prod';
  const throttleRateLimit = readInteger(node, 'throttleRateLimit', 100, { min: 1, max: 10_000 });
  const throttleBurstLimit = readInteger(node, 'throttleBurstLimit', 200, { min: 1, max: 5_000 });
  return {
    stage,
    isProd,
    suppressionThreshold: readInteger(node, 'suppressionThreshold', 5, { min: 1, max: 1_000 }),
    trustedDocuments: readBoolean(node, 'trustedDocuments', isProd),
    reservedConcurrency: readReservedConcurrency(node, isProd),
    throttleRateLimit,
    throttleBurstLimit,
    allowedOrigins: readList(node, 'allowedOrigins').map((origin) => checkUrl('allowedOrigins', origin)),
    callbackUrls: listOr(readList(node, 'callbackUrls'), isProd ? [] : [LOCAL_CALLBACK]).map((url) => checkUrl('callbackUrls', url)),
    logoutUrls: listOr(readList(node, 'logoutUrls'), isProd ? [] : [LOCAL_LOGOUT]).map((url) => checkUrl('logoutUrls', url)),
    cognitoDomainPrefix: readDomainPrefix(node),
    alarmTopicArn: readAlarmTopicArn(node),
    extraAgencies: readList(node, 'extraAgencies'),
    // Relative to the directory the CLI runs in, like any path given on a command line.
    webAssetPath: path.resolve(readString(node, 'webAssetPath') ?? DEFAULT_WEB_ASSET_PATH),
  };
}

function readString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function readInteger(node: Node, key: string, defaultValue: number, range: { min: number; max: number }): number {
  const text = readString(node, key);
  if (text === undefined) return defaultValue;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(`Context "${key}" must be an integer from ${range.min} to ${range.max}, got "${text}"`);
  }
  return value;
}

function readBoolean(node: Node, key: string, defaultValue: boolean): boolean {
  const text = readString(node, key);
  if (text === undefined) return defaultValue;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`Context "${key}" must be "true" or "false", got "${text}"`);
}

/** A comma-separated string (`-c key=a,b`) or a JSON array (`cdk.json`). */
function readList(node: Node, key: string): string[] {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new Error(`Context "${key}" must be a comma-separated string or an array of strings, got ${JSON.stringify(value)}`);
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

function listOr(list: string[], fallback: string[]): string[] {
  return list.length > 0 ? list : fallback;
}

function checkUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Context "${key}" holds "${value}", which is not a URL`);
  }
  // Cognito and browsers both refuse plain http except for localhost; catching it here saves a failed deploy.
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`Context "${key}" holds "${value}": only https URLs (or http://localhost) are allowed`);
  }
  return value;
}

/**
 * A fresh AWS account may have a concurrency quota of only 10, and Lambda refuses any reservation that
 * leaves fewer than 10 unreserved, so a default reservation would break the first deploy of a dev stage.
 * Only prod reserves by default: there it caps what a flood of requests can cost and keeps other
 * functions in the account from starving this one. `none` turns the reservation off.
 */
function readReservedConcurrency(node: Node, isProd: boolean): number | undefined {
  const text = readString(node, 'reservedConcurrency');
  if (text === undefined) return isProd ? 50 : undefined;
  if (text === 'none') return undefined;
  return readInteger(node, 'reservedConcurrency', 0, { min: 1, max: 10_000 });
}

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readDomainPrefix(node: Node): string | undefined {
  const prefix = readString(node, 'cognitoDomainPrefix');
  if (prefix === undefined) return undefined;
  // Cognito reserves these words in prefixes and answers a failed deploy otherwise.
  if (!DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(
      `Context "cognitoDomainPrefix" must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito", got "${prefix}"`,
    );
  }
  return prefix;
}

// CloudWatch alarms cannot publish to FIFO topics, so a `.fifo` ARN is refused with the rest.
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function readAlarmTopicArn(node: Node): string | undefined {
  const arn = readString(node, 'alarmTopicArn');
  if (arn !== undefined && !SNS_TOPIC_ARN.test(arn)) {
    throw new Error(`Context "alarmTopicArn" must be the ARN of a standard (not FIFO) SNS topic, got "${arn}"`);
  }
  return arn;
}
