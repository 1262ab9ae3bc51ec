import { ForbiddenError, InsufficientScopeError } from './errors.js';
import type { ResponsibilityRole } from './responsibility.js';
import { oauthScope, type Scope, type Viewer } from './viewer.js';

/**
 * Every rule of the permission table of docs/permissions.md, in one place. Resolvers ask; none re-implements a
 * rule. Each rule is written once, as a `can…` predicate; its `assertCan…` form (what a mutation asks) throws
 * when the predicate says no, and the `viewerCan…` fields of the schema answer with the same predicate, so
 * what the API offers a client and what it allows cannot differ. Rules on an object are asked by the object's own field resolvers, so a direct lookup, a
 * nested field, a list item and an alias are all checked the same way.
 *
 * | action                                            | rule here                 |
 * | read plans, goals, measures, responsibilities     | canReadPlan               |
 * | create/update measures, goals, plans              | canEditPlan               |
 * | assign and remove responsibilities                | canAssign                 |
 * | create and update agencies (the directory)        | canManageAgencies         |
 * | read an agency's contact address                  | canReadAgencyContact      |
 * | submit a status report                            | canReport, reportingAgency |
 * | set a measure's status by a report                | canSetMeasureStatus       |
 * | register/update a shelter, report its capacity    | canOperateShelter, canRegisterShelter |
 * | read an address or unsuppressed occupancy         | canSeeShelterConfidential (what others see of occupancy: shelters/disclosure.ts) |
 * | create budget lines, allocate, disburse, revise   | canWriteFunding, canCreateBudgetLine |
 * | read funding totals, budget lines, allocations    | canReadFunding            |
 * | read the audit trail                              | canReadAudit, auditOwnerScope, canReadAuditEntry |
 * | replay a money write by its idempotency key       | idempotencyScope          |
 * | set a plan's reporting schedule                   | canEditPlan               |
 * | read reporting duties and progress                | canReadPlan (derived from roles and reports, which every reader reads) |
 * | milestones and indicators of a measure            | canManageMeasureResults   |
 * | the integrations registry                         | canManageIntegrations     |
 * | what an integration's token may do at all         | hasScope, assertOperationScope |
 *
 * An integration (a machine's client-credentials token, docs/integrations.md) holds the role its registration grants,
 * within its scopes: every read predicate asks `reads`, every write predicate `writes`, so an integration without
 * `samordning/write` is told `viewerCan…: false` and is refused every mutation. A person holds every scope.
 *
 * Lookups keyed by an id from a token or a request use own properties only (`roleOf`), so an
 * agency named "constructor" finds nothing on `Object.prototype`; the maps themselves are read from
 * DynamoDB without a prototype (`Fields.mapOf`), so a lookup that forgets this finds nothing either.
 */
const is = (viewer: Viewer, role: Viewer['roles'][number]) => viewer.roles.includes(role);
const isCoordinator = (viewer: Viewer) => is(viewer, 'COORDINATOR');
const isAgency = (viewer: Viewer, agencyId: string) => viewer.agencyId !== null && viewer.agencyId === agencyId;

/** Whether the viewer's token carries a scope: a person's carries every one; an integration's what it holds. */
export function hasScope(viewer: Viewer, scope: Scope): boolean {
  return viewer.integration === undefined || viewer.integration.scopes.includes(scope);
}
const reads = (viewer: Viewer) => hasScope(viewer, 'read');
const writes = (viewer: Viewer) => hasScope(viewer, 'write');

/** The scope an operation needs: a query (and a subscription) reads, a mutation writes. */
export function scopeOfOperation(operation: 'query' | 'mutation' | 'subscription'): Scope {
  return operation === 'mutation' ? 'write' : 'read';
}

