/**
 * The caller, built in one place from the claims API Gateway's JWT authorizer verified. A person's rights come from
 * `sub` and `cognito:groups` only; a machine's (an integration's client-credentials token: no groups) from the
 * integrations registry, read by the composition root (functions/app/runtime.ts) for the token's `client_id`. Every
 * other claim (custom attributes included) is ignored, and nothing in a request's arguments grants a right.
 */
export type Role = 'COORDINATOR' | 'AGENCY_EDITOR' | 'FUNDER' | 'VIEWER';
export const roles: readonly Role[] = ['COORDINATOR', 'AGENCY_EDITOR', 'FUNDER', 'VIEWER'];

/**
 * What an integration's token may do at all, whatever its role: read (every query and export), write (every
 * mutation), publish documents (an app's document versions). A person's token is held to none of them.
 */
export type Scope = 'read' | 'write' | 'publish-documents';
export const scopes: readonly Scope[] = ['read', 'write', 'publish-documents'];

/** The OAuth resource server of the API: its scopes are `samordning/<scope>` (Cognito's custom scopes). */
export const RESOURCE_SERVER_ID = 'samordning';
export const oauthScope = (scope: Scope) => `${RESOURCE_SERVER_ID}/${scope}`;

export interface Viewer {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** The agency of an AGENCY_EDITOR; null for everyone else. */
  readonly agencyId: string | null;
  /**
   * Present only for an integration (a machine with a client-credentials token): its client id and the scopes it
   * holds, those its registration grants that its token carries too. A person has none: their rights are their roles.
   */
  readonly integration?: {
    readonly clientId: string;
    readonly scopes: readonly Scope[];
  };
}

const AGENCY_PREFIX = 'agency:';
// A Map, not an object: a group named "constructor" must find nothing.
const roleOfGroup = new Map<string, Role>([
  ['coordinator', 'COORDINATOR'],
  ['funder', 'FUNDER'],
  ['viewer', 'VIEWER'],
]);
/** Agency ids are lower-case slugs; a group that is not one grants nothing. */
export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * A group name as this parser accepts it: letters, digits and `_ . : @ + -`. The platform's own
 * groups (`coordinator`, `funder`, `viewer`, `agency:<id>`) and Cognito's federated ones
 * (`eu-north-1_AbC_Google`) fit; a name with quotes, brackets, commas, slashes or braces cannot be
 * told apart from the syntax around it, so it makes the whole claim void.
 */
const GROUP_NAME = /^[\p{L}\p{N}_.:@+-]+$/u;

/**
 * Reads the groups claim in the forms API Gateway's JWT authorizer passes it, and no other: a real
 * array of names; its flattening of an array into one string, `"[a b c]"` (the names as they are,
 * space-separated, in brackets); or one plain name. Any other form (a JSON array string, a comma
 * list) and any name outside `GROUP_NAME` void the whole claim: no groups. Reading more forms would
 * only let a group named `"coordinator"`, quotes and all, pass as `coordinator`.
 */
export function parseGroupsClaim(claim: unknown): string[] {
  let names: unknown[];
  if (Array.isArray(claim)) names = claim;
  else if (typeof claim !== 'string') return [];
  else if (claim.startsWith('[') && claim.endsWith(']'))
    names = claim
      .slice(1, -1)
      .split(' ')
      .filter((g) => g.length > 0);
  else names = [claim];
  return names.every((g) => typeof g === 'string' && GROUP_NAME.test(g)) ? (names as string[]) : [];
}

/**
 * The viewer of a set of verified claims, or null when there is no subject. A token with more than
 * one agency group gets no agency rights at all: which agency it acts for would be a guess.
 */
export function viewerFromClaims(claims: Readonly<Record<string, unknown>> | undefined): Viewer | null {
  const subject = claims?.sub;
  if (typeof subject !== 'string' || subject.length === 0) return null;
  const groups = new Set(parseGroupsClaim(claims?.['cognito:groups']));
  const roles = new Set<Role>();
  const agencies: string[] = [];
  for (const group of groups) {
    const role = roleOfGroup.get(group);
    if (role) roles.add(role);
    else if (group.startsWith(AGENCY_PREFIX) && AGENCY_ID.test(group.slice(AGENCY_PREFIX.length))) {
      agencies.push(group.slice(AGENCY_PREFIX.length));
    }
  }
  const agencyId = agencies.length === 1 ? (agencies[0] ?? null) : null;
  if (agencyId) roles.add('AGENCY_EDITOR');
  const order: Role[] = ['COORDINATOR', 'AGENCY_EDITOR', 'FUNDER', 'VIEWER'];
  return { subject, roles: order.filter((r) => roles.has(r)), agencyId };
}

/**
 * Cognito's app client ids: letters, digits, `_` and `+` (its ClientIdType), at most 128; the ids it makes are 26
 * lower-case letters and digits.
 */
export const CLIENT_ID = /^[\w+]{1,128}$/;

/** A client-credentials token, as far as it can be told from its claims: whose client, and the platform scopes it carries. */
export interface MachineToken {
  readonly clientId: string;
  readonly scopes: readonly Scope[];
}

/** A groups claim that is not there at all, or empty: a client-credentials token carries none. */
function noGroups(claim: unknown): boolean {
  return claim === undefined || claim === null || claim === '' || claim === '[]' || (Array.isArray(claim) && claim.length === 0);
}

/**
 * The client of a token Cognito issued by the client-credentials grant, or null for any other token. Such a token
 * carries `client_id` and `scope`, no groups, and its `sub` is the client id itself; a person's token has their own
 * `sub`, so no person's token (from any app client, with or without groups) is ever read as a machine's.
 */
export function machineTokenOf(claims: Readonly<Record<string, unknown>> | undefined): MachineToken | null {
  const clientId = claims?.client_id;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId) || claims?.sub !== clientId) return null;
  if (claims.token_use !== 'access' || !noGroups(claims['cognito:groups'])) return null;
  const named = typeof claims.scope === 'string' ? new Set(claims.scope.split(' ')) : new Set<string>();
  return { clientId, scopes: scopes.filter((s) => named.has(oauthScope(s))) };
}

/** What the integrations registry grants a client: a role, or an agency (role AGENCY_EDITOR), and its scopes. */
export interface IntegrationGrant {
  readonly role: Role;
  /** The agency of an AGENCY_EDITOR grant; null for the others. */
  readonly agencyId: string | null;
  readonly scopes: readonly Scope[];
}

/**
 * The viewer of a machine token whose client the registry grants `grant` (null: not registered, or revoked, which
 * grants nothing). It holds the grant's role and the scopes both the grant and the token name: a token that asked
 * for `samordning/read` only cannot write, whatever its registration allows.
 */
export function integrationViewer(token: MachineToken, grant: IntegrationGrant | null): Viewer {
  if (!grant) return { subject: token.clientId, roles: [], agencyId: null, integration: { clientId: token.clientId, scopes: [] } };
  const held = scopes.filter((s) => grant.scopes.includes(s) && token.scopes.includes(s));
  const agencyId = grant.role === 'AGENCY_EDITOR' && grant.agencyId !== null && AGENCY_ID.test(grant.agencyId) ? grant.agencyId : null;
  const role: Role | null = grant.role === 'AGENCY_EDITOR' ? (agencyId ? 'AGENCY_EDITOR' : null) : grant.role;
  return { subject: token.clientId, roles: role ? [role] : [], agencyId, integration: { clientId: token.clientId, scopes: held } };
}
