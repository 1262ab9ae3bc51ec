import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { type TableId, tables } from './tables.js';

/** What a stage may show. Anything but a known development stage gets production settings. */
export interface StageSettings {
  readonly introspection: boolean;
  readonly stackTraces: boolean;
  readonly fieldSuggestions: boolean;
}

const developmentStages: Record<string, StageSettings> = {
  local: { introspection: true, stackTraces: false, fieldSuggestions: true },
  test: { introspection: true, stackTraces: false, fieldSuggestions: true },
  dev: { introspection: true, stackTraces: false, fieldSuggestions: true },
};

const production: StageSettings = { introspection: false, stackTraces: false, fieldSuggestions: false };

/** Settings follow the stage name only, never NODE_ENV: an unknown or missing stage is production. */
export function stageSettings(stage: string): StageSettings {
  return developmentStages[stage] ?? production;
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
  /** When true, only documents in the client operations' manifest are accepted. */
  readonly trustedDocuments: boolean;
}

/** Reads the configuration once, at cold start; a missing variable fails fast with its name. */
export function loadConfig(): Config {
  const stage = getStringFromEnv({ key: 'STAGE' });
  const tableNames = Object.fromEntries(tables.map((t) => [t.id, getStringFromEnv({ key: t.envVar })])) as Record<TableId, string>;
  return {
    stage,
    settings: stageSettings(stage),
    tableNames,
    suppressionThreshold: getNumberFromEnv({ key: 'SUPPRESSION_THRESHOLD', defaultValue: 5 }),
    cursorKey: cursorKeySource(),
    originSecretArn: getStringFromEnv({ key: 'ORIGIN_SECRET_ARN', defaultValue: '' }) || undefined,
    trustedDocuments: getStringFromEnv({ key: 'TRUSTED_DOCUMENTS', defaultValue: 'false' }) === 'true',
  };
}

function cursorKeySource(): CursorKeySource {
  const secretArn = getStringFromEnv({ key: 'CURSOR_KEY_SECRET_ARN', defaultValue: '' });
  if (secretArn !== '') return { secretArn };
  const value = getStringFromEnv({ key: 'CURSOR_KEY', errorMessage: 'Set CURSOR_KEY (the key itself) or CURSOR_KEY_SECRET_ARN' });
  if (value.length < 32) throw new Error('Environment variable CURSOR_KEY must hold at least 32 characters');
  return { value };
}
