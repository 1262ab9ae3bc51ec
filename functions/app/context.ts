import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgenciesRepository } from '../agencies/agencies.repository.js';
import { type GroupDirectory, groupDirectory } from '../agencies/groups.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { FundingRepository } from '../funding/funding.repository.js';
import { PlansRepository } from '../plans/plans.repository.js';
import { type Config, isDevelopmentStage } from '../shared/config.js';
import { Cursors } from '../shared/cursor.js';
import type { Db } from '../shared/db.js';
import { UnauthenticatedError } from '../shared/errors.js';
import { createItemLoader } from '../shared/item-loader.js';
import { logger } from '../shared/logger.js';
import { type Viewer, viewerFromClaims } from '../shared/viewer.js';
import { SheltersRepository } from '../shelters/shelters.repository.js';

/** What every resolver of one request receives. */
export interface Context {
  readonly viewer: Viewer;
  readonly requestId: string;
  readonly config: Config;
  readonly plans: PlansRepository;
  readonly agencies: AgenciesRepository;
  readonly funding: FundingRepository;
  readonly audit: AuditRepository;
  readonly shelters: SheltersRepository;
  /** The request's batch loader, for a write that must read again from scratch. */
  readonly loaderCache: { clearAll(): void };
  /** Where agencies' sign-in groups are made. */
  readonly groups: GroupDirectory;
}

/** One repository per table over one Db, sharing one audit repository: what the API and the data loaders write through. */
export function createRepositories(db: Db) {
  const audit = new AuditRepository(db);
  return {
    plans: new PlansRepository(db, audit),
    agencies: new AgenciesRepository(db, audit),
    shelters: new SheltersRepository(db, audit),
    funding: new FundingRepository(db, audit),
    audit,
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** The parts of an API Gateway v2 event the context needs; the JWT authorizer puts verified claims here. */
export interface ContextEvent {
  readonly requestContext: {
    readonly requestId: string;
    readonly authorizer?: { readonly jwt?: { readonly claims?: Readonly<Record<string, unknown>> } };
  };
}

/**
 * Builds a request's context: the viewer (a person's from the verified claims, unless the caller resolved it
 * already: an integration's comes from the registry, `requestContexts`), and fresh repositories over one batch
 * loader, so that nothing read for one request is ever served to another.
 */
export function createContext(
  event: ContextEvent,
  client: DynamoDBDocumentClient,
  config: Config,
  cursors: Cursors = fixedCursors(config),
  resolved?: Viewer | null,
): Context {
  // Every log line of this request, and the correlation id of a masked error, carry API Gateway's request id.
  logger.setCorrelationId(event.requestContext.requestId);
  const viewer = resolved === undefined ? viewerFromClaims(event.requestContext.authorizer?.jwt?.claims) : resolved;
  if (!viewer) throw new UnauthenticatedError();
  const db: Db = { client, config, loader: createItemLoader(client), cursors };
  const groups = groupDirectory(config.userPoolId, config.stage, config.localRun || isDevelopmentStage(config.stage));
  return { viewer, requestId: event.requestContext.requestId, config, ...createRepositories(db), loaderCache: db.loader, groups };
}

/** The signer of a configuration that holds the cursor key itself (local, tests, scripts); the handler reads a secret's. */
export function fixedCursors(config: Config): Cursors {
  if (!('value' in config.cursorKey)) throw new Error('The cursor key is in Secrets Manager: pass the signer CursorKeyring gives');
  return new Cursors(config.cursorKey.value);
}
