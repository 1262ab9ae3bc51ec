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
 * Reads the groups claim in every form API Gateway can pass it: a real array, a JSON array string,
 * the authorizer's flattened `"[a b]"`, or a single group name.
 */
export function parseGroupsClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string').map((g) => g.trim());
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parseGroupsClaim(parsed);
    } catch {
      // Not JSON: API Gateway's own "[a b]" form, handled below.
    }
  }
  // API Gateway separates the groups of "[a b]" by spaces; a comma is part of a group's name, never a separator.
  return text
    .replace(/^\[|\]$/g, '')
    .split(/\s+/)
    .filter((g) => g.length > 0);
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
