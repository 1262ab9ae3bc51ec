import type { ResponsibilityRole } from '../plans/plans.model.js';
import { perturbed } from '../shelters/disclosure.js';
import type { OwnPart } from '../shelters/shelters.model.js';
import { ForbiddenError } from './errors.js';
import type { Viewer } from './viewer.js';

/**
 * Every rule of the permission table of docs/permissions.md, in one place. Resolvers ask; none re-implements a
 * rule. Rules on an object are asked by the object's own field resolvers, so a direct lookup, a
 * nested field, a list item and an alias are all checked the same way.
 *
 * | action                                            | rule here                 |
 * | read plans, goals, measures, responsibilities     | canReadPlan               |
 * | create/update measures, goals, plans              | assertCanEditPlan         |
 * | assign and remove responsibilities                | assertCanAssign           |
 * | create and update agencies (the directory)        | assertCanManageAgencies   |
 * | read an agency's contact address                  | canReadAgencyContact      |
 * | submit a status report                            | assertCanReport, reportingAgency |
 * | set a measure's status by a report                | canSetMeasureStatus       |
 * | register/update a shelter, report its capacity    | assertCanOperateShelter   |
 * | read an address or unsuppressed occupancy         | canSeeShelterConfidential, visibleOccupancy, visibleAggregateOccupancy |
 * | create budget lines, allocate, disburse           | assertCanWriteFunding     |
 * | read funding totals, budget lines, allocations    | assertCanReadFunding      |
 * | read the audit trail                              | assertCanReadAudit, auditOwnerScope, canReadAuditEntry |
 * | replay a money write by its idempotency key       | idempotencyScope          |
 * | set a plan's reporting schedule                   | assertCanEditPlan         |
 * | read reporting duties and progress                | canReadPlan (derived from roles and reports, which every reader reads) |
 * | milestones and indicators of a measure            | assertCanManageMeasureResults |
 *
 * Lookups keyed by an id from a token or a request use own properties only (`roleOf`), so an
 * agency named "constructor" finds nothing on `Object.prototype`; the maps themselves are read from
 * DynamoDB without a prototype (`Fields.mapOf`), so a lookup that forgets this finds nothing either.
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

/** An agency's contact address: the coordinator (who sends reminders) and the agency itself. */
export function canReadAgencyContact(viewer: Viewer, agencyId: string): boolean {
  return isCoordinator(viewer) || isAgency(viewer, agencyId);
}

export function assertCanManageAgencies(viewer: Viewer): void {
  if (!isCoordinator(viewer)) throw new ForbiddenError('Only the coordinating ministry may manage the agency directory.');
}

export function assertCanEditPlan(viewer: Viewer): void {
  if (!isCoordinator(viewer)) throw new ForbiddenError('Only the coordinating ministry may change the plan.');
}

export function assertCanAssign(viewer: Viewer): void {
  if (!isCoordinator(viewer)) throw new ForbiddenError('Only the coordinating ministry may assign responsibilities.');
}

/** The role an agency holds on a measure, from the measure's own map of roles. */
export function roleOf(
  responsibilities: Readonly<Record<string, ResponsibilityRole>>,
  agencyId: string | null,
): ResponsibilityRole | undefined {
  return agencyId !== null && Object.hasOwn(responsibilities, agencyId) ? responsibilities[agencyId] : undefined;
}

/** The coordinator, or staff of an agency that holds LEAD or SHARED on the measure. */
export function assertCanReport(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): void {
  if (isCoordinator(viewer)) return;
  if (roleOf(responsibilities, viewer.agencyId) !== undefined) return;
  throw new ForbiddenError('Only the coordinator or an agency responsible for the measure may report on it.');
}

/** Milestones and indicators: the coordinator, or staff of the agency holding the measure's LEAD. */
export function assertCanManageMeasureResults(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): void {
  if (isCoordinator(viewer)) return;
  if (roleOf(responsibilities, viewer.agencyId) === 'LEAD') return;
  throw new ForbiddenError("Only the coordinator or the measure's LEAD agency may change its milestones and indicators.");
}

