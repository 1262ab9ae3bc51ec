import type { Recorded } from '../shared/provenance.js';

export type AgencyKind = 'MINISTRY' | 'DIRECTORATE' | 'MUNICIPALITY' | 'POLICE' | 'NGO' | 'OTHER';
export const agencyKinds: readonly AgencyKind[] = ['MINISTRY', 'DIRECTORATE', 'MUNICIPALITY', 'POLICE', 'NGO', 'OTHER'];

/** A name an agency has borne, from a date on (null: from before anything the platform records). */
export interface AgencyName {
  readonly name: string;
  readonly validFrom: string | null;
}

export interface AgencyRecord extends Recorded {
  readonly id: string;
  /** The current name: the last of `names`. */
  readonly name: string;
  readonly kind: AgencyKind;
  readonly parentId?: string;
  readonly source?: string;
  readonly shortName?: string | null;
  /** The 9-digit organisasjonsnummer of the Brønnøysund registers. */
  readonly organizationNumber?: string | null;
  /** Where reminders go. */
  readonly contactEmail?: string | null;
  /** Every name, oldest first (absent on records stored before names had dates: then only `name`). */
  readonly names?: readonly AgencyName[];
  /** Increases by one with every change; absent on records stored before agencies could change (1). */
  readonly version?: number;
}

/**
 * Whether a string is a valid organisasjonsnummer: nine digits, the first 8 or 9 (the Central Coordinating
 * Register for Legal Entities issues no other), the last a modulus-11 control digit over the first eight with
 * weights 3, 2, 7, 6, 5, 4, 3, 2 (a remainder giving 10 is never issued). The first digit rules out `000000000`,
 * whose control digit is right but which names nobody.
 */
export function isOrganizationNumber(value: string): boolean {
  if (!/^[89]\d{8}$/.test(value)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  const control = (11 - (sum % 11)) % 11;
  return control !== 10 && control === Number(value[8]);
}

/** The names of an agency, oldest first, also for a record stored with a name only. */
export const namesOf = (a: AgencyRecord): readonly AgencyName[] => a.names ?? [{ name: a.name, validFrom: null }];

/** The name an agency bore on a date (YYYY-MM-DD): the last name valid from then or before, else its first. */
export function nameAt(a: AgencyRecord, date: string): string {
  const names = namesOf(a);
  let found = names[0]?.name ?? a.name;
  for (const n of names) if (n.validFrom === null || n.validFrom <= date) found = n.name;
  return found;
}

/** A GraphQL Agency before it is read: fields that need more than the id load it through the batch loader. */
export interface AgencyRef {
  readonly id: string;
}
