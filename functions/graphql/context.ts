import { HeaderMap } from '@apollo/server';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GraphQLError } from 'graphql';
import { AgenciesRepository } from '../agencies/agencies.repository.js';
import { AgencyWrites } from '../agencies/agencies.writes.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { FundingRepository } from '../funding/funding.repository.js';
import { FundingWrites } from '../funding/funding.writes.js';
import { PlansRepository } from '../plans/plans.repository.js';
import { PlanWrites } from '../plans/plans.writes.js';
import type { Config } from '../shared/config.js';
import { Cursors } from '../shared/cursor.js';
import type { Db } from '../shared/db.js';
import { createItemLoader } from '../shared/item-loader.js';
import { type Viewer, viewerFromClaims } from '../shared/viewer.js';
import { SheltersRepository } from '../shelters/shelters.repository.js';
import { ShelterWrites } from '../shelters/shelters.writes.js';

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
  readonly writes: {
    readonly plans: PlanWrites;
    readonly agencies: AgencyWrites;
    readonly shelters: ShelterWrites;
    readonly funding: FundingWrites;
  };
  /** The request's batch loader, for a write that must read again from scratch. */
  readonly loaderCache: { clearAll(): void };
}

/** The parts of an API Gateway v2 event the context needs; the JWT authorizer puts verified claims here. */
export interface ContextEvent {
  readonly requestContext: {
    readonly requestId: string;
    readonly authorizer?: { readonly jwt?: { readonly claims?: Readonly<Record<string, unknown>> } };
  };
}

/**
 * Builds a request's context: the viewer from the verified claims, and fresh repositories over one
 * batch loader, so that nothing read for one request is ever served to another.
 */
export function createContext(event: ContextEvent, client: DynamoDBDocumentClient, config: Config): Context {
  const viewer = viewerFromClaims(event.requestContext.authorizer?.jwt?.claims);
  if (!viewer) {
    // Apollo reads `http` to set the response's status and headers (graphql-yoga's types, present for the dev IDE, say otherwise).
    const extensions: Record<string, unknown> = {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
    };
    throw new GraphQLError('A valid access token is required.', { extensions });
  }
  const db: Db = { client, config, loader: createItemLoader(client), cursors: new Cursors(config.cursorKey) };
  return {
    viewer,
    requestId: event.requestContext.requestId,
    config,
    plans: new PlansRepository(db),
    agencies: new AgenciesRepository(db),
    funding: new FundingRepository(db),
    audit: new AuditRepository(db),
    shelters: new SheltersRepository(db),
    writes: { plans: new PlanWrites(db), agencies: new AgencyWrites(db), shelters: new ShelterWrites(db), funding: new FundingWrites(db) },
    loaderCache: db.loader,
  };
}
