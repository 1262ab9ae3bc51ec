import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';
import { z } from 'zod';
import { INTEGRATION_NAME } from '../functions/shared/tables.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run build:web` puts the app. */
export const DEFAULT_WEB_ASSET_PATH = path.join(PROJECT_ROOT, 'web', 'dist');

/** Where each stage's settings are committed: `infra/stages/<stage>.json`. */
export const STAGES_DIR = path.join(PROJECT_ROOT, 'infra', 'stages');

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * A frontend's dev server, allowed by default outside prod so it can sign in against a deployed stage. Every stage
 * allows its own web app's URL besides these; prod allows nothing else unless `callbackUrls`/`logoutUrls` say so.
 */
const LOCAL_CALLBACK = 'http://localhost:5173/callback';
const LOCAL_LOGOUT = 'http://localhost:5173/';

/** The values CloudWatch Logs accepts as a retention in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const WAF_WINDOWS = [60, 120, 300, 600];

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Cognito refuses a domain prefix holding these words, and would say so only in a failed deploy. */
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

// CloudWatch alarms cannot publish to FIFO topics, so a `.fifo` ARN is refused with the rest.
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

// Deliberately loose: SNS sends a confirmation mail, and an address that cannot receive it never subscribes.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[a-z]{2,}$/i;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/*
 * The schema's messages say what a value must be; `describeIssue` puts the setting's name and origin in front
 * (`Context "region" must be an AWS region such as eu-north-1, got "Stockholm"`).
 */

/**
 * A value given with `-c` arrives as a string while one in JSON keeps its type, so any scalar reads as its trimmed
 * text, and a blank one counts as unset (the setting's default).
 */
const settingText = z
  .union([z.string(), z.number(), z.boolean()], { error: (issue) => `must be a string, got ${JSON.stringify(issue.input)}` })
  .nullish()
  .transform((value) => {
    const text = value === undefined || value === null ? '' : String(value).trim();
    return text === '' ? undefined : text;
  });

/** A setting read from its text by `schema`, which must take unset (undefined) too: with a default, or `unsetOr`. */
function fromText<T extends z.ZodType<unknown, string | undefined>>(schema: T) {
  return settingText.pipe(schema);
}

/** The message quotes the text as given: `Number` would turn `five` into NaN and `0x10` into 16. */
function integer(min: number, max: number) {
  return z
    .string()
    .refine(
      (text) => {
        const value = Number(text);
        return Number.isInteger(value) && value >= min && value <= max;
      },
      { error: (issue) => `must be an integer from ${min} to ${max}, got "${issue.input}"` },
    )
    .transform(Number);
}

const flag = z
  .enum(['true', 'false'], { error: (issue) => `must be "true" or "false", got "${issue.input}"` })
  .transform((text) => text === 'true');

/**
 * A setting without a default: unset is undefined. `.optional()` alone would also make the key optional in the
 * settings' type, while the stack reads every key, set or not.
 */
function unsetOr<T>(schema: z.ZodType<T, string>) {
  return schema.optional().transform((value): T | undefined => value);
}

/** `none` turns the setting off (undefined); any other text must pass `schema`. */
function noneOr<T>(schema: z.ZodType<T, string>) {
  return z
    .string()
    .transform((text) => (text === 'none' ? undefined : text))
    .pipe(unsetOr(schema));
}

function matching(pattern: RegExp, expected: (text: string) => string) {
  return z.string().regex(pattern, { error: (issue) => expected(String(issue.input)) });
}