/** Refuses an operation (a GraphQL operation, an export) whose scope the token lacks, before anything runs. */
export function assertOperationScope(viewer: Viewer, operation: 'query' | 'mutation' | 'subscription'): void {
  const scope = scopeOfOperation(operation);
  if (!hasScope(viewer, scope)) throw new InsufficientScopeError(oauthScope(scope));
}

/** Anyone with a valid token and at least one role reads the plan. */
export function canReadPlan(viewer: Viewer): boolean {
  return viewer.roles.length > 0 && reads(viewer);
}

export function assertCanReadPlan(viewer: Viewer): void {
  if (!canReadPlan(viewer)) throw new ForbiddenError();
}

/** An agency's contact address: the coordinator (who sends reminders) and the agency itself. */
export function canReadAgencyContact(viewer: Viewer, agencyId: string): boolean {
  return reads(viewer) && (isCoordinator(viewer) || isAgency(viewer, agencyId));
}

/** The agency directory (create and update agencies): the coordinator. */
export function canManageAgencies(viewer: Viewer): boolean {
  return isCoordinator(viewer) && writes(viewer);
}

export function assertCanManageAgencies(viewer: Viewer): void {
  if (!canManageAgencies(viewer)) throw new ForbiddenError('Only the coordinating ministry may manage the agency directory.');
}

/** Plans, goals, measures and reporting schedules: the coordinator. */
export function canEditPlan(viewer: Viewer): boolean {
  return isCoordinator(viewer) && writes(viewer);
}

export function assertCanEditPlan(viewer: Viewer): void {
  if (!canEditPlan(viewer)) throw new ForbiddenError('Only the coordinating ministry may change the plan.');
}

/** Assigning and removing responsibilities: the coordinator. */
export function canAssign(viewer: Viewer): boolean {
  return isCoordinator(viewer) && writes(viewer);
}

export function assertCanAssign(viewer: Viewer): void {
  if (!canAssign(viewer)) throw new ForbiddenError('Only the coordinating ministry may assign responsibilities.');
}

/** The role an agency holds on a measure, from the measure's own map of roles. */
export function roleOf(
  responsibilities: Readonly<Record<string, ResponsibilityRole>>,
  agencyId: string | null,
): ResponsibilityRole | undefined {
  return agencyId !== null && Object.hasOwn(responsibilities, agencyId) ? responsibilities[agencyId] : undefined;
}

/** The coordinator, or staff of an agency that holds LEAD or SHARED on the measure. */
export function canReport(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): boolean {
  return writes(viewer) && (isCoordinator(viewer) || roleOf(responsibilities, viewer.agencyId) !== undefined);
}

export function assertCanReport(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): void {
  if (!canReport(viewer, responsibilities))
    throw new ForbiddenError('Only the coordinator or an agency responsible for the measure may report on it.');
}

/** Milestones and indicators: the coordinator, or staff of the agency holding the measure's LEAD. */
export function canManageMeasureResults(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): boolean {
  return writes(viewer) && (isCoordinator(viewer) || roleOf(responsibilities, viewer.agencyId) === 'LEAD');
}

export function assertCanManageMeasureResults(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): void {
  if (!canManageMeasureResults(viewer, responsibilities))
    throw new ForbiddenError("Only the coordinator or the measure's LEAD agency may change its milestones and indicators.");
}

/** A report sets the measure's status when the coordinator or the measure's LEAD makes it; a SHARED agency's report does not. */
export function canSetMeasureStatus(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): boolean {
  return writes(viewer) && (isCoordinator(viewer) || roleOf(responsibilities, viewer.agencyId) === 'LEAD');
}

/**
 * The agency a report is filed under: the reporter's own agency when it holds a role on the measure
 * or (for the coordinator) the directory holds it; else the plan's coordinating ministry, so a
 * report never names an agency that does not exist. Null when only the plan can tell.
 */
export function reportingAgency(
  viewer: Viewer,
  responsibilities: Readonly<Record<string, ResponsibilityRole>>,
  viewerAgencyExists: boolean,
): string | null {
  if (viewer.agencyId === null) return null;
  return roleOf(responsibilities, viewer.agencyId) !== undefined || viewerAgencyExists ? viewer.agencyId : null;
}

