import type { AgencyRecord } from '../functions/agencies/agencies.model.js';
import type { ResponsibilityRole } from '../functions/plans/plans.model.js';
import type { ShelterRecord } from '../functions/shelters/shelters.model.js';

/**
 * The seed: only facts of the source document (Handlingsplan mot menneskehandel 2011–2014) and the public facts it allows,
 * each record with its source. Nothing here is invented: measures the source does not number have
 * no number, measures whose goals it does not name have none, and no status is claimed (every
 * measure is NOT_REPORTED until a report says otherwise).
 */
const SOURCE = 'Handlingsplan mot menneskehandel (2011–2014), source text in shared/seed';
const PUBLIC_PLAN = 'Public fact: the plan was published as "Sammen mot menneskehandel" (2010), with these ministries taking part';
const PUBLIC_KOM = 'Public fact: the coordination unit for victims of trafficking (KOM) is measure 5 of the plan';
const PUBLIC_LAURAS_HUS = 'Public fact: Lauras Hus is run by Kirkens Bymisjon in Oslo as a pilot of safe housing for victims';

export const seedPlan = {
  id: 'hp-2011-2014',
  title: 'Sammen mot menneskehandel – handlingsplan mot menneskehandel (2011–2014)',
  periodStart: '2011-01-01',
  periodEnd: '2014-12-31',
  measureCount: 35,
  coordinatorId: 'jd',
  goals: [
    { number: 1, title: 'Forebygge menneskehandel gjennom å begrense rekruttering og etterspørsel' },
    { number: 2, title: 'Bedre tilbudet om bistand og beskyttelse til ofre for menneskehandel' },
    { number: 3, title: 'Styrke innsatsen for å avdekke og straffeforfølge menneskehandlere' },
    { number: 4, title: 'Økt kunnskap og tverrfaglig samarbeid' },
    { number: 5, title: 'Styrke internasjonalt rammeverk og samarbeid' },
  ],
  source: `${SOURCE}; title: ${PUBLIC_PLAN}`,
} as const;

export const seedAgencies: readonly AgencyRecord[] = [
  { id: 'jd', name: 'Justis- og politidepartementet', kind: 'MINISTRY', source: `${SOURCE}: coordinates the Government's effort` },
  { id: 'nav', name: 'Arbeids- og velferdsdirektoratet', kind: 'DIRECTORATE', source: `${SOURCE}: responsible for four of the measures` },
  { id: 'ad', name: 'Arbeidsdepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'bld', name: 'Barne-, likestillings- og inkluderingsdepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'fd', name: 'Forsvarsdepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'hod', name: 'Helse- og omsorgsdepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'krd', name: 'Kommunal- og regionaldepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'ud', name: 'Utenriksdepartementet', kind: 'MINISTRY', source: PUBLIC_PLAN },
  { id: 'kirkens-bymisjon', name: 'Kirkens Bymisjon', kind: 'NGO', source: PUBLIC_LAURAS_HUS },
];

export interface SeedMeasure {
  readonly id: string;
  readonly number: number | null;
  readonly title: string;
  readonly responsibilities: Readonly<Record<string, ResponsibilityRole>>;
  readonly source: string;
}

export const seedMeasures: readonly SeedMeasure[] = [
  {
    id: 'hp-2011-2014-kom',
    number: 5,
    title: 'Koordineringsenheten for ofre for menneskehandel (KOM)',
    responsibilities: {},
    source: PUBLIC_KOM,
  },
  {
    id: 'hp-2011-2014-nav-kontor',
    number: null,
    title: 'Tydeliggjøre NAV-kontorets ansvar',
    responsibilities: { nav: 'LEAD' },
    source: `${SOURCE}: NAV has main responsibility (hovedansvar)`,
  },
  {
    id: 'hp-2011-2014-lauras-hus',
    number: null,
    title: 'Drive Lauras Hus som et forsøksprosjekt',
    responsibilities: { nav: 'SHARED' },
    source: `${SOURCE}: NAV has shared responsibility (delansvar)`,
  },
  {
    id: 'hp-2011-2014-botilbud',
    number: null,
    title: 'Videreutvikle botilbudet til ofre for menneskehandel',
    responsibilities: { nav: 'SHARED' },
    source: `${SOURCE}: NAV has shared responsibility (delansvar)`,
  },
  {
    id: 'hp-2011-2014-bistand',
    number: null,
    title: 'Gjennomgå organiseringen og finansieringen av bistanden til ofre',
    responsibilities: { nav: 'SHARED' },
    source: `${SOURCE}: NAV has shared responsibility (delansvar)`,
  },
];

/**
 * Lauras Hus, as far as the public facts go: run by Kirkens Bymisjon in Oslo as a pilot of safe
 * housing for victims, the subject of one of NAV's measures. The facts give no address, no target
 * groups and no figures, so it has none: no capacity report is ever seeded for it.
 */
export const seedShelters: readonly Omit<ShelterRecord, 'updatedAt'>[] = [
  {
    id: 'lauras-hus',
    name: 'Lauras Hus',
    operatorId: 'kirkens-bymisjon',
    region: 'Oslo',
    municipality: 'Oslo',
    address: null,
    targetGroups: [],
    services: ['SAFE_HOUSING'],
    measureIds: ['hp-2011-2014-lauras-hus'],
    version: 1,
    source: PUBLIC_LAURAS_HUS,
  },
];
