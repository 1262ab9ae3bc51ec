import type { ResponsibilityRole } from '../plans/plans.model.js';

export type AgencyKind = 'MINISTRY' | 'DIRECTORATE' | 'MUNICIPALITY' | 'POLICE' | 'NGO' | 'OTHER';
export const agencyKinds: readonly AgencyKind[] = ['MINISTRY', 'DIRECTORATE', 'MUNICIPALITY', 'POLICE', 'NGO', 'OTHER'];

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
