import { measureOrderKey, type ResponsibilityRole, responsibilityRoles } from '../../plans/plans.model.js';
import { Fields, type Item, put, remove, type TxItem } from '../../shared/entity.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { ResponsibilityRecord } from '../agencies.model.js';

export const agencyResponsibilitiesPk = (agencyId: string) => `AGENCY#${agencyId}`;

/**
 * An agency's role on a measure (`MEASURE#<id>` / `AGENCY#<agencyId>`), listed under the agency
 * (gsi1): LEAD before SHARED, each in plan order. The measure item holds the same roles, kept in
 * the same transaction, and is what a measure's own reads use.
 */
export const responsibilityEntity = {
  table: 'responsibilities',
  key: (measureId: string, agencyId: string) => ({ pk: `MEASURE#${measureId}`, sk: `AGENCY#${agencyId}` }),

  toItem(r: ResponsibilityRecord, measureNumber: number | null): Item {
    return {
      ...responsibilityEntity.key(r.measureId, r.agencyId),
      gsi1pk: agencyResponsibilitiesPk(r.agencyId),
      gsi1sk: responsibilityEntity.agencySk(r.role, measureNumber, r.measureId),
      measureId: r.measureId,
      agencyId: r.agencyId,
      role: r.role,
      ...provenanceAttribute(r.provenance),
    };
  },

  /** LEAD sorts before SHARED, then measures in plan order. */
  agencySk: (role: ResponsibilityRole, measureNumber: number | null, measureId: string) =>
    `${role}#${measureOrderKey(measureNumber, measureId)}`,

  parse(item: Item): ResponsibilityRecord {
    const f = new Fields(item, 'responsibility');
    return {
      measureId: f.string('measureId'),
      agencyId: f.string('agencyId'),
      role: f.oneOf('role', responsibilityRoles),
      ...readProvenance(f),
    };
  },

  put(r: ResponsibilityRecord, measureNumber: number | null): TxItem {
    return put('responsibilities', responsibilityEntity.toItem(r, measureNumber));
  },

  remove(measureId: string, agencyId: string): TxItem {
    return remove('responsibilities', responsibilityEntity.key(measureId, agencyId));
  },
} as const;
