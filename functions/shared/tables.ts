import type { TableDeclaration } from './table.js';

/**
 * The five tables (measures, responsibilities, shelters, funding, audit). Every table uses generic `pk`/`sk` keys and generic GSI keys
 * (`gsi1pk`/`gsi1sk`, …) so that each aggregate keeps its items together as an item collection.
 * The access patterns beside each declaration are the only ways request paths read a table:
 * GetItem, BatchGetItem, Query or a transaction, never a Scan.
 */

/** A deployed stage's name for a table (the CDK stack names each table so, and scripts given `--stage` find it so). */
export const deployedTableName = (stage: string, id: string) => `samordning-${stage}-${id}`;

/**
 * A deployed stage's name for an integration's Cognito app client (the CDK stack names each one of the stage settings'
 * `integrations` so, and `npm run integration -- credentials` finds it so), and what such a name may be.
 */
export const integrationClientName = (stage: string, name: string) => `samordning-${stage}-integration-${name}`;
export const INTEGRATION_NAME = /^[a-z][a-z0-9-]{1,39}$/;

/** What a stage name may be: the CDK context value and the scripts' `--stage` alike. */
export const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

const generic = { pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S', gsi2pk: 'S', gsi2sk: 'S' } as const;
const withThirdIndex = { ...generic, gsi3pk: 'S', gsi3sk: 'S' } as const;
const withFifthIndex = { ...withThirdIndex, gsi4pk: 'S', gsi4sk: 'S', gsi5pk: 'S', gsi5sk: 'S' } as const;

export const measuresTable = {
  id: 'measures',
  envVar: 'MEASURES_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: withThirdIndex,
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // Sparse: only measures without a LEAD carry gsi3pk, so the coordinator's gap list reads only gaps.
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  accessPatterns: [
    { name: 'plan by id (with its goals)', operation: 'BatchGetItem', keyCondition: 'pk = PLAN#<planId> AND sk = PLAN' },
    { name: 'plan counters (totalCount per filter)', operation: 'BatchGetItem', keyCondition: 'pk = PLAN#<planId> AND sk = STATS' },
    { name: 'list plans', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = PLANS' },
    { name: 'measure by id', operation: 'BatchGetItem', keyCondition: 'pk = MEASURE#<id> AND sk = MEASURE' },
    { name: "a plan's measures in order", index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = PLAN#<planId>#M' },
    { name: "a plan's measures with one status", index: 'gsi2', operation: 'Query', keyCondition: 'gsi2pk = PLAN#<planId>#M#S#<status>' },
    { name: "a plan's measures under one goal", index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = PLAN#<planId>#G#<n>' },
    {
      name: "a plan's measures under one goal with one status",
      index: 'gsi2',
      operation: 'Query',
      keyCondition: 'gsi2pk = PLAN#<planId>#G#<n>#S#<status>',
    },
    {
      name: "a measure's status reports, newest period first",
      operation: 'Query',
      keyCondition: 'pk = MEASURE#<id> AND begins_with(sk, REPORT#) (descending)',
    },
    {
      name: 'measures without a LEAD',
      index: 'gsi3',
      operation: 'Query',
      keyCondition: 'gsi3pk = PLAN#<planId>#NOLEAD',
    },
    {
      name: "a measure's milestones",
      operation: 'Query',
      keyCondition: 'pk = MEASURE#<id> AND begins_with(sk, MILESTONE#)',
    },
    {
      name: "a measure's indicators",
      operation: 'Query',
      keyCondition: 'pk = MEASURE#<id> AND begins_with(sk, INDICATOR#)',
    },
    {
      name: 'milestone or indicator by id',
      operation: 'BatchGetItem',
      keyCondition: 'pk = MEASURE#<id> AND sk = MILESTONE#<id> | INDICATOR#<id>',
    },
    {
      name: 'status report by measure, period and agency (a duty submitted)',
      operation: 'BatchGetItem',
      keyCondition: 'pk = MEASURE#<id> AND sk = REPORT#<end>#<start>#<agencyId>',
    },
    {
      name: 'measures reported on for a period',
      index: 'gsi1',
      operation: 'Query',
      keyCondition: 'gsi1pk = PLAN#<planId>#PERIOD#<period>',
    },
  ],
} as const satisfies TableDeclaration;

export const responsibilitiesTable = {
  id: 'responsibilities',
  envVar: 'RESPONSIBILITIES_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: generic,
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  accessPatterns: [
    { name: 'agency by id', operation: 'BatchGetItem', keyCondition: 'pk = AGENCY#<id> AND sk = AGENCY' },
    { name: 'agency directory by name', index: 'gsi2', operation: 'Query', keyCondition: 'gsi2pk = AGENCIES' },
    { name: "an agency's responsibilities", index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = AGENCY#<id>' },
    {
      name: "a plan's reporting duties for a period (roles assigned by its last day)",
      index: 'gsi2',
      operation: 'Query',
      keyCondition: 'gsi2pk = PLAN#<planId>#DUTIES AND gsi2sk <= <periodEnd>#\uffff',
    },
    {
      name: "an agency's responsibilities with one role",
      index: 'gsi1',
      operation: 'Query',
      keyCondition: 'gsi1pk = AGENCY#<id> AND begins_with(gsi1sk, <role>#)',
    },
    { name: 'integration by client id', operation: 'BatchGetItem', keyCondition: 'pk = INTEGRATION#<clientId> AND sk = INTEGRATION' },
    { name: 'active integrations by name', index: 'gsi2', operation: 'Query', keyCondition: 'gsi2pk = INTEGRATIONS' },
  ],
} as const satisfies TableDeclaration;

export const sheltersTable = {
  id: 'shelters',
  envVar: 'SHELTERS_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: { pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' },
  // One index serves every listing: each shelter writes one small listing item per way it can be
  // found (all, region, operator, each service, each target group), keyed by name for ordering.
  globalIndexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  accessPatterns: [
    {
      name: 'shelter by id (profile with its latest capacity)',
      operation: 'BatchGetItem',
      keyCondition: 'pk = SHELTER#<id> AND sk = PROFILE',
    },
    { name: 'all shelters by name', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = SHELTERS' },
    { name: 'shelters of a region by name', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = REGION#<region>' },
    { name: 'shelters of an operator by name', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = OPERATOR#<agencyId>' },
    { name: 'shelters offering a service by name', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = SERVICE#<service>' },
    { name: 'shelters taking a target group by name', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = TARGET#<group>' },
    {
      name: "a shelter's capacity reports in a date range, newest first",
      operation: 'Query',
      keyCondition: 'pk = SHELTER#<id> AND sk BETWEEN CAP#<from> AND CAP#<to> (descending)',
    },
    {
      name: "a shelter's last report per period (its own timeline)",
      operation: 'Query',
      keyCondition: 'pk = SHELTER#<id> AND sk BETWEEN LAST#<granularity>#<from> AND LAST#<granularity>#<to>',
    },
    {
      name: "a region's capacity rollups in a period range",
      operation: 'Query',
      keyCondition: 'pk = ROLLUP#REGION#<region>#<granularity> AND sk BETWEEN <from> AND <to>',
    },
    {
      name: "every region's capacity rollups in a period range (the country is their sum)",
      operation: 'Query',
      keyCondition: 'pk = ROLLUP#REGIONS#<granularity> AND sk BETWEEN <from># AND <to>#\uffff',
    },
  ],
} as const satisfies TableDeclaration;

export const fundingTable = {
  id: 'funding',
  envVar: 'FUNDING_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: withFifthIndex,
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // Sparse: only allocations naming a measure (gsi3), a recipient (gsi4, with its disbursements) or a shelter (gsi5).
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  ],
  ttlAttribute: 'expiresAt',
  accessPatterns: [
    { name: 'budget line by id', operation: 'BatchGetItem', keyCondition: 'pk = LINE#<id> AND sk = LINE' },
    { name: 'budget lines of a fiscal year', index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = YEAR#<year>' },
    {
      name: 'budget lines of a fiscal year and agency',
      index: 'gsi1',
      operation: 'Query',
      keyCondition: 'gsi1pk = YEAR#<year> AND begins_with(gsi1sk, AGENCY#<id>#)',
    },
    { name: 'allocation by id', operation: 'BatchGetItem', keyCondition: 'pk = ALLOC#<id> AND sk = ALLOC' },
    { name: "a budget line's allocations, oldest first", index: 'gsi1', operation: 'Query', keyCondition: 'gsi1pk = LINE#<lineId>#ALLOC' },
    { name: "a fiscal year's allocations, oldest first", index: 'gsi2', operation: 'Query', keyCondition: 'gsi2pk = YEAR#<year>#ALLOC' },
    { name: "a measure's allocations, oldest first", index: 'gsi3', operation: 'Query', keyCondition: 'gsi3pk = MEASURE#<id>#ALLOC' },
    { name: "a recipient's allocations, oldest first", index: 'gsi4', operation: 'Query', keyCondition: 'gsi4pk = AGENCY#<id>#ALLOC' },
    { name: "a shelter's allocations, oldest first", index: 'gsi5', operation: 'Query', keyCondition: 'gsi5pk = SHELTER#<id>#ALLOC' },
    {
      name: "an allocation's disbursements by date",
      operation: 'Query',
      keyCondition: 'pk = ALLOC#<id> AND begins_with(sk, DISB#)',
    },
    { name: "a fiscal year's disbursements by date", index: 'gsi2', operation: 'Query', keyCondition: 'gsi2pk = YEAR#<year>#DISB' },
    { name: "a recipient's disbursements by date", index: 'gsi4', operation: 'Query', keyCondition: 'gsi4pk = AGENCY#<id>#DISB' },
    { name: 'funding totals of an entity', operation: 'BatchGetItem', keyCondition: 'pk = TOTAL#<kind>#<id> AND sk = <fiscalYear | ALL>' },
    { name: 'funding summary of a plan by group', operation: 'Query', keyCondition: 'pk = SUMMARY#<planId>#<groupBy>#<fiscalYear | ALL>' },
    {
      name: 'idempotency record',
      operation: 'TransactWriteItems',
      keyCondition: 'pk = IDEMPOTENCY#<agency>#<key> (condition attribute_not_exists)',
    },
    {
      name: 'reminder ledger: one digest per recipient and day (functions/reminders/)',
      operation: 'TransactWriteItems',
      keyCondition: 'pk = REMINDER#<day>#<agency:id | coordinator> (condition attribute_not_exists; TTL expiresAt)',
    },
  ],
} as const satisfies TableDeclaration;

export const auditTable = {
  id: 'audit',
  envVar: 'AUDIT_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: { pk: 'S', sk: 'S' },
  globalIndexes: [],
  // The stream lets consumers follow the append-only log without reading the table: the change events'
  // publisher (functions/events/) turns each entry's trail item into one event on the stage's bus.
  stream: 'NEW_IMAGE',
  accessPatterns: [
    {
      name: "an entity's audit trail, newest first",
      operation: 'Query',
      keyCondition: 'pk = ENTITY#<id> (descending by sk = <at>#<entryId>)',
    },
    {
      name: "an agency's view of an entity's trail (entries about its own entities), newest first",
      operation: 'Query',
      keyCondition: 'pk = ENTITY#<id>#OWNER#<agencyId> (descending)',
    },
  ],
} as const satisfies TableDeclaration;

/** Every table, as plain declarations (the literal types above stay for code that names one table). */
export const tables: readonly TableDeclaration[] = [measuresTable, responsibilitiesTable, sheltersTable, fundingTable, auditTable];

export type TableId = TableDeclaration['id'];
