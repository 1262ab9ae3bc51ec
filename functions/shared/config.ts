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

export interface Config {
  readonly stage: string;
  readonly settings: StageSettings;
  readonly tableNames: Readonly<Record<TableId, string>>;
  /** Occupancy below this is withheld from all but the operating agency. */
  readonly suppressionThreshold: number;
  /** HMAC key that makes cursors tamper-evident. */
  readonly cursorKey: string;
  /**
   * Secret of the cell-key method (docs/privacy.md): each shelter's record key per month is an HMAC under it,
   * and a published occupancy figure's noise follows from the sum of its records' keys. Changing it moves every
   * published figure: run `npm run rebuild:capacity` after.
   */
  readonly perturbationKey: string;
  /** Largest noise added to a published occupancy figure: every figure is within ± this of the true one. */
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
  const cursorKey = getStringFromEnv({ key: 'CURSOR_KEY' });
  if (cursorKey.length < 32) throw new Error('Environment variable CURSOR_KEY must hold at least 32 characters');
  const perturbationKey = getStringFromEnv({ key: 'PERTURBATION_KEY' });
  if (perturbationKey.length < 32) throw new Error('Environment variable PERTURBATION_KEY must hold at least 32 characters');
  const perturbationBound = getNumberFromEnv({ key: 'PERTURBATION_BOUND', defaultValue: 2 });
  if (!Number.isInteger(perturbationBound) || perturbationBound < 1 || perturbationBound > 10)
    throw new Error('Environment variable PERTURBATION_BOUND must be an integer from 1 to 10');
  return {
    stage,
    settings: stageSettings(stage),
    tableNames,
    suppressionThreshold: getNumberFromEnv({ key: 'SUPPRESSION_THRESHOLD', defaultValue: 5 }),
    cursorKey,
    perturbationKey,
    perturbationBound,
    trustedDocuments: getStringFromEnv({ key: 'TRUSTED_DOCUMENTS', defaultValue: 'false' }) === 'true',
    ...(process.env.USER_POOL_ID ? { userPoolId: process.env.USER_POOL_ID } : {}),
    localRun: isLocalEndpoint(process.env.AWS_ENDPOINT_URL_DYNAMODB),
  };
}
