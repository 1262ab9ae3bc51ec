import type { AgencyKind, AssistanceService, MeasureStatus, ResponsibilityRole, TargetGroup } from '../graphql';

export const STATUSES: readonly MeasureStatus[] = ['NOT_REPORTED', 'PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED', 'DISCONTINUED'];
/** What a report (or an edit of a reported measure) may say: NOT_REPORTED only ever comes before the first report. */
export const REPORTED_STATUSES: readonly MeasureStatus[] = STATUSES.filter((s) => s !== 'NOT_REPORTED');
export const ROLES: readonly ResponsibilityRole[] = ['LEAD', 'SHARED'];
export const TARGET_GROUPS: readonly TargetGroup[] = ['WOMEN', 'MEN', 'GIRLS', 'BOYS'];
export const SERVICES: readonly AssistanceService[] = [
  'SAFE_HOUSING',
  'PSYCHOLOGICAL_SUPPORT',
  'MATERIAL_ASSISTANCE',
  'EMERGENCY_MEDICAL_CARE',
  'INTERPRETATION_TRANSLATION',
  'LEGAL_PROCEEDINGS_SUPPORT',
];
export const AGENCY_KINDS: readonly AgencyKind[] = ['MINISTRY', 'DIRECTORATE', 'MUNICIPALITY', 'POLICE', 'NGO', 'OTHER'];

/** The reporting periods of the plan's years: "2011", "2011-H1", "2011-Q1", …, newest first. */
export function reportingPeriods(startYear: number, endYear: number): string[] {
  const out: string[] = [];
  for (let year = endYear; year >= startYear; year--) {
    out.push(`${year}`, `${year}-H2`, `${year}-H1`, `${year}-Q4`, `${year}-Q3`, `${year}-Q2`, `${year}-Q1`);
  }
  return out;
}

export const PLAN_YEARS = [2011, 2012, 2013, 2014] as const;
