import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run build:web` puts the app. */
export const DEFAULT_WEB_ASSET_PATH = path.join(PROJECT_ROOT, 'web', 'dist');

/** Where each stage's settings are committed: `infra/stages/<stage>.json`. */
export const STAGES_DIR = path.join(PROJECT_ROOT, 'infra', 'stages');

/**
 * Everything a deployment may vary. Each stage's settings are committed in `infra/stages/<stage>.json` (a stage
 * without a file gets the defaults; prod refuses to synthesize without its required settings); a `-c key=value` on
 * the command line overrides one key for one command. Values given with `-c` arrive as strings and values in JSON
 * keep their type, so every reader accepts both; a malformed value fails the synth with the key's name rather than
 * deploying a guess. docs/operations.md lists the keys.
 */
export interface StageConfig {
  /** Stage name: part of the stack name and of every physical name. */
  readonly stage: string;
  /** `prod` keeps data when the stack goes away and blocks accidental deletes. */
  readonly isProd: boolean;
  /** The region the stack deploys to; the edge stack (the CloudFront WAF) is always in us-east-1. */
  readonly region: string;
  /** Occupancy below this is suppressed for all readers but the operating agency. */
  readonly suppressionThreshold: number;
  /** Accept only documents from the clients' trusted-documents manifest. */
  readonly trustedDocuments: boolean;
  /** Reserved concurrency of the GraphQL function; undefined leaves it in the account's unreserved pool. */
  readonly reservedConcurrency: number | undefined;
  /** Steady-state requests per second for the whole HTTP API stage: a backstop behind the per-caller WAF limits. */
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
  /** E-mail addresses subscribed to the alarm topic the stack creates. */
  readonly alarmSubscribers: readonly string[];
  /** Days to keep logs: function, API access, deployment, and the access-log bucket. */
  readonly logRetentionDays: number;
  /** Per-caller limits of the WAF web ACL in front of the distribution. */
  readonly waf: WafSettings;
  /** An AWS Backup plan for the tables (daily, kept a year, in a locked vault). */
  readonly backup: boolean;
  /** The one role that may change or delete audit entries (a person's emergency role, created outside the stack). */
  readonly breakGlassRoleName: string;
  /** The built web app (absolute): a directory holding `index.html`. */
  readonly webAssetPath: string;
  /**
   * The SES identity (a verified address) the daily reminders are sent from; undefined leaves the schedule disabled
   * and grants no SES permission.
   */
  readonly reminderSender: string | undefined;
  /** Where the coordinator's daily digest of overdue reports goes; undefined sends none. */
  readonly coordinatorEmail: string | undefined;
}

export interface WafSettings {
  /** Requests one IP address may make in `windowSeconds` before WAF blocks it. */
  readonly ipRateLimit: number;
  /** Requests one bearer token (one signed-in session) may make in `windowSeconds`. */
  readonly tokenRateLimit: number;
  /** The rate rules' evaluation window: 60, 120, 300 or 600 seconds. */
  readonly windowSeconds: number;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * A frontend's dev server, allowed by default outside prod so it can sign in against a deployed stage. Every stage
 * allows its own web app's URL besides these; prod allows nothing else unless `callbackUrls`/`logoutUrls` say so.
 */
const LOCAL_CALLBACK = 'http://localhost:5173/callback';
const LOCAL_LOGOUT = 'http://localhost:5173/';

/** The values CloudWatch Logs accepts as a retention in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Where a setting comes from: `-c` context first, then the stage's settings file. */
interface Settings {
  /** The raw value, and where it was found (for error messages). */
  get(key: string): { value: unknown; origin: string } | undefined;
  /** The settings file, as shown in messages. */
  readonly file: string;
}

function settingsFrom(context: (key: string) => unknown, fileSettings: Record<string, unknown>, file: string): Settings {
  return {
    file,
    get(key) {
      const fromContext = context(key);
      if (fromContext !== undefined && fromContext !== null) return { value: fromContext, origin: `Context "${key}"` };
      const fromFile = Object.hasOwn(fileSettings, key) ? fileSettings[key] : undefined;
      if (fromFile !== undefined && fromFile !== null) return { value: fromFile, origin: `"${key}" in ${file}` };
      return undefined;
    },
  };
}

/**
 * The settings of a stage: those given (tests), else the file named by the `stageSettingsFile` context key, else
 * `infra/stages/<stage>.json` when it exists, else none (defaults).
 */
function loadSettingsFile(
  node: Node,
  stage: string,
  given: Record<string, unknown> | undefined,
): { settings: Record<string, unknown>; file: string } {
  if (given !== undefined) return { settings: given, file: 'the given stage settings' };
  const named: unknown = node.tryGetContext('stageSettingsFile');
  const file = typeof named === 'string' && named.trim() !== '' ? path.resolve(named) : path.join(STAGES_DIR, `${stage}.json`);
  const shown = path.relative(PROJECT_ROOT, file) || file;
  if (!existsSync(file)) {
    if (named !== undefined) throw new Error(`Context "stageSettingsFile" names ${file}, which does not exist`);
    return { settings: {}, file: shown };
  }
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${shown} must hold a JSON object`);
  const known = new Set<string>(SETTING_KEYS);
  const unknown = Object.keys(parsed).filter((key) => !known.has(key) && !key.startsWith('$') && !key.startsWith('//'));
  if (unknown.length > 0) throw new Error(`${shown} has unknown settings: ${unknown.join(', ')} (known: ${SETTING_KEYS.join(', ')})`);
  return { settings: parsed as Record<string, unknown>, file: shown };
}

