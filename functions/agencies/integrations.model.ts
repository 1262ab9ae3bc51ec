import type { Recorded } from '../shared/provenance.js';
import type { IntegrationGrant, Role, Scope } from '../shared/viewer.js';

/** ACTIVE: its tokens hold its grant. REVOKED: they hold nothing, for good (a revoked client id is never registered again). */
export type IntegrationStatus = 'ACTIVE' | 'REVOKED';
export const integrationStatuses: readonly IntegrationStatus[] = ['ACTIVE', 'REVOKED'];

/**
 * An entry of the integrations registry: a machine (a funder's analysis job, an agency's case system, a nightly
 * export) that signs in with the client-credentials grant as the app client `clientId`, and what it may do. It holds
 * one role: COORDINATOR, FUNDER or VIEWER, or AGENCY_EDITOR of `agencyId`; and its scopes.
 */
export interface IntegrationRecord extends Recorded {
  /** The Cognito app client's id (locally, the local issuer's client): the token's `client_id`. */
  readonly clientId: string;
  /** What it is, for people reading the registry, e.g. "Finansiørens analysejobb". */
  readonly name: string;
  readonly role: Role;
  /** The agency of an AGENCY_EDITOR; null for the other roles. */
  readonly agencyId: string | null;
  readonly scopes: readonly Scope[];
  readonly status: IntegrationStatus;
  /** Increases by one with every change; `updateIntegration` and `revokeIntegration` name the version they were read at. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the registry grants the entry's tokens: its role and scopes while ACTIVE, nothing once REVOKED. */
export function grantOf(integration: IntegrationRecord | undefined): IntegrationGrant | null {
  if (integration?.status !== 'ACTIVE') return null;
  return { role: integration.role, agencyId: integration.agencyId, scopes: integration.scopes };
}
