import type { ResponsibilityRole, Role } from '../graphql';

/**
 * What the viewer may do, from `viewer { roles agency { id } }`, mirroring docs/permissions.md
 * so each page offers only what the server will allow. The server still decides every request.
 */
export interface Rights {
  roles: readonly Role[];
  agencyId: string | null;
  isCoordinator: boolean;
  /** Create and update measures; assign and remove responsibilities. */
  canEditPlan: boolean;
  /** Submit a status report on a measure with these responsibilities. */
  canReport: (responsibilities: readonly { role: ResponsibilityRole; agency: { id: string } }[]) => boolean;
  /** Add, edit and complete milestones; define indicators and record their values (the coordinator or the measure's LEAD). */
  canManageResults: (responsibilities: readonly { role: ResponsibilityRole; agency: { id: string } }[]) => boolean;
  /** Register a shelter for, update, and report capacity of a shelter run by this agency. */
  canOperateShelter: (operatorId: string) => boolean;
  /** Allocate and disburse on a budget line held by this agency; create its budget lines. */
  canWriteFunding: (lineAgencyId: string) => boolean;
  /** Read the audit trail (the coordinator all of it, an agency entries about its own entities). */
  canReadAudit: boolean;
}

export function rightsOf(viewer: { roles: readonly Role[]; agency?: { id: string } | null } | null | undefined): Rights {
  const roles = viewer?.roles ?? [];
  const isCoordinator = roles.includes('COORDINATOR');
  const agencyId = roles.includes('AGENCY_EDITOR') ? (viewer?.agency?.id ?? null) : null;
  return {
    roles,
    agencyId,
    isCoordinator,
    canEditPlan: isCoordinator,
    canReport: (responsibilities) => isCoordinator || (agencyId !== null && responsibilities.some((r) => r.agency.id === agencyId)),
    canManageResults: (responsibilities) =>
      isCoordinator || (agencyId !== null && responsibilities.some((r) => r.role === 'LEAD' && r.agency.id === agencyId)),
    canOperateShelter: (operatorId) => agencyId !== null && agencyId === operatorId,
    canWriteFunding: (lineAgencyId) => isCoordinator || (agencyId !== null && agencyId === lineAgencyId),
    canReadAudit: isCoordinator || agencyId !== null,
  };
}