/** Every key a stage settings file may hold (and `-c` may override). */
export const SETTING_KEYS = [
  'region',
  'suppressionThreshold',
  'trustedDocuments',
  'reservedConcurrency',
  'throttleRateLimit',
  'throttleBurstLimit',
  'allowedOrigins',
  'callbackUrls',
  'logoutUrls',
  'cognitoDomainPrefix',
  'alarmTopicArn',
  'alarmSubscribers',
  'logRetentionDays',
  'waf',
  'backup',
  'breakGlassRoleName',
  'webAssetPath',
  'reminderSender',
  'coordinatorEmail',
] as const;

/**
 * Reads a stage's configuration. `settings` replaces the stage's settings file (tests give a complete one).
 * Prod refuses to synthesize when what only ops can know is missing, and names every missing setting at once.
 */
export function readStageConfig(node: Node, given?: Record<string, unknown>): StageConfig {
  const fromContext = (key: string): unknown => node.tryGetContext(key);
  const stage = readString(settingsFrom(fromContext, {}, ''), 'stage') ?? 'dev';
  if (!STAGE.test(stage)) {
    throw new Error(`Context "stage" must match ${STAGE} (lower-case, at most 20 characters), got "${stage}"`);
  }
  const isProd = stage === 'prod';
  const { settings: fileSettings, file } = loadSettingsFile(node, stage, given);
  const settings = settingsFrom(fromContext, fileSettings, file);
  const config: StageConfig = {
    stage,
    isProd,
    region: readRegion(settings),
    suppressionThreshold: readInteger(settings, 'suppressionThreshold', 5, { min: 1, max: 1_000 }),
    trustedDocuments: readBoolean(settings, 'trustedDocuments', isProd),
    reservedConcurrency: readReservedConcurrency(settings, isProd),
    throttleRateLimit: readInteger(settings, 'throttleRateLimit', 100, { min: 1, max: 10_000 }),
    throttleBurstLimit: readInteger(settings, 'throttleBurstLimit', 200, { min: 1, max: 5_000 }),
    allowedOrigins: readList(settings, 'allowedOrigins').map((origin) => checkUrl(settings, 'allowedOrigins', origin)),
    callbackUrls: listOr(readList(settings, 'callbackUrls'), isProd ? [] : [LOCAL_CALLBACK]).map((url) =>
      checkUrl(settings, 'callbackUrls', url),
    ),
    logoutUrls: listOr(readList(settings, 'logoutUrls'), isProd ? [] : [LOCAL_LOGOUT]).map((url) => checkUrl(settings, 'logoutUrls', url)),
    cognitoDomainPrefix: readDomainPrefix(settings),
    alarmTopicArn: readAlarmTopicArn(settings),
    alarmSubscribers: readList(settings, 'alarmSubscribers').map((email) => checkEmail(settings, email)),
    logRetentionDays: readRetention(settings, isProd),
    waf: readWaf(settings),
    backup: readBoolean(settings, 'backup', isProd),
    breakGlassRoleName: readRoleName(settings, stage),
    // Relative to the directory the CLI runs in, like any path given on a command line.
    webAssetPath: path.resolve(readString(settings, 'webAssetPath') ?? DEFAULT_WEB_ASSET_PATH),
    reminderSender: readAddress(settings, 'reminderSender'),
    coordinatorEmail: readAddress(settings, 'coordinatorEmail'),
  };
  if (isProd) requireProductionSettings(config, file);
  return config;
}