/** A report sets the measure's status when the coordinator or the measure's LEAD makes it; a SHARED agency's report does not. */
export function canSetMeasureStatus(viewer: Viewer, responsibilities: Readonly<Record<string, ResponsibilityRole>>): boolean {
  return isCoordinator(viewer) || roleOf(responsibilities, viewer.agencyId) === 'LEAD';
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

export function assertCanReadFunding(viewer: Viewer): void {
  if (viewer.roles.length === 0) throw new ForbiddenError();
}

/** The coordinator reads every entry; an agency reads entries about its own entities. */
export function canReadAuditEntry(viewer: Viewer, ownerAgencyIds: readonly string[]): boolean {
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
export function assertCanReadAudit(viewer: Viewer): void {
  if (!isCoordinator(viewer) && viewer.agencyId === null) throw new ForbiddenError('You may not read the audit trail.');
}

/** The parameters of disclosure control (docs/privacy.md): the suppression threshold and the noise bound. */
export interface DisclosureRules {
  readonly threshold: number;
  readonly bound: number;
}

/** What a reader may see of an occupancy figure. */
export interface SeenOccupancy {
  readonly occupied: number | null;
  readonly suppressed: boolean;
}

/**
 * One shelter's occupancy as a reader may see it: exact for its operating agency; for anyone else
 * withheld when below the threshold, so that a small count cannot point to a person, and else
 * perturbed by the noise of its record key (docs/privacy.md), the same noise a region's figure made of
 * this report alone gets.
 */
export function visibleOccupancy(
  viewer: Viewer,
  operatorId: string | null,
  figure: { readonly occupied: number; readonly capacity: number; readonly keySum: number },
  rules: DisclosureRules,
): SeenOccupancy {
  if (operatorId !== null && canSeeShelterConfidential(viewer, operatorId)) return { occupied: figure.occupied, suppressed: false };
  if (figure.occupied < rules.threshold) return { occupied: null, suppressed: true };
  return { occupied: perturbed(figure.occupied, figure.keySum, rules.bound, figure.capacity), suppressed: false };
}

/** One part of a sum of occupancy: a region's figure, with its small part (shelters below the threshold), its key sum and each agency's part. */
export interface OccupancyPart {
  readonly occupied: number;
  readonly reportingShelters: number;
  readonly smallShelters: number;
  readonly smallOccupied: number;
  readonly keySum: number;
  readonly own: Readonly<Record<string, OwnPart>>;
}

const NO_PART: OwnPart = { keySum: 0, occupied: 0, reportingShelters: 0, smallShelters: 0 };

/** The part of a sum the reader's own agency makes: figures it knows, and record keys it could change by writing. */
function readersPart(viewer: Viewer, part: OccupancyPart): OwnPart {
  const agencyId = viewer.agencyId;
  return agencyId !== null && Object.hasOwn(part.own, agencyId) ? (part.own[agencyId] ?? NO_PART) : NO_PART;
}

/**
 * Occupancy of a sum over shelters (a region, or the country as the sum of its regions), for any
 * reader (docs/privacy.md). The reader knows its own agency's shelters, and shelters at or over the
 * threshold are shown one by one (perturbed), so what a sum adds to the reader's knowledge is the part
 * of the others, and a sum minus what is shown leaves the others' small shelters. The sum is withheld
 * when the others' part is below the threshold or holds exactly one small shelter, and so is every sum
 * from which a reader could isolate one by subtraction (the country minus the regions shown leaves the
 * regions withheld). The rule reads only the others' part and counts their small shelters without
 * weighing them, so nothing the reader writes changes what it is shown, and whether a sum is shown
 * says nothing about a hidden figure beyond the others' total. A sum shown is perturbed by the noise of
 * the others' cell key (the sum of their records' keys), so nothing the reader writes draws fresh
 * noise for it either; a sum of the reader's own shelters alone is exact, as they are.
 */
export function visibleAggregateOccupancy(
  viewer: Viewer,
  parts: readonly OccupancyPart[],
  capacity: number,
  rules: DisclosureRules,
): SeenOccupancy {
  const { threshold } = rules;
  const others = parts.map((p) => {
    const mine = readersPart(viewer, p);
    return {
      occupied: p.occupied - mine.occupied,
      reportingShelters: p.reportingShelters - mine.reportingShelters,
      smallShelters: p.smallShelters - mine.smallShelters,
      keySum: p.keySum - mine.keySum,
    };
  });
  type Part = (typeof others)[number];
  const sum = (ps: readonly Part[]): Part => ({
    occupied: ps.reduce((s, p) => s + p.occupied, 0),
    reportingShelters: ps.reduce((s, p) => s + p.reportingShelters, 0),
    smallShelters: ps.reduce((s, p) => s + p.smallShelters, 0),
    keySum: ps.reduce((s, p) => s + p.keySum, 0),
  });
  // One small shelter of the others is isolated by the subtraction; none, or two and more, are not.
  const smallSafe = (p: Part) => p.smallShelters !== 1;
  const safe = (p: Part) => p.reportingShelters === 0 || (p.occupied >= threshold && smallSafe(p));
  const total = sum(others);
  const occupied = parts.reduce((s, p) => s + p.occupied, 0);
  const reporting = parts.reduce((s, p) => s + p.reportingShelters, 0);
  if (reporting === 0) return { occupied: null, suppressed: true };
  if (total.reportingShelters === 0) return { occupied, suppressed: false };
  const withheld = sum(others.filter((p) => !safe(p)));
  if (!(safe(total) && smallSafe(withheld))) return { occupied: null, suppressed: true };
  return { occupied: perturbed(occupied, total.keySum, rules.bound, capacity), suppressed: false };
}
