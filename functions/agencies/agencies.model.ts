import type { ResponsibilityRole } from '../plans/plans.model.js';

export type AgencyKind = 'MINISTRY' | 'DIRECTORATE' | 'MUNICIPALITY' | 'POLICE' | 'NGO' | 'OTHER';

export interface AgencyRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly parentId?: string;
  readonly source?: string;
}

/** A GraphQL Agency before it is read: fields that need more than the id load it through the batch loader. */
export interface AgencyRef {
  readonly id: string;
}

export interface ResponsibilityRecord {
  readonly measureId: string;
  readonly agencyId: string;
  readonly role: ResponsibilityRole;
}

export const agencyKey = (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'AGENCY' });
export const agencyDirectoryPk = 'AGENCIES';
export const responsibilityKey = (measureId: string, agencyId: string) => ({ pk: `MEASURE#${measureId}`, sk: `AGENCY#${agencyId}` });
export const agencyResponsibilitiesPk = (agencyId: string) => `AGENCY#${agencyId}`;
/** LEAD sorts before SHARED, then measures in plan order. */
export const agencyResponsibilitySk = (role: ResponsibilityRole, measureOrderKey: string) => `${role}#${measureOrderKey}`;