/** Cognito and browsers both refuse plain http except for localhost; catching it here saves a failed deploy. */
const httpsUrl = z
  .string()
  .refine((text) => URL.canParse(text), { error: (issue) => `holds "${issue.input}", which is not a URL`, abort: true })
  .refine(
    (text) => {
      const { protocol, hostname } = new URL(text);
      return protocol === 'https:' || (protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1'));
    },
    { error: (issue) => `holds "${issue.input}": only https URLs (or http://localhost) are allowed` },
  );

/** An address among others: the message quotes it. */
const listedAddress = matching(EMAIL, (text) => `holds "${text}", which is not an e-mail address`);

const address = matching(EMAIL, () => 'is not an e-mail address');

/**
 * A comma-separated string (`-c key=a,b`) or a JSON array; blank items are dropped, and an empty list takes
 * `fallback`.
 */
function list(item: z.ZodType<string, string>, fallback: readonly string[] = []) {
  return z
    .union([z.array(z.string()), z.string().transform((text) => text.split(','))], {
      error: (issue) => `must be a comma-separated string or an array of strings, got ${JSON.stringify(issue.input)}`,
    })
    .optional()
    .transform((items) => (items ?? []).map((text) => text.trim()).filter((text) => text !== ''))
    .transform((items): readonly string[] => (items.length > 0 ? items : fallback))
    .pipe(z.array(item).readonly());
}

/**
 * Per-caller limits. The defaults let a busy person (a page load is a handful of requests) work without noticing,
 * and stop a script long before the API's stage-wide throttle is reached. Several people behind one office NAT share
 * an IP address, hence the higher per-IP limit. WAF's rate-based rules accept limits from 10 up to 2,000,000,000
 * requests per window.
 */
const wafSettings = z
  .strictObject(
    {
      /** Requests one IP address may make in `windowSeconds` before WAF blocks it. */
      ipRateLimit: fromText(integer(10, 2_000_000_000).default(3000)),
      /** Requests one bearer token (one signed-in session) may make in `windowSeconds`. */
      tokenRateLimit: fromText(integer(10, 2_000_000_000).default(1000)),
      /** The rate rules' evaluation window: 60, 120, 300 or 600 seconds. */
      windowSeconds: fromText(
        integer(60, 600)
          .pipe(
            z.number().refine((seconds) => WAF_WINDOWS.includes(seconds), {
              error: (issue) => `must be one of ${WAF_WINDOWS.join(', ')}, got ${issue.input}`,
              // The one message that has always named its key by its path in the settings rather than by its origin.
              params: { subject: 'waf.windowSeconds' },
            }),
          )
          .default(300),
      ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `has unknown keys: ${issue.keys.join(', ')}`
          : 'must be an object such as { "ipRateLimit": 3000, "tokenRateLimit": 1000, "windowSeconds": 300 }',
    },
  )
  .readonly()
  // Unset is an empty object, so that each limit takes its own default.
  .prefault({});

/**
 * Everything a deployment may vary, each setting with its type, its default and its constraint. Each stage's settings
 * are committed in `infra/stages/<stage>.json` (a stage without a file gets the defaults; prod refuses to synthesize
 * without its required settings); a `-c key=value` on the command line overrides one key for one command. A malformed
 * value fails the synth, naming every malformed one at once, rather than deploying a guess. docs/operations.md lists
 * the keys.
 *
 * Some defaults depend on the stage, hence a schema per stage; every stage has the same keys.
 */
function stageSettingsSchema(stage: string) {
  const isProd = stage === 'prod';
  return z.object({
    /**
     * The region the stack deploys to; the edge stack (the CloudFront WAF) is always in us-east-1. Stockholm by
     * default: the region nearest Norway; users and data stay in the EU/EEA.
     */
    region: fromText(matching(REGION, (text) => `must be an AWS region such as eu-north-1, got "${text}"`).default('eu-north-1')),
    /** Occupancy below this is suppressed for all readers but the operating agency. */
    suppressionThreshold: fromText(integer(1, 1_000).default(5)),
    /** Accept only documents from the clients' trusted-documents manifest. */
    trustedDocuments: fromText(flag.default(isProd)),
    /**
     * Reserved concurrency of the GraphQL function; undefined leaves it in the account's unreserved pool. A fresh AWS
     * account may have a concurrency quota of only 10, and Lambda refuses any reservation that leaves fewer than 10
     * unreserved, so a default reservation would break the first deploy of a dev stage. Only prod reserves by default:
     * there it caps what a flood of requests can cost and keeps other functions in the account from starving this one.
     * `none` turns the reservation off.
     */
    reservedConcurrency: fromText(noneOr(integer(1, 10_000)).prefault(isProd ? '50' : 'none')),
    /** Steady-state requests per second for the whole HTTP API stage: a backstop behind the per-caller WAF limits. */
    throttleRateLimit: fromText(integer(1, 10_000).default(100)),
    /** Requests the stage accepts in a burst above the steady rate. */
    throttleBurstLimit: fromText(integer(1, 5_000).default(200)),
    /** Browser origins allowed by CORS; empty means no CORS configuration at all. */
    allowedOrigins: list(httpsUrl),
    /** OAuth redirect URLs of the frontends' app client, besides the stage's own web app (always allowed). */
    callbackUrls: list(httpsUrl, isProd ? [] : [LOCAL_CALLBACK]),
    logoutUrls: list(httpsUrl, isProd ? [] : [LOCAL_LOGOUT]),
    /** Hosted UI domain prefix; undefined derives one from the stage and the account id. */
    cognitoDomainPrefix: fromText(
      unsetOr(
        z.string().refine((text) => DOMAIN_PREFIX.test(text) && !RESERVED_IN_PREFIX.test(text), {
          error: (issue) => `must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito", got "${issue.input}"`,
        }),
      ),
    ),
    /** An existing SNS topic for alarms; undefined creates an encrypted topic in the stack. */
    alarmTopicArn: fromText(
      unsetOr(matching(SNS_TOPIC_ARN, (text) => `must be the ARN of a standard (not FIFO) SNS topic, got "${text}"`)),
    ),
    /** E-mail addresses subscribed to the alarm topic the stack creates. */
    alarmSubscribers: list(listedAddress),
    /**
     * Days to keep logs: function, API access, deployment, and the access-log bucket. A year in prod, where an
     * incident may surface months later; a month elsewhere, to keep dev cheap.
     */
    logRetentionDays: fromText(
      integer(1, 3653)
        .pipe(
          z.literal(RETENTION_DAYS, {
            error: (issue) => `must be one of CloudWatch Logs' retention periods (${RETENTION_DAYS.join(', ')}), got ${issue.input}`,
          }),
        )
        .default(isProd ? 365 : 30),
    ),
    /** Per-caller limits of the WAF web ACL in front of the distribution. */
    waf: wafSettings,
    /** An AWS Backup plan for the tables (daily, kept a year, in a locked vault). */
    backup: fromText(flag.default(isProd)),
    /** The one role that may change or delete audit entries (a person's emergency role, created outside the stack). */
    breakGlassRoleName: fromText(
      matching(ROLE_NAME, (text) => `must be an IAM role name, got "${text}"`).default(`samordning-${stage}-break-glass`),
    ),
    /**
     * The built web app (absolute): a directory holding `index.html`. A relative path is taken from the directory the
     * CLI runs in, like any path given on a command line.
     */
    webAssetPath: fromText(
      z
        .string()
        .transform((text) => path.resolve(text))
        .default(DEFAULT_WEB_ASSET_PATH),
    ),
    /**
     * The SES identity (a verified address) the daily reminders are sent from; undefined leaves the schedule disabled
     * and grants no SES permission.
     */
    reminderSender: fromText(unsetOr(address)),
    /** Where the coordinator's daily digest of overdue reports goes; undefined sends none. */
    coordinatorEmail: fromText(unsetOr(address)),
    /**
     * Machines that call the API with the client-credentials grant (docs/integrations.md#machine-access): one Cognito
     * app client each, with a secret, named `samordning-<stage>-integration-<name>`. What each may do is the
     * integrations registry's, kept by the coordinator through the API.
     */
    integrations: list(
      matching(
        INTEGRATION_NAME,
        (text) => `holds "${text}", which is not an integration's name (lower-case letters, digits and dashes, 2–40)`,
      ),
    ).refine((names) => new Set(names).size === names.length, { error: 'names an integration twice' }),
  });
}

/** Read from the `stage` context key only: it selects the settings file. */
const stageName = fromText(
  matching(STAGE, (text) => `must match ${STAGE} (lower-case, at most 20 characters), got "${text}"`).default('dev'),
);

export type StageSettings = z.output<ReturnType<typeof stageSettingsSchema>>;

export type WafSettings = StageSettings['waf'];

export interface StageConfig extends Readonly<StageSettings> {
  /** Stage name: part of the stack name and of every physical name. */
  readonly stage: string;
  /** `prod` keeps data when the stack goes away and blocks accidental deletes. */
  readonly isProd: boolean;
}

/** Every key a stage settings file may hold (and `-c` may override). */
export const SETTING_KEYS = stageSettingsSchema('dev').keyof().options;

/**
 * Reads a stage's configuration. `settings` replaces the stage's settings file (tests give a complete one).
 * Prod refuses to synthesize when what only ops can know is missing, and names every missing setting at once.
 */
export function readStageConfig(node: Node, given?: Record<string, unknown>): StageConfig {
  const fromContext = (key: string): unknown => node.tryGetContext(key);
  const { stage } = parseSettings(z.object({ stage: stageName }), gather(['stage'], fromContext, {}, ''));
  const isProd = stage === 'prod';
  const { settings: fileSettings, file } = loadSettingsFile(node, stage, given);
  const settings = parseSettings(stageSettingsSchema(stage), gather(SETTING_KEYS, fromContext, fileSettings, file));
  const config: StageConfig = { stage, isProd, ...settings };
  if (isProd) requireProductionSettings(config, file);
  return config;
}

/** The raw values of some settings, and where each was found (for messages). */
interface Gathered {
  readonly values: Record<string, unknown>;
  readonly origins: ReadonlyMap<string, string>;
}

/**
 * `-c` context first, then the stage's settings file; null counts as unset in both. Every key is looked up, and an
 * unset one is present holding undefined, so that the settings hold every key.
 */
function gather(keys: readonly string[], context: (key: string) => unknown, fileSettings: Record<string, unknown>, file: string): Gathered {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const key of keys) {
    const fromContext = context(key);
    const fromFile = Object.hasOwn(fileSettings, key) ? fileSettings[key] : undefined;
    values[key] = undefined;
    if (fromContext !== undefined && fromContext !== null) {
      values[key] = fromContext;
      origins.set(key, `Context "${key}"`);
    } else if (fromFile !== undefined && fromFile !== null) {
      values[key] = fromFile;
      origins.set(key, `"${key}" in ${file}`);
    }
  }
  return { values, origins };
}

/** The settings `schema` makes of the gathered values, or one error naming every malformed setting, one a line. */
function parseSettings<T extends z.ZodType>(schema: T, { values, origins }: Gathered): z.output<T> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((issue) => describeIssue(issue, origins)).join('\n'));
}

