/**
 * The two roles an agency holds on a measure: the vocabulary the rules (policy.ts) and the plans'
 * records share, kept in the kernel so that the rules need no domain.
 */
export type ResponsibilityRole = 'LEAD' | 'SHARED';
export const responsibilityRoles: readonly ResponsibilityRole[] = ['LEAD', 'SHARED'];
