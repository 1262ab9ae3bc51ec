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
