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
  /**
   * What identifies the change, stored whether or not it changed (the diff drops unchanged fields): the
   * agency and period of a report, the day of a capacity report. Ids and public values only, never an
   * address or an occupancy; the change events carry them (functions/events/).
   */
  readonly facts?: Readonly<Record<string, string | number>>;
}
