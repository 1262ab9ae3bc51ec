import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { type TableId, tables } from './tables.js';

/** What a stage may show. Anything but a known development stage gets production settings. */
export interface StageSettings {
  readonly introspection: boolean;
  readonly stackTraces: boolean;
  readonly fieldSuggestions: boolean;
}

// A Map, not an object: a stage named "constructor" is no development stage.
const developmentStages = new Map<string, StageSettings>([
  ['local', { introspection: true, stackTraces: false, fieldSuggestions: true }],
  ['test', { introspection: true, stackTraces: false, fieldSuggestions: true }],
  ['dev', { introspection: true, stackTraces: false, fieldSuggestions: true }],
]);

const production: StageSettings = { introspection: false, stackTraces: false, fieldSuggestions: false };

/** Whether a stage is one of the known development stages (local, test, dev). */
export const isDevelopmentStage = (stage: string) => developmentStages.has(stage);

/** Settings follow the stage name only, never NODE_ENV: an unknown or missing stage is production. */
export function stageSettings(stage: string): StageSettings {
  return developmentStages.get(stage) ?? production;
}

/**
 * The cursor key itself (`CURSOR_KEY`: locally, in tests and scripts), or the ARN of the Secrets Manager secret that
 * holds it (`CURSOR_KEY_SECRET_ARN`: in the cloud, where the value is never in the function's configuration).
 */
export type CursorKeySource = { readonly value: string } | { readonly secretArn: string };

export interface Config {
  readonly stage: string;
  readonly settings: StageSettings;
  readonly tableNames: Readonly<Record<TableId, string>>;
  /** Occupancy below this is withheld from all but the operating agency. */
  readonly suppressionThreshold: number;
  /** Where the HMAC key that makes cursors tamper-evident comes from (shared/cursor-keys.ts reads it). */
  readonly cursorKey: CursorKeySource;
  /**
   * The secret whose value the CloudFront distribution sends in `x-samordning-origin` (graphql/origin.ts); undefined
   * where no distribution stands in front (npm start, tests), and nothing is checked.
   */
  readonly originSecretArn: string | undefined;
  /**
   * Secret of the perturbed cells (docs/privacy.md): the noise of a shelter's small occupancy figure follows
   * from an HMAC under it of the shelter and the figure. Changing it moves every published figure that holds a
   * small one: run `npm run rebuild:capacity` after.
   */
  readonly perturbationKey: string;
  /** In the cloud: the secret that holds `perturbationKey`, which the handler reads at run time and puts in the request's configuration. */
  readonly perturbationKeySecretArn?: string;
  /**
   * Largest noise of one perturbed cell (a shelter's figure below the threshold, as others see it in sums): a
   * published sum is within ± this times its perturbed cells of the true one. Kept in the rollups: run
   * `npm run rebuild:capacity` after a change.
   */
  readonly perturbationBound: number;
  /** When true, only documents in the client operations' manifest are accepted. */
  readonly trustedDocuments: boolean;
  /** The stage's Cognito user pool, where agencies' groups are created; absent locally. */
  readonly userPoolId?: string;
  /** Whether this runs on a machine against DynamoDB Local (npm start, tests): never true in a deployed function. */
  readonly localRun: boolean;
}

/** Whether the DynamoDB endpoint is DynamoDB Local on this machine: deployed functions set no endpoint. */
function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Reads the configuration once, at cold start; a missing variable fails fast with its name. */
export function loadConfig(): Config {
  const stage = getStringFromEnv({ key: 'STAGE' });
  const tableNames = Object.fromEntries(tables.map((t) => [t.id, getStringFromEnv({ key: t.envVar })])) as Record<TableId, string>;
  // In the cloud the key is read at run time from its secret (PERTURBATION_KEY_SECRET_ARN, by the handler); on a
  // machine (npm start, tests, scripts) it is the variable itself.
  const perturbationKeySecretArn = getStringFromEnv({ key: 'PERTURBATION_KEY_SECRET_ARN', defaultValue: '' }) || undefined;
  const perturbationKey = perturbationKeySecretArn ? '' : getStringFromEnv({ key: 'PERTURBATION_KEY' });
  if (!perturbationKeySecretArn && perturbationKey.length < 32)
    throw new Error('Environment variable PERTURBATION_KEY must hold at least 32 characters');
  const perturbationBound = getNumberFromEnv({ key: 'PERTURBATION_BOUND', defaultValue: 3 });
  if (!Number.isInteger(perturbationBound) || perturbationBound < 1 || perturbationBound > 10)
    throw new Error('Environment variable PERTURBATION_BOUND must be an integer from 1 to 10');
  return {
    stage,
    settings: stageSettings(stage),
    tableNames,
    suppressionThreshold: getNumberFromEnv({ key: 'SUPPRESSION_THRESHOLD', defaultValue: 5 }),
    cursorKey: cursorKeySource(),
    originSecretArn: getStringFromEnv({ key: 'ORIGIN_SECRET_ARN', defaultValue: '' }) || undefined,
    perturbationKey,
    ...(perturbationKeySecretArn ? { perturbationKeySecretArn } : {}),
    perturbationBound,
    trustedDocuments: getStringFromEnv({ key: 'TRUSTED_DOCUMENTS', defaultValue: 'false' }) === 'true',
    ...(process.env.USER_POOL_ID ? { userPoolId: process.env.USER_POOL_ID } : {}),
    localRun: isLocalEndpoint(process.env.AWS_ENDPOINT_URL_DYNAMODB),
  };
}

function cursorKeySource(): CursorKeySource {
  const secretArn = getStringFromEnv({ key: 'CURSOR_KEY_SECRET_ARN', defaultValue: '' });
  if (secretArn !== '') return { secretArn };
  const value = getStringFromEnv({ key: 'CURSOR_KEY', errorMessage: 'Set CURSOR_KEY (the key itself) or CURSOR_KEY_SECRET_ARN' });
  if (value.length < 32) throw new Error('Environment variable CURSOR_KEY must hold at least 32 characters');
  return { value };
}
