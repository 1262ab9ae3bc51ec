import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { as, type Caller, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, CREATE_LINE, createBudgetLine, disburse } from '../support/funding.js';
import { createShelter, REGISTER, reportCapacity } from '../support/shelters.js';

/**
 * The `viewerCan…` fields against the mutations they speak for: for each role (the coordinator; an agency
 * holding LEAD, SHARED or nothing on the object; a funder; a viewer) the test asks the field, then tries the
 * mutation as the same caller, and asserts they agree. So a field and its rule cannot drift apart.
 */
let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const callers = {
  coordinator: as.coordinator,
  nav: as.nav,
  otherAgency: as.otherAgency,
  funder: as.funder,
  viewer: as.viewer,
} as const;
type CallerName = keyof typeof callers;
const names = Object.keys(callers) as CallerName[];

async function ask<T>(caller: Caller, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await executeText<T>(env.handler, caller, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as T;
}

/** The field says yes exactly when the mutation succeeds; a no is FORBIDDEN, never another error. */
function agree(field: boolean, res: GraphQLResponse<unknown>) {
  if (field) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  else expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
}

const CREATE_MEASURE = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }';
const ASSIGN = 'mutation ($input: AssignResponsibilityInput!) { assignResponsibility(input: $input) { measure { id } } }';

let serial = 0;
/** A fresh measure on which nav holds `role` (or nothing), made by the coordinator. */
async function measureWith(role: 'LEAD' | 'SHARED' | null): Promise<string> {
  const created = await ask<{ createMeasure: { measure: { id: string } } }>(as.coordinator, CREATE_MEASURE, {
    input: { planId: 'hp-2011-2014', title: `Evne ${serial++}`, goalNumbers: [2] },
  });
  const id = created.createMeasure.measure.id;
  if (role) await ask(as.coordinator, ASSIGN, { input: { measureId: id, agencyId: 'nav', role } });
  return id;
}

type MeasureAbilities = {
  measure: {
    version: number;
    status: string;
    viewerCanEdit: boolean;
    viewerCanAssign: boolean;
    viewerCanReport: boolean;
    viewerCanSetStatus: boolean;
    viewerCanManageResults: boolean;
  };
};
const MEASURE = `query ($id: ID!) { measure(id: $id) { version status viewerCanEdit viewerCanAssign viewerCanReport viewerCanSetStatus viewerCanManageResults } }`;

