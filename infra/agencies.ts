/**
 * The Cognito groups the stack creates: the fixed role groups of docs/permissions.md. An agency's group,
 * `agency:<id>`, is not part of the stack: the GraphQL function creates it when the coordinator creates the agency
 * (`createAgency`), with the permission `Identity.allowGroupCreation` gives it on this stage's pool only. A deploy
 * therefore never adds or removes an agency's group, nor the memberships in it.
 */
export const ROLE_GROUPS = [
  {
    name: 'coordinator',
    description: 'Coordinating ministry: keeps the plan, assigns responsibilities, sees everything but shelter addresses',
  },
  { name: 'funder', description: 'Read-only: capacity, utilisation and funding totals' },
  { name: 'viewer', description: 'Read-only: plans, measures, responsibilities and funding totals' },
] as const;

/** The prefix of the groups the function creates at run time: `agency:<agencyId>`. */
export const AGENCY_GROUP_PREFIX = 'agency:';
