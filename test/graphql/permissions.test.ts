import { beforeAll, describe, expect, it } from 'vitest';
import {
  AddMilestoneDocument,
  AgencyDutiesDocument,
  AgencyResponsibilitiesDocument,
  AllocateFundsDocument,
  AllocationsDocument,
  AssignResponsibilityDocument,
  AuditTrailDocument,
  BudgetLinesDocument,
  CapacityTimelineDocument,
  CompleteMilestoneDocument,
  CreateAgencyDocument,
  CreateGoalDocument,
  CreatePlanDocument,
  DefineIndicatorDocument,
  DisbursementsDocument,
  FundingMatrixDocument,
  FundingSummaryDocument,
  IntegrationsDocument,
  MeasureDetailDocument,
  MeasureResultsDocument,
  PlanOverviewDocument,
  PlanProgressDocument,
  RecordDisbursementDocument,
  RecordIndicatorValueDocument,
  RegisterIntegrationDocument,
  ReportCapacityDocument,
  ReportingCalendarDocument,
  ReviseBudgetLineDocument,
  RevokeIntegrationDocument,
  SetReportingScheduleDocument,
  ShelterForOperatorDocument,
  SheltersDocument,
  SubmitStatusReportDocument,
  UpdateAgencyDocument,
  UpdateIntegrationDocument,
  UpdateMeasureDocument,
  UpdateMilestoneDocument,
  UpdatePlanDocument,
  ViewerDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { osloToday } from '../../functions/plans/calendar.js';
import { as, type Caller, execute, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, CREATE_LINE, createBudgetLine } from '../support/funding.js';
import { createShelter, REGISTER } from '../support/shelters.js';

let env: TestEnvironment;

/**
 * Two integrations (machines with client-credentials tokens: no groups, `sub` and `client_id` the app client's id):
 * a funder's analysis job with the read scope, and NAV's case system acting for NAV with read and write.
 */
const FUNDER_JOB = 'funderjob0000000000000000a';
const NAV_SYSTEM = 'navsystem0000000000000000a';
const machine = (clientId: string, scope: string): Caller => ({
  groups: [],
  subject: clientId,
  extraClaims: { client_id: clientId, scope },
});
const callers: Record<RoleName, Caller> = {
  ...as,
  funderJob: machine(FUNDER_JOB, 'samordning/read'),
  navSystem: machine(NAV_SYSTEM, 'samordning/read samordning/write'),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  for (const input of [
    { clientId: FUNDER_JOB, name: 'Finansiørens analysejobb', role: 'FUNDER' as const, scopes: ['READ' as const] },
    { clientId: NAV_SYSTEM, name: 'NAVs saksbehandlingssystem', agencyId: 'nav', scopes: ['READ' as const, 'WRITE' as const] },
  ]) {
    const res = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, { input });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
});

/** `SCOPE`: FORBIDDEN for the token's scopes, before anything runs (HTTP 403, `extensions.scope`). */
type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'SCOPE';
const roles = ['coordinator', 'nav', 'otherAgency', 'funder', 'viewer', 'anonymous', 'funderJob', 'navSystem'] as const;
type RoleName = (typeof roles)[number];
type PersonName = Exclude<RoleName, 'funderJob' | 'navSystem'>;

const CREATE = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }';
const REMOVE = 'mutation ($input: RemoveResponsibilityInput!) { removeResponsibility(input: $input) { measure { id } } }';

/** A fresh measure that nav holds SHARED, made by the coordinator, so that each cell writes on its own object. */
async function navMeasure(): Promise<string> {
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(env.handler, as.coordinator, CREATE, {
    input: { planId: 'hp-2011-2014', title: 'Matrise', goalNumbers: [2] },
  });
  const id = created.data?.createMeasure.measure.id ?? '';
  await execute(env.handler, as.coordinator, AssignResponsibilityDocument, { input: { measureId: id, agencyId: 'nav', role: 'SHARED' } });
  return id;
}