function describeIssue(issue: z.core.$ZodIssue, origins: ReadonlyMap<string, string>): string {
  const named = issue.code === 'custom' ? issue.params?.subject : undefined;
  return `${typeof named === 'string' ? named : subjectOf(issue.path, origins)} ${issue.message}`;
}

/**
 * The setting an issue is about, with its origin: `Context "waf"`, or `"ipRateLimit" in Context "waf"` for a key
 * inside it. An index into a list is left out: the message quotes the item.
 */
function subjectOf([key, nested]: readonly PropertyKey[], origins: ReadonlyMap<string, string>): string {
  const origin = origins.get(String(key)) ?? `"${String(key)}"`;
  return typeof nested === 'string' ? `"${nested}" in ${origin}` : origin;
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
  refuseUnknownSettings(Object.keys(parsed), shown);
  return { settings: parsed as Record<string, unknown>, file: shown };
}

/** A misspelt key would otherwise be ignored and its setting silently take the default. `$…` and `//…` are comments. */
function refuseUnknownSettings(keys: readonly string[], file: string): void {
  const known = new Set<string>(SETTING_KEYS);
  const unknown = keys.filter((key) => !known.has(key) && !key.startsWith('$') && !key.startsWith('//'));
  if (unknown.length > 0) throw new Error(`${file} has unknown settings: ${unknown.join(', ')} (known: ${SETTING_KEYS.join(', ')})`);
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