/** Staff of the operating agency only; the coordinator does not run shelters. */
export function canOperateShelter(viewer: Viewer, operatorId: string): boolean {
  return writes(viewer) && isAgency(viewer, operatorId);
}

/** Registering a shelter: staff of an agency, for their own agency as its operator. */
export function canRegisterShelter(viewer: Viewer): boolean {
  return viewer.agencyId !== null && canOperateShelter(viewer, viewer.agencyId);
}

export function assertCanOperateShelter(viewer: Viewer, operatorId: string): void {
  if (!canOperateShelter(viewer, operatorId)) throw new ForbiddenError('Only the operating agency may do this.');
}

/** An address and exact low occupancy are for the operating agency alone. */
export function canSeeShelterConfidential(viewer: Viewer, operatorId: string): boolean {
  return reads(viewer) && isAgency(viewer, operatorId);
}

/** The coordinator, or staff of the agency that holds the budget line. */
export function canWriteFunding(viewer: Viewer, lineAgencyId: string): boolean {
  return writes(viewer) && (isCoordinator(viewer) || isAgency(viewer, lineAgencyId));
}

/** Creating a budget line: the coordinator (for any agency), or staff of an agency (for their own). */
export function canCreateBudgetLine(viewer: Viewer): boolean {
  return writes(viewer) && (isCoordinator(viewer) || (viewer.agencyId !== null && canWriteFunding(viewer, viewer.agencyId)));
}

export function assertCanWriteFunding(viewer: Viewer, lineAgencyId: string): void {
  if (!canWriteFunding(viewer, lineAgencyId))
    throw new ForbiddenError('Only the coordinator or the agency holding the budget line may do this.');
}

export function canReadFunding(viewer: Viewer): boolean {
  return viewer.roles.length > 0 && reads(viewer);
}

export function assertCanReadFunding(viewer: Viewer): void {
  if (!canReadFunding(viewer)) throw new ForbiddenError();
}

/** The coordinator reads every entry; an agency reads entries about its own entities. */
export function canReadAuditEntry(viewer: Viewer, ownerAgencyIds: readonly string[]): boolean {
  if (!reads(viewer)) return false;
  if (isCoordinator(viewer)) return true;
  return viewer.agencyId !== null && ownerAgencyIds.includes(viewer.agencyId);
}

/** Whose entries of a trail the viewer reads: null for every entry (the coordinator), else its own agency's view. */
export function auditOwnerScope(viewer: Viewer): string | null {
  return isCoordinator(viewer) ? null : viewer.agencyId;
}

/** Idempotency keys are the client's own: each agency, and the coordinator, has a key space of its own. */
export function idempotencyScope(viewer: Viewer): string {
  return viewer.agencyId ? `agency:${viewer.agencyId}` : 'coordinator';
}

/** Whether the viewer may read any audit trail at all (funders and viewers may not). */
export function canReadAudit(viewer: Viewer): boolean {
  return reads(viewer) && (isCoordinator(viewer) || viewer.agencyId !== null);
}

export function assertCanReadAudit(viewer: Viewer): void {
  if (!canReadAudit(viewer)) throw new ForbiddenError('You may not read the audit trail.');
}

/**
 * The integrations registry (register, change, revoke, list): a person of the coordinating ministry. An integration
 * never manages integrations, whatever its role and scopes: a machine's credential cannot mint or widen another's.
 */
export function canManageIntegrations(viewer: Viewer): boolean {
  return isCoordinator(viewer) && viewer.integration === undefined;
}

export function assertCanManageIntegrations(viewer: Viewer): void {
  if (!canManageIntegrations(viewer)) throw new ForbiddenError('Only a person of the coordinating ministry may manage integrations.');
}