let lineNumber = 0;
/** A fresh budget line held by NAV, made by NAV itself (each write of the matrix has its own idempotency key: NAV and its system share a key space). */
const navLine = () => createBudgetLine(env.handler, { agencyId: 'nav', chapter: 7000 + lineNumber++ }, as.nav);
/** A fresh allocation on a line held by NAV. */
async function navAllocation(): Promise<string> {
  const res = await allocate(env.handler, { budgetLineId: await navLine(), amount: '100.00', recipientId: 'nav' }, as.nav);
  return res.data?.allocateFunds.allocation.id ?? '';
}

/** A fresh shelter run by Kirkens Bymisjon ("another agency" in the matrix), with an address. */
const shelter = () => createShelter(env.handler);

/**
 * Each contract operation that exists so far, and the outcome the table of docs/permissions.md gives
 * each caller. Later issues add their rows.
 */
let agencyNumber = 0;
/** A fresh agency in the directory, made by the coordinator. */
async function freshAgency(): Promise<string> {
  const id = `matrise-${agencyNumber++}-${Date.now().toString(36)}`;
  await execute(env.handler, as.coordinator, CreateAgencyDocument, { input: { id, name: `Matrise ${id}`, kind: 'NGO' } });
  return id;
}

const coordinatorOnly = {
  coordinator: 'ok',
  nav: 'FORBIDDEN',
  otherAgency: 'FORBIDDEN',
  funder: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
  anonymous: 'UNAUTHENTICATED',
} as const;

/** A fresh measure that nav leads, made by the coordinator. */
async function navLeadMeasure(): Promise<string> {
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(env.handler, as.coordinator, CREATE, {
    input: { planId: 'hp-2011-2014', title: 'Matrise LEAD', goalNumbers: [2] },
  });
  const id = created.data?.createMeasure.measure.id ?? '';
  await execute(env.handler, as.coordinator, AssignResponsibilityDocument, { input: { measureId: id, agencyId: 'nav', role: 'LEAD' } });
  return id;
}

/** A fresh milestone of a measure nav leads. */
async function navMilestone(): Promise<string> {
  const res = await execute(env.handler, as.coordinator, AddMilestoneDocument, {
    input: { measureId: await navLeadMeasure(), title: 'Steg', dueDate: '2013-06-30' },
  });
  return res.data?.addMilestone.milestone.id ?? '';
}

/** A fresh indicator of a measure nav leads. */
async function navIndicator(): Promise<string> {
  const res = await execute(env.handler, as.coordinator, DefineIndicatorDocument, {
    input: { measureId: await navLeadMeasure(), name: 'Antall', unit: 'personer', baseline: 0, target: 10, direction: 'INCREASE' },
  });
  return res.data?.defineIndicator.indicator.id ?? '';
}

/** Milestones and indicators: the coordinator or the measure's LEAD agency (nav). */
const leadOrCoordinator = {
  coordinator: 'ok',
  nav: 'ok',
  otherAgency: 'FORBIDDEN',
  funder: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
  anonymous: 'UNAUTHENTICATED',
} as const;

let integrationNumber = 0;
/** A fresh integration of NAV, registered by the coordinator; its version is 1. */
async function freshIntegration(): Promise<string> {
  const clientId = `matrise${integrationNumber++}${Date.now().toString(36)}`;
  await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
    input: { clientId, name: 'Matrise', agencyId: 'nav', scopes: ['READ'] },
  });
  return clientId;
}

