import { ForbiddenError } from './errors.js';
import type { Viewer } from './viewer.js';

/**
 * Every rule of DESIGN.md's "Who may do what", in one place. Resolvers ask; none re-implements a
 * rule. Rules on an object are asked by the object's own field resolvers, so a direct lookup, a
 * nested field, a list item and an alias are all checked the same way.
 *
 * | action                                            | rule here                 |
 * | read plans, goals, measures, responsibilities     | canReadPlan               |
 * | create/update measures, goals, plans              | assertCanEditPlan         |
 * | assign and remove responsibilities                | assertCanAssign           |
 * | submit a status report                            | assertCanReport           |
 * | register/update a shelter, report its capacity    | assertCanOperateShelter   |
 * | read an address or unsuppressed occupancy         | canSeeShelterConfidential, visibleOccupancy |
 * | create budget lines, allocate, disburse           | assertCanWriteFunding     |
 * | read funding totals, budget lines, allocations    | canReadFunding            |
 * | read the audit trail                              | canReadAuditEntry         |
 */
const is = (viewer: Viewer, role: Viewer['roles'][number]) => viewer.roles.includes(role);
const isCoordinator = (viewer: Viewer) => is(viewer, 'COORDINATOR');
const isAgency = (viewer: Viewer, agencyId: string) => viewer.agencyId !== null && viewer.agencyId === agencyId;

/** Anyone with a valid token and at least one role reads the plan. */
export function canReadPlan(viewer: Viewer): boolean {
  return viewer.roles.length > 0;
}

export function assertCanReadPlan(viewer: Viewer): void {
  if (!canReadPlan(viewer)) throw new ForbiddenError();
}

export function assertCanEditPlan(viewer: Viewer): void {
  if (!isCoordinator(viewer)) throw new ForbiddenError('Only the coordinating ministry may change the plan.');
}

export function assertCanAssign(viewer: Viewer): void {
  if (!isCoordinator(viewer)) throw new ForbiddenError('Only the coordinating ministry may assign responsibilities.');
}

/** The coordinator, or staff of an agency that holds LEAD or SHARED on the measure. */
export function assertCanReport(viewer: Viewer, responsibilities: Readonly<Record<string, string>>): void {
  if (isCoordinator(viewer)) return;
  if (viewer.agencyId !== null && responsibilities[viewer.agencyId] !== undefined) return;
  throw new ForbiddenError('Only the coordinator or an agency responsible for the measure may report on it.');
}

/** Staff of the operating agency only; the coordinator does not run shelters. */
export function assertCanOperateShelter(viewer: Viewer, operatorId: string): void {
  if (!isAgency(viewer, operatorId)) throw new ForbiddenError('Only the operating agency may do this.');
}

/** An address and exact low occupancy are for the operating agency alone. */
export function canSeeShelterConfidential(viewer: Viewer, operatorId: string): boolean {
  return isAgency(viewer, operatorId);
}

/** The coordinator, or staff of the agency that holds the budget line. */
export function assertCanWriteFunding(viewer: Viewer, lineAgencyId: string): void {
  if (isCoordinator(viewer) || isAgency(viewer, lineAgencyId)) return;
  throw new ForbiddenError('Only the coordinator or the agency holding the budget line may do this.');
}

export function canReadFunding(viewer: Viewer): boolean {
  return viewer.roles.length > 0;
}

/** The coordinator reads every entry; an agency reads entries about its own entities. */
export function canReadAuditEntry(viewer: Viewer, ownerAgencyIds: readonly string[]): boolean {
  if (isCoordinator(viewer)) return true;
  return viewer.agencyId !== null && ownerAgencyIds.includes(viewer.agencyId);
}

/** Whether the viewer may read any audit trail at all (funders and viewers may not). */
export function assertCanReadAudit(viewer: Viewer): void {
  if (!isCoordinator(viewer) && viewer.agencyId === null) throw new ForbiddenError('You may not read the audit trail.');
}

/**
 * Occupancy as a reader may see it: exact for the operating agency of the one shelter it concerns;
 * for anyone else (and for sums over several operators) withheld when below the threshold, so that
 * a small count cannot point to a person.
 */
export function visibleOccupancy(
  viewer: Viewer,
  operatorId: string | null,
  occupied: number,
  threshold: number,
): { readonly occupied: number | null; readonly suppressed: boolean } {
  if (operatorId !== null && canSeeShelterConfidential(viewer, operatorId)) return { occupied, suppressed: false };
  return occupied < threshold ? { occupied: null, suppressed: true } : { occupied, suppressed: false };
}