/**
 * What prod cannot run without and no default can supply: where users come back after signing in, and someone who
 * hears the alarms. A localhost address in prod is a copy of dev settings, not a decision.
 */
function requireProductionSettings(config: StageConfig, file: string): void {
  const missing: string[] = [];
  const local = (url: string) => {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  };
  if (config.callbackUrls.length === 0) {
    missing.push("callbackUrls (the https sign-in redirect URLs of the agencies' frontends)");
  }
  for (const key of ['callbackUrls', 'logoutUrls', 'allowedOrigins'] as const) {
    const localUrls = config[key].filter(local);
    if (localUrls.length > 0) missing.push(`${key} without localhost addresses (found ${localUrls.join(', ')})`);
  }
  if (config.alarmSubscribers.length === 0 && config.alarmTopicArn === undefined) {
    missing.push('alarmSubscribers (at least one e-mail address that receives the alarms), or alarmTopicArn (a topic ops already watch)');
  }
  if (config.logRetentionDays < 365) missing.push(`logRetentionDays of at least 365 (found ${config.logRetentionDays})`);
  if (missing.length > 0) {
    throw new Error(
      `Stage "prod" cannot be synthesized: ${file} (or -c) must set ${missing.join('; ')}. docs/operations.md "Stage settings" describes each key.`,
    );
  }
}

function readString(settings: Settings, key: string): string | undefined {
  const found = settings.get(key);
  if (found === undefined) return undefined;
  const { value, origin } = found;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`${origin} must be a string, got ${JSON.stringify(value)}`);
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function readInteger(settings: Settings, key: string, defaultValue: number, range: { min: number; max: number }): number {
  const text = readString(settings, key);
  if (text === undefined) return defaultValue;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(`${settings.get(key)?.origin} must be an integer from ${range.min} to ${range.max}, got "${text}"`);
  }
  return value;
}

function readBoolean(settings: Settings, key: string, defaultValue: boolean): boolean {
  const text = readString(settings, key);
  if (text === undefined) return defaultValue;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`${settings.get(key)?.origin} must be "true" or "false", got "${text}"`);
}

