/**
 * The caller, built in one place from the claims API Gateway's JWT authorizer verified. Only `sub`
 * and `cognito:groups` count; every other claim (custom attributes included) is ignored, and nothing
 * in a request's arguments grants a right.
 */
export type Role = 'COORDINATOR' | 'AGENCY_EDITOR' | 'FUNDER' | 'VIEWER';
export const roles: readonly Role[] = ['COORDINATOR', 'AGENCY_EDITOR', 'FUNDER', 'VIEWER'];

export interface Viewer {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** The agency of an AGENCY_EDITOR; null for everyone else. */
  readonly agencyId: string | null;
}

const AGENCY_PREFIX = 'agency:';
// A Map, not an object: a group named "constructor" must find nothing.
const roleOfGroup = new Map<string, Role>([
  ['coordinator', 'COORDINATOR'],
  ['funder', 'FUNDER'],
  ['viewer', 'VIEWER'],
]);
/** Agency ids are lower-case slugs; a group that is not one grants nothing. */
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

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
