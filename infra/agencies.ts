/**
 * The agencies whose staff get a Cognito group `agency:<id>` in every stage. The ids are the ones the
 * seed data uses for the same agencies, so a user placed in `agency:nav` edits NAV's measures and nothing else.
 *
 * To add an agency for one deployment only, pass its id in the `extraAgencies` context key
 * (`npx cdk deploy -c stage=dev -c extraAgencies=politiet,kripos`); to add it for good, add it here.
 */
export interface Agency {
  /** Lower-case id, as in `agency:<id>` and in the agency directory. */
  readonly id: string;
  readonly name: string;
}

export const SEEDED_AGENCIES = [
  { id: 'jd', name: 'Justis- og politidepartementet' },
  { id: 'nav', name: 'Arbeids- og velferdsdirektoratet' },
  { id: 'ad', name: 'Arbeidsdepartementet' },
  { id: 'bld', name: 'Barne-, likestillings- og inkluderingsdepartementet' },
  { id: 'fd', name: 'Forsvarsdepartementet' },
  { id: 'hod', name: 'Helse- og omsorgsdepartementet' },
  { id: 'krd', name: 'Kommunal- og regionaldepartementet' },
  { id: 'ud', name: 'Utenriksdepartementet' },
  { id: 'kirkens-bymisjon', name: 'Kirkens Bymisjon (NGO operating Lauras Hus)' },
] as const satisfies readonly Agency[];

/** The role groups of DESIGN.md "Who may do what", besides the per-agency groups. */
export const ROLE_GROUPS = [
  {
    name: 'coordinator',
    description: 'Coordinating ministry: keeps the plan, assigns responsibilities, sees everything but shelter addresses',
  },
  { name: 'funder', description: 'Read-only: capacity, utilisation and funding totals' },
  { name: 'viewer', description: 'Read-only: plans, measures, responsibilities and funding totals' },
] as const;

/**
 * An agency id becomes part of a group name and of keys such as `AGENCY#<id>`: keep it to lower-case
 * letters, digits and inner hyphens so that it never needs escaping anywhere.
 */
const AGENCY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function agencyGroupName(agencyId: string): string {
  return `agency:${agencyId}`;
}

/** The seeded agencies followed by the extra ids, without duplicates; throws on an id that is not well formed. */
export function agencyIds(extra: readonly string[] = []): string[] {
  const ids = [...SEEDED_AGENCIES.map((a) => a.id), ...extra];
  for (const id of ids) {
    if (!AGENCY_ID.test(id)) {
      throw new Error(`Agency id "${id}" is not valid: use lower-case letters, digits and inner hyphens (at most 64 characters)`);
    }
  }
  return [...new Set(ids)];
}
