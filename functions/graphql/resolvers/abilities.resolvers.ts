import {
  canAssign,
  canCreateBudgetLine,
  canEditPlan,
  canManageAgencies,
  canManageMeasureResults,
  canOperateShelter,
  canReadAgencyContact,
  canReadAudit,
  canReadAuditEntry,
  canRegisterShelter,
  canReport,
  canSeeShelterConfidential,
  canSetMeasureStatus,
  canWriteFunding,
} from '../../shared/policy.js';
import type { Resolvers } from '../generated/resolvers.js';

/**
 * The `viewerCan…` fields (schema/abilities.graphql): each asks the predicate of the policy that the
 * mutation it names asks, from the parent record alone, so it costs no request and cannot disagree.
 */
export const abilitiesResolvers: Resolvers = {
  Viewer: {
    canEditPlans: (viewer) => canEditPlan(viewer),
    canManageAgencies: (viewer) => canManageAgencies(viewer),
    canReadAudit: (viewer) => canReadAudit(viewer),
    canRegisterShelter: (viewer) => canRegisterShelter(viewer),
    canCreateBudgetLine: (viewer) => canCreateBudgetLine(viewer),
  },
  ActionPlan: {
    viewerCanEdit: (_plan, _args, ctx) => canEditPlan(ctx.viewer),
    viewerCanCreateMeasure: (_plan, _args, ctx) => canEditPlan(ctx.viewer),
    viewerCanSetReportingSchedule: (_plan, _args, ctx) => canEditPlan(ctx.viewer),
  },
  Measure: {
    viewerCanEdit: (_measure, _args, ctx) => canEditPlan(ctx.viewer),
    viewerCanAssign: (_measure, _args, ctx) => canAssign(ctx.viewer),
    viewerCanReport: (measure, _args, ctx) => canReport(ctx.viewer, measure.responsibilities),
    viewerCanSetStatus: (measure, _args, ctx) => canSetMeasureStatus(ctx.viewer, measure.responsibilities),
    viewerCanManageResults: (measure, _args, ctx) => canManageMeasureResults(ctx.viewer, measure.responsibilities),
  },
  Shelter: {
    viewerCanUpdate: (shelter, _args, ctx) => canOperateShelter(ctx.viewer, shelter.operatorId),
    viewerCanReportCapacity: (shelter, _args, ctx) => canOperateShelter(ctx.viewer, shelter.operatorId),
    viewerCanReadAddress: (shelter, _args, ctx) => canSeeShelterConfidential(ctx.viewer, shelter.operatorId),
  },
  BudgetLine: {
    viewerCanAllocate: (line, _args, ctx) => canWriteFunding(ctx.viewer, line.agencyId),
    viewerCanRevise: (line, _args, ctx) => canWriteFunding(ctx.viewer, line.agencyId),
  },
  Allocation: {
    viewerCanDisburse: (allocation, _args, ctx) => canWriteFunding(ctx.viewer, allocation.lineAgencyId),
  },
  Agency: {
    viewerCanEdit: (_agency, _args, ctx) => canManageAgencies(ctx.viewer),
    viewerCanReadContact: (agency, _args, ctx) => canReadAgencyContact(ctx.viewer, agency.id),
    viewerCanReadAuditTrail: (agency, _args, ctx) => canReadAuditEntry(ctx.viewer, [agency.id]),
    viewerCanCreateBudgetLine: (agency, _args, ctx) => canWriteFunding(ctx.viewer, agency.id),
  },
};