const rows: { name: string; run: (caller: Caller) => Promise<GraphQLResponse<unknown>>; expected: Record<PersonName, Outcome> }[] = [
  {
    name: 'createPlan',
    run: (c) =>
      execute(env.handler, c, CreatePlanDocument, {
        input: {
          id: `matrise-plan-${agencyNumber++}`,
          title: 'Plan',
          periodStart: '2020-01-01',
          periodEnd: '2022-12-31',
          coordinatorId: 'jd',
          measureCount: 3,
        },
      }),
    expected: coordinatorOnly,
  },
  {
    name: 'createGoal',
    run: (c) => execute(env.handler, c, CreateGoalDocument, { input: { planId: 'hp-2011-2014', title: 'Nytt mål' } }),
    expected: coordinatorOnly,
  },
  {
    name: 'updatePlan',
    run: async (c) => {
      const plan = await executeText<{ actionPlan: { version: number } }>(
        env.handler,
        as.viewer,
        '{ actionPlan(id: "hp-2011-2014") { version } }',
      );
      return execute(env.handler, c, UpdatePlanDocument, {
        input: { id: 'hp-2011-2014', expectedVersion: plan.data?.actionPlan.version ?? 0, title: 'Sammen mot menneskehandel' },
      });
    },
    expected: coordinatorOnly,
  },
  {
    name: 'createAgency',
    run: (c) =>
      execute(env.handler, c, CreateAgencyDocument, {
        input: { id: `matrise-ny-${agencyNumber++}-${Date.now().toString(36)}`, name: 'Ny virksomhet', kind: 'NGO' },
      }),
    expected: coordinatorOnly,
  },
  {
    name: 'updateAgency',
    run: async (c) =>
      execute(env.handler, c, UpdateAgencyDocument, { input: { id: await freshAgency(), expectedVersion: 1, shortName: 'MX' } }),
    expected: coordinatorOnly,
  },
  {
    name: 'Viewer',
    run: (c) => execute(env.handler, c, ViewerDocument, {}),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'PlanOverview',
    run: (c) => execute(env.handler, c, PlanOverviewDocument, { planId: 'hp-2011-2014' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'AgencyResponsibilities',
    run: (c) => execute(env.handler, c, AgencyResponsibilitiesDocument, { agencyId: 'nav' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'MeasureDetail',
    run: (c) => execute(env.handler, c, MeasureDetailDocument, { id: 'hp-2011-2014-nav-kontor' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'createMeasure',
    run: (c) => executeText(env.handler, c, CREATE, { input: { planId: 'hp-2011-2014', title: 'Ny', goalNumbers: [1] } }),
    expected: {
      coordinator: 'ok',
      nav: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'UpdateMeasure',
    run: async (c) =>
      execute(env.handler, c, UpdateMeasureDocument, { input: { id: await navMeasure(), expectedVersion: 2, title: 'Endret' } }),
    expected: {
      coordinator: 'ok',
      nav: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'AssignResponsibility',
    run: async (c) =>
      execute(env.handler, c, AssignResponsibilityDocument, { input: { measureId: await navMeasure(), agencyId: 'nav', role: 'LEAD' } }),
    expected: {
      coordinator: 'ok',
      nav: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'removeResponsibility',
    run: async (c) => executeText(env.handler, c, REMOVE, { input: { measureId: await navMeasure(), agencyId: 'nav' } }),
    expected: {
      coordinator: 'ok',
      nav: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'SubmitStatusReport',
    run: async (c) =>
      execute(env.handler, c, SubmitStatusReportDocument, {
        input: { measureId: await navMeasure(), period: '2012', status: 'IN_PROGRESS', progressPercent: 30, summary: 'Rapport.' },
      }),
    expected: {
      coordinator: 'ok',
      nav: 'ok',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Shelters',
    run: (c) => execute(env.handler, c, SheltersDocument, {}),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'ShelterForOperator (with the address)',
    run: async (c) => execute(env.handler, c, ShelterForOperatorDocument, { id: await shelter() }),
    expected: {
      coordinator: 'FORBIDDEN',
      nav: 'FORBIDDEN',
      otherAgency: 'ok',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'CapacityTimeline',
    run: (c) =>
      execute(env.handler, c, CapacityTimelineDocument, { filter: { from: '2013-01-01', to: '2013-12-31', granularity: 'QUARTER' } }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'registerShelter (operated by Kirkens Bymisjon)',
    run: (c) =>
      executeText(env.handler, c, REGISTER, {
        input: { name: 'Matrisehus', operatorId: 'kirkens-bymisjon', region: 'Oslo', targetGroups: ['WOMEN'], services: ['SAFE_HOUSING'] },
      }),
    expected: {
      coordinator: 'FORBIDDEN',
      nav: 'FORBIDDEN',
      otherAgency: 'ok',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'updateShelter',
    run: async (c) =>
      executeText(
        env.handler,
        c,
        'mutation ($id: ID!) { updateShelter(input: { id: $id, expectedVersion: 1, name: "Nytt navn" }) { shelter { id } } }',
        { id: await shelter() },
      ),
    expected: {
      coordinator: 'FORBIDDEN',
      nav: 'FORBIDDEN',
      otherAgency: 'ok',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'ReportCapacity',
    run: async (c) =>
      execute(env.handler, c, ReportCapacityDocument, {
        input: { shelterId: await shelter(), date: '2013-04-01', capacity: 6, occupied: 2 },
      }),
    expected: {
      coordinator: 'FORBIDDEN',
      nav: 'FORBIDDEN',
      otherAgency: 'ok',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'BudgetLines',
    run: (c) => execute(env.handler, c, BudgetLinesDocument, { fiscalYear: 2012 }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: "Allocations (a nav line's, read by everyone with a role)",
    run: async (c) => execute(env.handler, c, AllocationsDocument, { filter: { budgetLineId: await navLine() } }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'Disbursements (of a nav allocation, read by everyone with a role)',
    run: async (c) => execute(env.handler, c, DisbursementsDocument, { filter: { allocationId: await navAllocation() } }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'FundingMatrix',
    run: (c) => execute(env.handler, c, FundingMatrixDocument, { planId: 'hp-2011-2014', rows: 'AGENCY', columns: 'FISCAL_YEAR' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: "ReviseBudgetLine (nav's line)",
    run: async (c) =>
      execute(env.handler, c, ReviseBudgetLineDocument, {
        input: { id: await navLine(), appropriated: '2.00', reason: 'Matrise', decidedOn: '2012-06-01', expectedVersion: 1 },
      }),
    expected: {
      coordinator: 'ok',
      nav: 'ok',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'FundingSummary',
    run: (c) => execute(env.handler, c, FundingSummaryDocument, { planId: 'hp-2011-2014', groupBy: 'AGENCY' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'createBudgetLine (held by nav)',
    run: (c) =>
      executeText(env.handler, c, CREATE_LINE, {
        input: { fiscalYear: 2012, agencyId: 'nav', chapter: 605 + lineNumber++, post: 1, title: 'Matrise', appropriated: '100.00' },
      }),
    expected: {
      coordinator: 'ok',
      nav: 'ok',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: "AllocateFunds (nav's line)",
    run: async (c) =>
      execute(env.handler, c, AllocateFundsDocument, {
        input: {
          budgetLineId: await navLine(),
          amount: '10.00',
          measureId: 'hp-2011-2014-nav-kontor',
          idempotencyKey: `matrix-${lineNumber++}`,
        },
      }),
    expected: {
      coordinator: 'ok',
      nav: 'ok',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: "RecordDisbursement (nav's line)",
    run: async (c) =>
      execute(env.handler, c, RecordDisbursementDocument, {
        input: { allocationId: await navAllocation(), amount: '1.00', date: '2012-02-01', idempotencyKey: `matrix-${lineNumber++}` },
      }),
    expected: {
      coordinator: 'ok',
      nav: 'ok',
      otherAgency: 'FORBIDDEN',
      funder: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'AuditTrail',
    run: async (c) => execute(env.handler, c, AuditTrailDocument, { entityId: await navMeasure() }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'FORBIDDEN', viewer: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  // The reporting calendar (issue 14): duties and progress are derived from roles and reports, which every reader reads.
  {
    name: 'ReportingCalendar',
    run: (c) => execute(env.handler, c, ReportingCalendarDocument, { planId: 'hp-2011-2014', period: '2012' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'AgencyDuties',
    run: (c) => execute(env.handler, c, AgencyDutiesDocument, { id: 'nav' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'PlanProgress',
    run: (c) => execute(env.handler, c, PlanProgressDocument, { planId: 'hp-2011-2014' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'MeasureResults',
    run: (c) => execute(env.handler, c, MeasureResultsDocument, { id: 'hp-2011-2014-nav-kontor' }),
    expected: { coordinator: 'ok', nav: 'ok', otherAgency: 'ok', funder: 'ok', viewer: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'SetReportingSchedule',
    run: (c) =>
      execute(env.handler, c, SetReportingScheduleDocument, {
        input: {
          planId: 'hp-2011-2014',
          periods: [
            { period: '2011', dueDate: '2012-02-15' },
            { period: '2012', dueDate: '2013-02-15' },
            { period: '2013', dueDate: '2014-02-15' },
            { period: '2014', dueDate: '2015-02-15' },
          ],
        },
      }),
    expected: coordinatorOnly,
  },
  {
    name: "AddMilestone (nav's LEAD measure)",
    run: async (c) =>
      execute(env.handler, c, AddMilestoneDocument, { input: { measureId: await navLeadMeasure(), title: 'Steg', dueDate: '2014-01-01' } }),
    expected: leadOrCoordinator,
  },
  {
    name: 'AddMilestone (nav SHARED)',
    run: async (c) =>
      execute(env.handler, c, AddMilestoneDocument, { input: { measureId: await navMeasure(), title: 'Steg', dueDate: '2014-01-01' } }),
    expected: coordinatorOnly,
  },
  {
    name: 'UpdateMilestone',
    run: async (c) =>
      execute(env.handler, c, UpdateMilestoneDocument, { input: { id: await navMilestone(), expectedVersion: 1, title: 'Nytt steg' } }),
    expected: leadOrCoordinator,
  },
  {
    name: 'CompleteMilestone',
    run: async (c) => execute(env.handler, c, CompleteMilestoneDocument, { input: { id: await navMilestone(), doneOn: osloToday() } }),
    expected: leadOrCoordinator,
  },
  {
    name: 'DefineIndicator',
    run: async (c) =>
      execute(env.handler, c, DefineIndicatorDocument, {
        input: { measureId: await navLeadMeasure(), name: 'Andel', unit: '%', baseline: 1, target: 2, direction: 'INCREASE' },
      }),
    expected: leadOrCoordinator,
  },
  {
    name: 'RecordIndicatorValue',
    run: async (c) =>
      execute(env.handler, c, RecordIndicatorValueDocument, { input: { indicatorId: await navIndicator(), period: '2012', value: 3 } }),
    expected: leadOrCoordinator,
  },
  // The integrations registry: a person of the coordinating ministry keeps it.
  {
    name: 'Integrations',
    run: (c) => execute(env.handler, c, IntegrationsDocument),
    expected: coordinatorOnly,
  },
  {
    name: 'RegisterIntegration',
    run: (c) =>
      execute(env.handler, c, RegisterIntegrationDocument, {
        input: { clientId: `matrisereg${integrationNumber++}`, name: 'Ny', role: 'VIEWER', scopes: ['READ'] },
      }),
    expected: coordinatorOnly,
  },
  {
    name: 'UpdateIntegration',
    run: async (c) =>
      execute(env.handler, c, UpdateIntegrationDocument, {
        input: { clientId: await freshIntegration(), expectedVersion: 1, name: 'Endret' },
      }),
    expected: coordinatorOnly,
  },
  {
    name: 'RevokeIntegration',
    run: async (c) =>
      execute(env.handler, c, RevokeIntegrationDocument, { input: { clientId: await freshIntegration(), expectedVersion: 1 } }),
    expected: coordinatorOnly,
  },
];

/** The rows whose operation is a mutation: the write scope is theirs. */
const writes = new Set([
  'createPlan',
  'createGoal',
  'updatePlan',
  'createAgency',
  'updateAgency',
  'createMeasure',
  'UpdateMeasure',
  'AssignResponsibility',
  'removeResponsibility',
  'SubmitStatusReport',
  'registerShelter (operated by Kirkens Bymisjon)',
  'updateShelter',
  'ReportCapacity',
  "ReviseBudgetLine (nav's line)",
  'createBudgetLine (held by nav)',
  "AllocateFunds (nav's line)",
  "RecordDisbursement (nav's line)",
  'SetReportingSchedule',
  "AddMilestone (nav's LEAD measure)",
  'AddMilestone (nav SHARED)',
  'UpdateMilestone',
  'CompleteMilestone',
  'DefineIndicator',
  'RecordIndicatorValue',
  'RegisterIntegration',
  'UpdateIntegration',
  'RevokeIntegration',
]);

/**
 * An integration holds the rights of its role within its scopes (docs/permissions.md#integrations): the funder's job
 * reads what a funder reads and is refused every write by its scope; NAV's system, with both scopes, may do what NAV's
 * staff may, but manage the registry, which is for people alone.
 */
const matrix = rows.map((row) => ({
  ...row,
  expected: {
    ...row.expected,
    funderJob: writes.has(row.name) ? 'SCOPE' : row.expected.funder,
    navSystem: row.name.includes('Integration') ? 'FORBIDDEN' : row.expected.nav,
  } satisfies Record<RoleName, Outcome>,
}));

const cells = matrix.flatMap((row) => roles.map((role) => [row.name, role, row.expected[role], row] as const));

describe('the permission matrix of docs/permissions.md', () => {
  it('names every mutation row among the writes, and only those', () => {
    expect([...writes].filter((name) => !rows.some((r) => r.name === name))).toEqual([]);
    expect(rows.length).toBeGreaterThan(writes.size);
  });

  it.each(cells)('%s as %s: %s', async (_name, role, expected, row) => {
    const res = await row.run(callers[role]);
    if (expected === 'ok') {
      expect(res.errors).toBeUndefined();
      expect(res.status).toBe(200);
    } else if (expected === 'SCOPE') {
      expect(res.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', scope: 'samordning/write' });
      expect(res.status).toBe(403);
      expect(res.data).toBeUndefined();
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe(expected);
      expect(res.status).toBe(expected === 'UNAUTHENTICATED' ? 401 : 200);
      expect(JSON.stringify(res.data ?? null)).not.toMatch(/hp-2011-2014-/);
    }
  });
});

describe("an agency reaching another agency's objects", () => {
  it("reads none of another agency's audit entries, directly, through an alias or in a list", async () => {
    const id = await navMeasure();
    const res = await executeText<Record<string, { edges: unknown[] }>>(
      env.handler,
      as.otherAgency,
      'query ($id: ID!) { direct: auditTrail(entityId: $id) { edges { node { id changes } } } again: auditTrail(entityId: $id, first: 100) { edges { node { id } } } seed: auditTrail(entityId: "nav") { edges { node { id } } } }',
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.direct?.edges).toEqual([]);
    expect(res.data?.again?.edges).toEqual([]);
    expect(res.data?.seed?.edges).toEqual([]);
    const nav = await execute(env.handler, as.nav, AuditTrailDocument, { entityId: id });
    expect(nav.data?.auditTrail.edges.length).toBeGreaterThan(0);
  });

  it("cannot report on another agency's measure through an alias, and writes nothing", async () => {
    const id = await navMeasure();
    const res = await executeText(
      env.handler,
      as.otherAgency,
      'mutation ($id: ID!) { sneaky: submitStatusReport(input: { measureId: $id, period: "2012", status: COMPLETED, progressPercent: 100, summary: "x" }) { measure { id status } } }',
      { id },
    );
    expect(res.errors?.[0]).toMatchObject({ path: ['sneaky'], extensions: { code: 'FORBIDDEN' } });
    expect(res.data).toBeNull();
    const detail = await execute(env.handler, as.viewer, MeasureDetailDocument, { id });
    expect(detail.data?.measure?.statusReports.edges).toEqual([]);
    expect(detail.data?.measure?.status).toBe('NOT_REPORTED');
  });

  it('gains nothing from arguments or a token claim that name another agency', async () => {
    const forged = { groups: ['agency:kirkens-bymisjon'], subject: 'u-x', extraClaims: { 'custom:agency': 'nav', agency: 'nav' } };
    const id = await navMeasure();
    const res = await execute(env.handler, forged, SubmitStatusReportDocument, {
      input: { measureId: id, period: '2012', status: 'COMPLETED', progressPercent: 100, summary: 'x' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
