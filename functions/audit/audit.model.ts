import type { Role } from '../shared/viewer.js';

/** One append-only audit entry. `changes` holds JSON of the changed fields, before and after. */
export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly subject: string; readonly roles: readonly Role[]; readonly agencyId: string | null };
  readonly action: string;
  readonly entityId: string;
  readonly changes: string | null;
  /** Agencies whose own entity this entry is about; they may read it. */
  readonly ownerAgencyIds: readonly string[];
}

export const auditEntityPk = (entityId: string) => `ENTITY#${entityId}`;
/** An owner agency's view of an entity's trail: copies of the entries about its own entities. */
export const auditOwnerPk = (entityId: string, agencyId: string) => `ENTITY#${entityId}#OWNER#${agencyId}`;
/** Newest first when read backwards: the sort key begins with the instant. */
export const auditSk = (at: string, id: string) => `${at}#${id}`;