describe.each(['LEAD', 'SHARED', null] as const)('a measure on which nav holds %s', (role) => {
  it.each(names)('%s: viewerCanEdit agrees with updateMeasure', async (name) => {
    const id = await measureWith(role);
    const { measure } = await ask<MeasureAbilities>(callers[name], MEASURE, { id });
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }',
      { input: { id, expectedVersion: measure.version, title: 'Ny tittel' } },
    );
    agree(measure.viewerCanEdit, res);
  });

  it.each(names)('%s: viewerCanAssign agrees with assignResponsibility', async (name) => {
    const id = await measureWith(role);
    const { measure } = await ask<MeasureAbilities>(callers[name], MEASURE, { id });
    agree(
      measure.viewerCanAssign,
      await executeText(env.handler, callers[name], ASSIGN, { input: { measureId: id, agencyId: 'jd', role: 'SHARED' } }),
    );
  });

  it.each(names)('%s: viewerCanReport agrees with submitStatusReport', async (name) => {
    const id = await measureWith(role);
    const { measure } = await ask<MeasureAbilities>(callers[name], MEASURE, { id });
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { id } } }',
      { input: { measureId: id, period: '2012', status: 'IN_PROGRESS', progressPercent: 40, summary: 'Godt i gang.' } },
    );
    agree(measure.viewerCanReport, res);
  });

  it.each(names)('%s: viewerCanSetStatus agrees with what a report does to the status', async (name) => {
    const id = await measureWith(role);
    // Reported on once, so only a report that may set the status changes it.
    await ask(as.coordinator, 'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { id } } }', {
      input: { measureId: id, period: '2011', status: 'PLANNED', progressPercent: 0, summary: 'Planlagt.' },
    });
    const { measure } = await ask<MeasureAbilities>(callers[name], MEASURE, { id });
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { status } } }',
      { input: { measureId: id, period: '2012', status: 'COMPLETED', progressPercent: 100, summary: 'Ferdig.' } },
    );
    const after = await ask<MeasureAbilities>(as.coordinator, MEASURE, { id });
    expect(after.measure.status).toBe(measure.viewerCanSetStatus ? 'COMPLETED' : 'PLANNED');
    // Only one who may report may set the status.
    if (measure.viewerCanSetStatus) expect(res.errors).toBeUndefined();
  });

  it.each(names)('%s: viewerCanManageResults agrees with addMilestone and defineIndicator', async (name) => {
    const id = await measureWith(role);
    const { measure } = await ask<MeasureAbilities>(callers[name], MEASURE, { id });
    agree(
      measure.viewerCanManageResults,
      await executeText(
        env.handler,
        callers[name],
        'mutation ($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } } }',
        { input: { measureId: id, title: 'Steg', dueDate: '2013-06-30' } },
      ),
    );
    agree(
      measure.viewerCanManageResults,
      await executeText(
        env.handler,
        callers[name],
        'mutation ($input: DefineIndicatorInput!) { defineIndicator(input: $input) { indicator { id } } }',
        { input: { measureId: id, name: 'Antall', unit: 'personer', baseline: 0, target: 10, direction: 'INCREASE' } },
      ),
    );
  });
});

describe('the plan', () => {
  const PLAN = `{ actionPlan(id: "hp-2011-2014") { viewerCanEdit viewerCanCreateMeasure viewerCanSetReportingSchedule } }`;
  type Plan = { actionPlan: { viewerCanEdit: boolean; viewerCanCreateMeasure: boolean; viewerCanSetReportingSchedule: boolean } };

  it.each(names)('%s: viewerCanEdit agrees with createGoal', async (name) => {
    const { actionPlan } = await ask<Plan>(callers[name], PLAN);
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: CreateGoalInput!) { createGoal(input: $input) { plan { id } } }',
      { input: { planId: 'hp-2011-2014', title: `Mål ${serial++}` } },
    );
    agree(actionPlan.viewerCanEdit, res);
  });

  it.each(names)('%s: viewerCanCreateMeasure agrees with createMeasure', async (name) => {
    const { actionPlan } = await ask<Plan>(callers[name], PLAN);
    const res = await executeText(env.handler, callers[name], CREATE_MEASURE, {
      input: { planId: 'hp-2011-2014', title: `Nytt tiltak ${serial++}`, goalNumbers: [1] },
    });
    agree(actionPlan.viewerCanCreateMeasure, res);
  });

  it.each(names)('%s: viewerCanSetReportingSchedule agrees with setReportingSchedule', async (name) => {
    const { actionPlan } = await ask<Plan>(callers[name], PLAN);
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: SetReportingScheduleInput!) { setReportingSchedule(input: $input) { plan { id } } }',
      { input: { planId: 'hp-2011-2014', periods: [{ period: '2012', dueDate: '2013-01-31' }] } },
    );
    agree(actionPlan.viewerCanSetReportingSchedule, res);
  });
});