/** A comma-separated string (`-c key=a,b`) or a JSON array (`cdk.json`). */
function readList(settings: Settings, key: string): string[] {
  const found = settings.get(key);
  if (found === undefined) return [];
  const { value, origin } = found;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new Error(`${origin} must be a comma-separated string or an array of strings, got ${JSON.stringify(value)}`);
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

function listOr(list: string[], fallback: string[]): string[] {
  return list.length > 0 ? list : fallback;
}

function checkUrl(settings: Settings, key: string, value: string): string {
  const origin = settings.get(key)?.origin ?? key;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${origin} holds "${value}", which is not a URL`);
  }
  // Cognito and browsers both refuse plain http except for localhost; catching it here saves a failed deploy.
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`${origin} holds "${value}": only https URLs (or http://localhost) are allowed`);
  }
  return value;
}

/**
 * A fresh AWS account may have a concurrency quota of only 10, and Lambda refuses any reservation that
 * leaves fewer than 10 unreserved, so a default reservation would break the first deploy of a dev stage.
 * Only prod reserves by default: there it caps what a flood of requests can cost and keeps other
 * functions in the account from starving this one. `none` turns the reservation off.
 */
function readReservedConcurrency(settings: Settings, isProd: boolean): number | undefined {
  const text = readString(settings, 'reservedConcurrency');
  if (text === undefined) return isProd ? 50 : undefined;
  if (text === 'none') return undefined;
  return readInteger(settings, 'reservedConcurrency', 0, { min: 1, max: 10_000 });
}

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readDomainPrefix(settings: Settings): string | undefined {
  const prefix = readString(settings, 'cognitoDomainPrefix');
  if (prefix === undefined) return undefined;
  // Cognito reserves these words in prefixes and answers a failed deploy otherwise.
  if (!DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(
      `${settings.get('cognitoDomainPrefix')?.origin} must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito", got "${prefix}"`,
    );
  }
  return prefix;
}

// CloudWatch alarms cannot publish to FIFO topics, so a `.fifo` ARN is refused with the rest.
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function readAlarmTopicArn(settings: Settings): string | undefined {
  const arn = readString(settings, 'alarmTopicArn');
  if (arn !== undefined && !SNS_TOPIC_ARN.test(arn)) {
    throw new Error(`${settings.get('alarmTopicArn')?.origin} must be the ARN of a standard (not FIFO) SNS topic, got "${arn}"`);
  }
  return arn;
}

// Deliberately loose: SNS sends a confirmation mail, and an address that cannot receive it never subscribes.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[a-z]{2,}$/i;

/** An optional e-mail address setting. */
function readAddress(settings: Settings, key: string): string | undefined {
  const value = readString(settings, key);
  if (value === undefined) return undefined;
  if (!EMAIL.test(value)) throw new Error(`${settings.get(key)?.origin} is not an e-mail address`);
  return value;
}

function checkEmail(settings: Settings, email: string): string {
  if (!EMAIL.test(email)) throw new Error(`${settings.get('alarmSubscribers')?.origin} holds "${email}", which is not an e-mail address`);
  return email;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** Stockholm by default: the region nearest Norway; users and data stay in the EU/EEA. */
function readRegion(settings: Settings): string {
  const region = readString(settings, 'region') ?? 'eu-north-1';
  if (!REGION.test(region)) throw new Error(`${settings.get('region')?.origin} must be an AWS region such as eu-north-1, got "${region}"`);
  return region;
}

/** A year in prod, where an incident may surface months later; a month elsewhere, to keep dev cheap. */
function readRetention(settings: Settings, isProd: boolean): number {
  const days = readInteger(settings, 'logRetentionDays', isProd ? 365 : 30, { min: 1, max: 3653 });
  if (!RETENTION_DAYS.includes(days)) {
    throw new Error(
      `${settings.get('logRetentionDays')?.origin} must be one of CloudWatch Logs' retention periods (${RETENTION_DAYS.join(', ')}), got ${days}`,
    );
  }
  return days;
}

const WAF_WINDOWS = [60, 120, 300, 600];

/**
 * Per-caller limits. The defaults let a busy person (a page load is a handful of requests) work without noticing,
 * and stop a script long before the API's stage-wide throttle is reached. Several people behind one office NAT share
 * an IP address, hence the higher per-IP limit.
 */
function readWaf(settings: Settings): WafSettings {
  const found = settings.get('waf');
  const value = found?.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${found?.origin} must be an object such as { "ipRateLimit": 3000, "tokenRateLimit": 1000, "windowSeconds": 300 }`);
  }
  const waf = value as Record<string, unknown>;
  const unknown = Object.keys(waf).filter((key) => !['ipRateLimit', 'tokenRateLimit', 'windowSeconds'].includes(key));
  if (unknown.length > 0) throw new Error(`${found?.origin} has unknown keys: ${unknown.join(', ')}`);
  const nested = settingsFrom(() => undefined, waf, found?.origin ?? '"waf"');
  const windowSeconds = readInteger(nested, 'windowSeconds', 300, { min: 60, max: 600 });
  if (!WAF_WINDOWS.includes(windowSeconds))
    throw new Error(`waf.windowSeconds must be one of ${WAF_WINDOWS.join(', ')}, got ${windowSeconds}`);
  return {
    // WAF's rate-based rules accept limits from 10 up to 2,000,000,000 requests per window.
    ipRateLimit: readInteger(nested, 'ipRateLimit', 3000, { min: 10, max: 2_000_000_000 }),
    tokenRateLimit: readInteger(nested, 'tokenRateLimit', 1000, { min: 10, max: 2_000_000_000 }),
    windowSeconds,
  };
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function readRoleName(settings: Settings, stage: string): string {
  const name = readString(settings, 'breakGlassRoleName') ?? `samordning-${stage}-break-glass`;
  if (!ROLE_NAME.test(name)) throw new Error(`${settings.get('breakGlassRoleName')?.origin} must be an IAM role name, got "${name}"`);
  return name;
}