describe('a shelter run by another agency (Kirkens Bymisjon)', () => {
  const SHELTER = `query ($id: ID!) { shelter(id: $id) { version viewerCanUpdate viewerCanReportCapacity viewerCanReadAddress } }`;
  type Shelter = {
    shelter: { version: number; viewerCanUpdate: boolean; viewerCanReportCapacity: boolean; viewerCanReadAddress: boolean };
  };

  it.each(names)('%s: viewerCanUpdate agrees with updateShelter', async (name) => {
    const id = await createShelter(env.handler);
    const { shelter } = await ask<Shelter>(callers[name], SHELTER, { id });
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: UpdateShelterInput!) { updateShelter(input: $input) { shelter { id } } }',
      { input: { id, expectedVersion: shelter.version, name: 'Nytt navn' } },
    );
    agree(shelter.viewerCanUpdate, res);
  });

  it.each(names)('%s: viewerCanReportCapacity agrees with reportCapacity', async (name) => {
    const id = await createShelter(env.handler);
    const { shelter } = await ask<Shelter>(callers[name], SHELTER, { id });
    agree(shelter.viewerCanReportCapacity, await reportCapacity(env.handler, id, '2013-03-01', 10, 4, callers[name]));
  });

  it.each(names)('%s: viewerCanReadAddress agrees with reading address', async (name) => {
    const id = await createShelter(env.handler);
    const { shelter } = await ask<Shelter>(callers[name], SHELTER, { id });
    agree(
      shelter.viewerCanReadAddress,
      await executeText(env.handler, callers[name], 'query ($id: ID!) { shelter(id: $id) { address } }', { id }),
    );
  });

  it.each(names)('%s: Viewer.canRegisterShelter agrees with registerShelter for its own agency', async (name) => {
    const { viewer } = await ask<{ viewer: { canRegisterShelter: boolean; agency: { id: string } | null } }>(
      callers[name],
      '{ viewer { canRegisterShelter agency { id } } }',
    );
    const res = await executeText(env.handler, callers[name], REGISTER, {
      input: {
        name: 'Egenhuset',
        operatorId: viewer.agency?.id ?? 'nav',
        region: 'Oslo',
        targetGroups: ['WOMEN'],
        services: ['SAFE_HOUSING'],
      },
    });
    agree(viewer.canRegisterShelter, res);
  });
});

describe('a budget line held by nav, and an allocation on it', () => {
  let line = 900;
  const navLine = () => createBudgetLine(env.handler, { agencyId: 'nav', chapter: line++ }, as.nav);
  type Line = { id: string; version: number; viewerCanAllocate: boolean; viewerCanRevise: boolean };
  /** The line as the caller reads it in the year's list. */
  async function lineAs(caller: Caller, id: string): Promise<Line> {
    const { budgetLines } = await ask<{ budgetLines: Line[] }>(
      caller,
      '{ budgetLines(fiscalYear: 2012, agencyId: "nav") { id version viewerCanAllocate viewerCanRevise } }',
    );
    const found = budgetLines.find((l) => l.id === id);
    if (!found) throw new Error(`line ${id} not listed`);
    return found;
  }

  it.each(names)('%s: viewerCanAllocate agrees with allocateFunds', async (name) => {
    const id = await navLine();
    const budgetLine = await lineAs(callers[name], id);
    agree(
      budgetLine.viewerCanAllocate,
      await allocate(env.handler, { budgetLineId: id, amount: '100.00', recipientId: 'nav' }, callers[name]),
    );
  });

  it.each(names)('%s: viewerCanRevise agrees with reviseBudgetLine', async (name) => {
    const id = await navLine();
    const budgetLine = await lineAs(callers[name], id);
    const res = await executeText(
      env.handler,
      callers[name],
      'mutation ($input: ReviseBudgetLineInput!) { reviseBudgetLine(input: $input) { budgetLine { id } } }',
      {
        input: {
          id,
          appropriated: '2000000.00',
          reason: 'Revidert budsjett',
          decidedOn: '2012-06-01',
          expectedVersion: budgetLine.version,
        },
      },
    );
    agree(budgetLine.viewerCanRevise, res);
  });

  it.each(names)('%s: Allocation.viewerCanDisburse agrees with recordDisbursement', async (name) => {
    const budgetLineId = await navLine();
    const made = await allocate(env.handler, { budgetLineId, amount: '100.00', recipientId: 'nav' }, as.nav);
    const allocationId = made.data?.allocateFunds.allocation.id ?? '';
    const { allocations } = await ask<{ allocations: { edges: { node: { id: string; viewerCanDisburse: boolean } }[] } }>(
      callers[name],
      'query ($filter: AllocationFilter!) { allocations(filter: $filter) { edges { node { id viewerCanDisburse } } } }',
      { filter: { budgetLineId } },
    );
    const node = allocations.edges.find((e) => e.node.id === allocationId)?.node;
    expect(node).toBeDefined();
    agree(node?.viewerCanDisburse ?? false, await disburse(env.handler, { allocationId, amount: '10.00' }, callers[name]));
  });

  it.each(names)('%s: Agency.viewerCanCreateBudgetLine and Viewer.canCreateBudgetLine agree with createBudgetLine', async (name) => {
    const { agency, viewer } = await ask<{
      agency: { viewerCanCreateBudgetLine: boolean };
      viewer: { canCreateBudgetLine: boolean; agency: { id: string } | null };
    }>(callers[name], '{ agency(id: "nav") { viewerCanCreateBudgetLine } viewer { canCreateBudgetLine agency { id } } }');
    const create = (agencyId: string) =>
      executeText(env.handler, callers[name], CREATE_LINE, {
        input: { fiscalYear: 2013, agencyId, chapter: line++, post: 70, title: 'Evne', appropriated: '1000.00' },
      });
    agree(agency.viewerCanCreateBudgetLine, await create('nav'));
    // For its own agency: the policy allows any agency, and the input then asks that it hold appropriations
    // (a ministry or a directorate), which Kirkens Bymisjon, an NGO, does not; that refusal is not FORBIDDEN.
    const own = await create(viewer.agency?.id ?? 'nav');
    if (viewer.canCreateBudgetLine && name === 'otherAgency')
      expect(own.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    else agree(viewer.canCreateBudgetLine, own);
  });
});

describe('agencies and the viewer', () => {
  it.each(names)('%s: Agency.viewerCanEdit agrees with updateAgency; Viewer.canManageAgencies with createAgency', async (name) => {
    const id = `evne-${serial++}-${Date.now().toString(36)}`;
    await ask(as.coordinator, 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }', {
      input: { id, name: `Evne ${id}`, kind: 'NGO' },
    });
    const data = await ask<{ agency: { viewerCanEdit: boolean; version: number }; viewer: { canManageAgencies: boolean } }>(
      callers[name],
      'query ($id: ID!) { agency(id: $id) { viewerCanEdit version } viewer { canManageAgencies } }',
      { id },
    );
    agree(
      data.agency.viewerCanEdit,
      await executeText(
        env.handler,
        callers[name],
        'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }',
        {
          input: { id, expectedVersion: data.agency.version, shortName: 'EV' },
        },
      ),
    );
    agree(
      data.viewer.canManageAgencies,
      await executeText(
        env.handler,
        callers[name],
        'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }',
        {
          input: { id: `${id}-ny`, name: `Ny ${id}`, kind: 'NGO' },
        },
      ),
    );
  });

  it.each(names)('%s: Agency.viewerCanReadContact agrees with contactEmail', async (name) => {
    const id = `kontakt-${serial++}-${Date.now().toString(36)}`;
    await ask(as.coordinator, 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }', {
      input: { id, name: `Kontakt ${id}`, kind: 'NGO', contactEmail: 'post@example.org' },
    });
    for (const agencyId of [id, 'nav', 'kirkens-bymisjon']) {
      const { agency } = await ask<{ agency: { viewerCanReadContact: boolean; contactEmail: string | null } }>(
        callers[name],
        'query ($id: ID!) { agency(id: $id) { viewerCanReadContact contactEmail } }',
        { id: agencyId },
      );
      const { agency: asCoordinator } = await ask<{ agency: { contactEmail: string | null } }>(
        as.coordinator,
        'query ($id: ID!) { agency(id: $id) { contactEmail } }',
        { id: agencyId },
      );
      expect(agency.contactEmail).toBe(agency.viewerCanReadContact ? asCoordinator.contactEmail : null);
      if (agencyId === id) expect(agency.viewerCanReadContact).toBe(name === 'coordinator');
    }
  });

  it.each(names)("%s: Viewer.canReadAudit and Agency.viewerCanReadAuditTrail agree with auditTrail of nav's budget line", async (name) => {
    const lineId = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 990 + serial++ }, as.nav);
    const data = await ask<{ viewer: { canReadAudit: boolean }; agency: { viewerCanReadAuditTrail: boolean } }>(
      callers[name],
      '{ viewer { canReadAudit } agency(id: "nav") { viewerCanReadAuditTrail } }',
    );
    const res = await executeText<{ auditTrail: { edges: unknown[] } }>(
      env.handler,
      callers[name],
      'query ($id: ID!) { auditTrail(entityId: $id) { edges { node { id } } } }',
      { id: lineId },
    );
    agree(data.viewer.canReadAudit, res);
    const entries = res.data?.auditTrail.edges.length ?? 0;
    expect(entries > 0).toBe(data.agency.viewerCanReadAuditTrail);
  });

  it.each(names)('%s: Viewer.canEditPlans agrees with createMeasure', async (name) => {
    const { viewer } = await ask<{ viewer: { canEditPlans: boolean } }>(callers[name], '{ viewer { canEditPlans } }');
    const res = await executeText(env.handler, callers[name], CREATE_MEASURE, {
      input: { planId: 'hp-2011-2014', title: `Fra viewer ${serial++}`, goalNumbers: [1] },
    });
    agree(viewer.canEditPlans, res);
  });
});

describe('the fields cost no request', () => {
  it('each object read with its ability fields makes exactly the requests it makes without them', async () => {
    const measureId = await measureWith('LEAD');
    const shelterId = await createShelter(env.handler);
    const lineId = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 1990 }, as.nav);
    const q =
      (text: string, variables: Record<string, unknown> = {}) =>
      () =>
        executeText(env.handler, as.nav, text, variables);
    const plain = {
      viewer: q('{ viewer { subject agency { id } } }'),
      plan: q('{ actionPlan(id: "hp-2011-2014") { id title } }'),
      measure: q('query ($id: ID!) { measure(id: $id) { id title } }', { id: measureId }),
      shelter: q('query ($id: ID!) { shelter(id: $id) { id name } }', { id: shelterId }),
      line: q(
        'query ($id: ID!) { allocations(filter: { budgetLineId: $id }) { edges { node { id } } } budgetLines(fiscalYear: 2012, agencyId: "nav") { id } }',
        { id: lineId },
      ),
      agency: q('{ agency(id: "nav") { id name } }'),
    };
    const withAbilities = {
      viewer: q('{ viewer { subject agency { id } canEditPlans canManageAgencies canReadAudit canRegisterShelter canCreateBudgetLine } }'),
      plan: q('{ actionPlan(id: "hp-2011-2014") { id title viewerCanEdit viewerCanCreateMeasure viewerCanSetReportingSchedule } }'),
      measure: q(
        'query ($id: ID!) { measure(id: $id) { id title viewerCanEdit viewerCanAssign viewerCanReport viewerCanSetStatus viewerCanManageResults } }',
        { id: measureId },
      ),
      shelter: q('query ($id: ID!) { shelter(id: $id) { id name viewerCanUpdate viewerCanReportCapacity viewerCanReadAddress } }', {
        id: shelterId,
      }),
      line: q(
        'query ($id: ID!) { allocations(filter: { budgetLineId: $id }) { edges { node { id viewerCanDisburse } } } budgetLines(fiscalYear: 2012, agencyId: "nav") { id viewerCanAllocate viewerCanRevise } }',
        { id: lineId },
      ),
      agency: q('{ agency(id: "nav") { id name viewerCanEdit viewerCanReadContact viewerCanReadAuditTrail viewerCanCreateBudgetLine } }'),
    };
    expect(await env.requestsPerOperation(withAbilities)).toEqual(await env.requestsPerOperation(plain));
  });
});
