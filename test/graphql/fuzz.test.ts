import fc from 'fast-check';
import { buildSchema, parse, print, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllocateFundsDocument,
  AssignResponsibilityDocument,
  RecordDisbursementDocument,
  ReportCapacityDocument,
  SubmitStatusReportDocument,
  UpdateMeasureDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { recountPlan } from '../../data/recount-plan.js';
import { createRepositories } from '../../functions/app/context.js';
import { limits } from '../../functions/graphql/generated/limits.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { countKeys, type MeasureStatus } from '../../functions/plans/plans.model.js';
import { formatMoney } from '../../functions/shared/money.js';
import { apiEvent, as, type Caller, send } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine } from '../support/funding.js';
import { scanAll } from '../support/scan.js';
import { createShelter } from '../support/shelters.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ stage: 'prod' });
  await loadSeed(env.db());
  // A plan of its own for the valid goals, so that the fuzzed plan's goals stay those the run's measures may name.
  const plan = await send(
    env.handler,
    apiEvent(as.coordinator, {
      body: JSON.stringify({
        query: 'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }',
        variables: {
          input: {
            id: 'fuzz-goals',
            title: 'Mål',
            periodStart: '2015-01-01',
            periodEnd: '2018-12-31',
            coordinatorId: 'jd',
            measureCount: 10,
          },
        },
      }),
    }),
  );
  if (plan.errors) throw new Error(`createPlan failed: ${plan.raw}`);
  // A little state of every kind, so that the run's writes on shelters and money can land from the start.
  const shelter = await createShelter(env.handler);
  created.shelter.push(shelter);
  operators.set(shelter, 'kirkens-bymisjon');
  const line = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 605, post: 1 }, as.nav);
  created.line.push(line);
  roomyLines.push({ id: line, fiscalYear: 2012 });
  const allocation = await allocate(env.handler, { budgetLineId: line, amount: '1000.00', recipientId: 'nav' }, as.nav);
  const allocationId = allocation.data?.allocateFunds.allocation.id ?? '';
  created.allocation.push(allocationId);
  roomyAllocations.push({ id: allocationId, fiscalYear: 2012 });
});

/** The codes docs/api.md allows, the request errors Apollo answers for invalid variables, and a retryable fault. */
const ALLOWED_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'SERVICE_UNAVAILABLE',
]);
const STACK_TRACE = /stacktrace|\n\s+at |\bat [^"]*\.(ts|js):\d+/;

/** Ids that writes create during the run, so that later writes can act on them. */
type Kind = 'measure' | 'shelter' | 'line' | 'allocation' | 'milestone' | 'indicator' | 'integration';
const created: Record<Kind, string[]> = {
  measure: [],
  shelter: [],
  line: [],
  allocation: [],
  milestone: [],
  indicator: [],
  integration: [],
};
/** The operating agency of each shelter the run may write on. */
const operators = new Map<string, string>([['lauras-hus', 'kirkens-bymisjon']]);
/** Lines and allocations that valid writes made with room to spare, and the fiscal year their dates must lie in. */
const roomyLines: { id: string; fiscalYear: number }[] = [];
const roomyAllocations: { id: string; fiscalYear: number }[] = [];

/** An id: one that exists in the seed, one the run created (resolved when the request is sent), or anything at all. */
type IdArb = { ref: Kind; index: number } | string;
const id = (kind: Kind, known: readonly string[]): fc.Arbitrary<IdArb> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((index) => ({ ref: kind, index })) },
    { weight: 2, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );

const seedMeasures = ['hp-2011-2014-kom', 'hp-2011-2014-nav-kontor', 'hp-2011-2014-lauras-hus', 'hp-2011-2014-botilbud', 'no-such-measure'];
const agencies = ['nav', 'jd', 'kirkens-bymisjon', 'ad', 'bld', 'no-such-agency'];
const statuses = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED', 'DISCONTINUED'] as const;
const kinds = ['MINISTRY', 'DIRECTORATE', 'MUNICIPALITY', 'POLICE', 'NGO', 'OTHER'] as const;
/** An organisasjonsnummer with its modulus-11 control digit, from eight drawn digits (none when the remainder gives 10). */
const withControl = (eight: number): string | null => {
  const digits = String(eight).padStart(8, '0');
  const sum = [3, 2, 7, 6, 5, 4, 3, 2].reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const control = (11 - (sum % 11)) % 11;
  return control === 10 ? null : `${digits}${control}`;
};
/** Mostly valid, sometimes not: a request with one bad field is refused whole, so most fields must be good for writes to land. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: invalid });
const orgNumber = mostly(
  fc.integer({ min: 0, max: 99_999_999 }).map((n) => withControl(n) ?? '974760673'),
  fc.oneof(fc.string({ maxLength: 11 }), fc.constantFrom('974760674', '12345678', '0000000010')),
);
const agencyIdArb = mostly(
  fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}$/),
  fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('nav', 'Nav', 'constructor', '__proto__', 'a--b')),
);

const text = (max: number) => mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.oneof(fc.string({ maxLength: max }), fc.constant('')));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const status = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...statuses) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const goals = fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 4 });
const period = fc.oneof(
  fc.constantFrom('2011', '2012-H1', '2013-Q3', '2014-Q4', '2010', '2015-H2', '2012-Q5'),
  fc.string({ maxLength: 10 }),
);
const date = fc.oneof(
  fc.date({ min: new Date('2010-06-01'), max: new Date('2015-06-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2012-02-30', '2013-13-01', '9999-12-31', 'yesterday'),
);
const money = fc.oneof(
  fc.integer({ min: 1, max: 5_000_000 }).map((kr) => `${kr}.00`),
  fc.integer({ min: 0, max: 99_999 }).map((ore) => (ore / 100).toFixed(2)),
  fc.constantFrom('0', '-5.00', '1.005', '1e9', 'abc', '99999999999999999999999.00', ''),
);
const targetGroups = fc.array(fc.constantFrom('WOMEN', 'MEN', 'GIRLS', 'BOYS', 'ADULTS'), { maxLength: 3 });
const services = fc.array(fc.constantFrom('SAFE_HOUSING', 'PSYCHOLOGICAL_SUPPORT', 'MATERIAL_ASSISTANCE', 'NONE'), { maxLength: 3 });
const region = fc.oneof(fc.constantFrom('Oslo', 'Rogaland', 'Troms', 'Olso'), fc.string({ maxLength: 20 }));
const integrationRole = fc.constantFrom('FUNDER', 'VIEWER', 'COORDINATOR', 'AGENCY_EDITOR', 'OWNER');
const integrationScopes = fc.array(fc.constantFrom('READ', 'WRITE', 'PUBLISH_DOCUMENTS', 'ADMIN'), { maxLength: 4 });

interface Mutation {
  readonly field: string;
  readonly document: string;
  /** Where the id of what it created is in the answer, when it creates something the run can use again. */
  readonly creates?: { readonly kind: Kind; readonly path: readonly string[] };
  readonly input: fc.Arbitrary<Record<string, unknown>>;
}

const textDocument = (field: string, inputType: string, selection: string) =>
  `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`;

/** Every mutation of the contract and schema, each with inputs from valid to absurd. */
const mutations: readonly Mutation[] = [
  {
    field: 'createMeasure',
    document: textDocument('createMeasure', 'CreateMeasureInput', 'measure { id version }'),
    creates: { kind: 'measure', path: ['createMeasure', 'measure', 'id'] },
    input: fc.record(
      {
        planId: fc.oneof({ weight: 5, arbitrary: fc.constant('hp-2011-2014') }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
        number: optional(mostly(fc.integer({ min: 1, max: 35 }), fc.constantFrom(-3, 0, 36, 500))),
        title: text(310),
        description: optional(text(5010)),
        goalNumbers: goals,
        status: optional(status),
      },
      { requiredKeys: ['planId', 'title', 'goalNumbers'] },
    ),
  },
  {
    field: 'updateMeasure',
    document: print(UpdateMeasureDocument),
    input: fc.record(
      {
        id: id('measure', seedMeasures),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        title: optional(text(310)),
        description: optional(text(300)),
        status: optional(status),
        goalNumbers: optional(goals),
      },
      { requiredKeys: ['id', 'expectedVersion'] },
    ),
  },
  {
    field: 'assignResponsibility',
    document: print(AssignResponsibilityDocument),
    input: fc.record({
      measureId: id('measure', seedMeasures),
      agencyId: fc.constantFrom(...agencies),
      role: fc.constantFrom('LEAD', 'SHARED', 'LEAD', 'OWNER'),
    }),
  },
  {
    field: 'removeResponsibility',
    document: textDocument('removeResponsibility', 'RemoveResponsibilityInput', 'responsibility { role } measure { id lead { id } }'),
    input: fc.record({ measureId: id('measure', seedMeasures), agencyId: fc.constantFrom(...agencies) }),
  },
  {
    field: 'submitStatusReport',
    document: print(SubmitStatusReportDocument),
    input: fc.record({
      measureId: id('measure', seedMeasures),
      period,
      status,
      progressPercent: mostly(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101, 1000)),
      summary: text(5010),
    }),
  },
  {
    field: 'registerShelter',
    document: textDocument('registerShelter', 'RegisterShelterInput', 'shelter { id version }'),
    creates: { kind: 'shelter', path: ['registerShelter', 'shelter', 'id'] },
    input: fc.record(
      {
        name: text(210),
        operatorId: fc.constantFrom(...agencies),
        region,
        municipality: optional(text(60)),
        address: optional(text(100)),
        targetGroups,
        services,
        measureIds: optional(fc.array(id('measure', seedMeasures), { maxLength: 2 })),
      },
      { requiredKeys: ['name', 'operatorId', 'region', 'targetGroups', 'services'] },
    ),
  },
  {
    field: 'updateShelter',
    document: textDocument('updateShelter', 'UpdateShelterInput', 'shelter { id version }'),
    input: fc.record(
      {
        id: id('shelter', ['no-such-shelter']),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        name: optional(text(210)),
        municipality: optional(text(60)),
        address: optional(text(100)),
        targetGroups: optional(targetGroups),
        services: optional(services),
      },
      { requiredKeys: ['id', 'expectedVersion'] },
    ),
  },
  {
    field: 'reportCapacity',
    document: print(ReportCapacityDocument),
    input: fc.record({
      shelterId: id('shelter', ['no-such-shelter']),
      date,
      capacity: mostly(fc.integer({ min: 0, max: 60 }), fc.constant(-1)),
      occupied: fc.integer({ min: -2, max: 70 }),
    }),
  },
  {
    field: 'createBudgetLine',
    document: textDocument('createBudgetLine', 'CreateBudgetLineInput', 'budgetLine { id }'),
    creates: { kind: 'line', path: ['createBudgetLine', 'budgetLine', 'id'] },
    input: fc.record({
      fiscalYear: mostly(fc.integer({ min: 2011, max: 2014 }), fc.constantFrom(2009, 2015)),
      agencyId: fc.constantFrom(...agencies),
      chapter: mostly(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(0, 10_000)),
      post: mostly(fc.integer({ min: 1, max: 99 }), fc.constantFrom(0, 100)),
      title: text(210),
      appropriated: money,
    }),
  },
  {
    field: 'reviseBudgetLine',
    document: textDocument('reviseBudgetLine', 'ReviseBudgetLineInput', 'budgetLine { id version appropriated }'),
    input: fc.record({
      id: id('line', ['no-such-line']),
      appropriated: money,
      reason: text(510),
      decidedOn: date,
      expectedVersion: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    field: 'allocateFunds',
    document: print(AllocateFundsDocument),
    creates: { kind: 'allocation', path: ['allocateFunds', 'allocation', 'id'] },
    input: fc.record(
      {
        budgetLineId: id('line', ['no-such-line']),
        amount: money,
        measureId: optional(id('measure', seedMeasures)),
        recipientId: optional(fc.constantFrom(...agencies)),
        shelterId: optional(id('shelter', ['no-such-shelter'])),
        idempotencyKey: mostly(fc.oneof(fc.uuid(), fc.constantFrom('k1', 'k2')), fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }))),
      },
      { requiredKeys: ['budgetLineId', 'amount', 'idempotencyKey'] },
    ),
  },
  {
    field: 'createPlan',
    document: textDocument('createPlan', 'CreatePlanInput', 'plan { id version }'),
    input: fc.record({
      id: agencyIdArb,
      title: text(310),
      periodStart: date,
      periodEnd: date,
      coordinatorId: fc.constantFrom(...agencies),
      measureCount: mostly(fc.integer({ min: 0, max: 60 }), fc.constantFrom(-1, 1001)),
    }),
  },
  {
    field: 'updatePlan',
    document: textDocument('updatePlan', 'UpdatePlanInput', 'plan { id version }'),
    input: fc.record(
      {
        id: fc.constantFrom('hp-2011-2014', 'no-such-plan'),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        title: optional(text(310)),
        // Not its period: a valid report of the run must stay inside it.
        coordinatorId: optional(fc.constantFrom(...agencies)),
        measureCount: optional(mostly(fc.integer({ min: 35, max: 60 }), fc.constantFrom(-1, 0, 4))),
      },
      { requiredKeys: ['id', 'expectedVersion'] },
    ),
  },
  {
    field: 'createGoal',
    document: textDocument('createGoal', 'CreateGoalInput', 'plan { id version }'),
    input: fc.record({ planId: fc.constantFrom('hp-2011-2014', 'no-such-plan'), title: text(310) }),
  },
  {
    field: 'createAgency',
    document: textDocument('createAgency', 'CreateAgencyInput', 'agency { id version }'),
    input: fc.record(
      {
        id: agencyIdArb,
        name: text(210),
        shortName: optional(text(40)),
        kind: mostly(fc.constantFrom(...kinds), fc.string({ maxLength: 10 })),
        organizationNumber: optional(orgNumber),
        parentId: optional(fc.constantFrom(...agencies)),
        contactEmail: optional(mostly(fc.emailAddress(), fc.string({ maxLength: 30 }))),
      },
      { requiredKeys: ['id', 'name', 'kind'] },
    ),
  },
  {
    field: 'updateAgency',
    document: textDocument('updateAgency', 'UpdateAgencyInput', 'agency { id version }'),
    input: fc.record(
      {
        id: fc.constantFrom(...agencies),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        name: optional(text(210)),
        nameValidFrom: optional(date),
        shortName: optional(text(40)),
        organizationNumber: optional(orgNumber),
        parentId: optional(fc.constantFrom(...agencies)),
      },
      { requiredKeys: ['id', 'expectedVersion'] },
    ),
  },
  {
    field: 'recordDisbursement',
    document: print(RecordDisbursementDocument),
    input: fc.record({
      allocationId: id('allocation', ['no-such-allocation']),
      date,
      amount: money,
      idempotencyKey: mostly(fc.oneof(fc.uuid(), fc.constantFrom('d1', 'd2')), fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }))),
    }),
  },
  // The reporting calendar, milestones and indicators (issue 14).
  {
    field: 'setReportingSchedule',
    document: textDocument('setReportingSchedule', 'SetReportingScheduleInput', 'plan { id version }'),
    input: fc.record(
      {
        planId: fc.constantFrom('fuzz-goals', 'hp-2011-2014', 'no-such-plan'),
        periods: fc.array(fc.record({ period, dueDate: date }), { maxLength: 5 }),
        expectedVersion: optional(fc.integer({ min: 0, max: 4 })),
      },
      { requiredKeys: ['planId', 'periods'] },
    ),
  },
  {
    field: 'addMilestone',
    document: textDocument('addMilestone', 'AddMilestoneInput', 'milestone { id version status }'),
    creates: { kind: 'milestone', path: ['addMilestone', 'milestone', 'id'] },
    input: fc.record({ measureId: id('measure', seedMeasures), title: text(310), dueDate: date }),
  },
  {
    field: 'updateMilestone',
    document: textDocument('updateMilestone', 'UpdateMilestoneInput', 'milestone { id version }'),
    input: fc.record(
      {
        id: id('milestone', ['no-such-milestone', 'x#M#y']),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        title: optional(text(310)),
        dueDate: optional(date),
      },
      { requiredKeys: ['id', 'expectedVersion'] },
    ),
  },
  {
    field: 'completeMilestone',
    document: textDocument('completeMilestone', 'CompleteMilestoneInput', 'milestone { id status }'),
    input: fc.record({ id: id('milestone', ['no-such-milestone']), doneOn: date }),
  },
  {
    field: 'defineIndicator',
    document: textDocument('defineIndicator', 'DefineIndicatorInput', 'indicator { id }'),
    creates: { kind: 'indicator', path: ['defineIndicator', 'indicator', 'id'] },
    input: fc.record({
      measureId: id('measure', seedMeasures),
      name: text(310),
      unit: text(50),
      baseline: fc.oneof(fc.double(), fc.constantFrom(1e13, -1e13, 0)),
      target: fc.double({ noNaN: true }),
      direction: fc.constantFrom('INCREASE', 'DECREASE', 'SIDEWAYS'),
    }),
  },
  {
    field: 'registerIntegration',
    document: textDocument('registerIntegration', 'RegisterIntegrationInput', 'integration { clientId version }'),
    creates: { kind: 'integration', path: ['registerIntegration', 'integration', 'clientId'] },
    input: fc.record(
      {
        clientId: mostly(fc.stringMatching(/^[a-z0-9]{26}$/), fc.oneof(fc.string({ maxLength: 140 }), fc.constantFrom('a b', 'a/b', ''))),
        name: text(110),
        role: optional(integrationRole),
        agencyId: optional(agencyIdArb),
        scopes: integrationScopes,
      },
      { requiredKeys: ['clientId', 'name', 'scopes'] },
    ),
  },
  {
    field: 'updateIntegration',
    document: textDocument('updateIntegration', 'UpdateIntegrationInput', 'integration { clientId role scopes version }'),
    input: fc.record(
      {
        clientId: id('integration', ['no-such-client']),
        expectedVersion: fc.integer({ min: 0, max: 4 }),
        name: optional(text(110)),
        role: optional(integrationRole),
        agencyId: optional(agencyIdArb),
        scopes: optional(integrationScopes),
      },
      { requiredKeys: ['clientId', 'expectedVersion'] },
    ),
  },
  {
    field: 'revokeIntegration',
    document: textDocument('revokeIntegration', 'RevokeIntegrationInput', 'integration { clientId status version }'),
    input: fc.record({ clientId: id('integration', ['no-such-client']), expectedVersion: fc.integer({ min: 0, max: 4 }) }),
  },
  {
    field: 'recordIndicatorValue',
    document: textDocument('recordIndicatorValue', 'RecordIndicatorValueInput', 'indicator { id values { period value } }'),
    input: fc.record(
      {
        indicatorId: id('indicator', ['no-such-indicator']),
        period,
        value: fc.oneof(fc.double(), fc.constantFrom(1e300, -0)),
        comment: optional(text(1010)),
      },
      { requiredKeys: ['indicatorId', 'period', 'value'] },
    ),
  },
];

const coordinator: [string, Caller] = ['coordinator', as.coordinator];
const callers: readonly [string, Caller][] = [
  coordinator,
  ['agency:nav', as.nav],
  ['agency:kirkens-bymisjon', as.otherAgency],
  ['funder', as.funder],
  ['viewer', as.viewer],
  ['anonymous', as.anonymous],
];

/** Well-typed variables mostly; now and then variables of any shape at all. */
const request = fc.constantFrom(...mutations).chain((mutation) =>
  fc.record({
    mutation: fc.constant(mutation),
    variables: fc.oneof(
      { weight: 8, arbitrary: mutation.input.map((input) => ({ input })) },
      { weight: 1, arbitrary: fc.record({ input: fc.jsonValue() }) },
      { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }) },
    ),
    caller: fc.oneof({ weight: 4, arbitrary: fc.constant(coordinator) }, { weight: 6, arbitrary: fc.constantFrom(...callers) }),
  }),
);

/** The variables with each reference to a created id replaced by one (or by an id that exists nowhere). */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    if ('ref' in value && 'index' in value && Object.keys(value).length === 2) {
      const pool = created[value.ref as Kind];
      return pool.length > 0 ? pool[(value.index as number) % pool.length] : `no-such-${String(value.ref)}`;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

/*
 * Valid writes. Random variables are refused far more often than not (one bad field refuses the whole
 * request), so that on their own some kinds of write never land, and the invariants below would hold
 * over nothing. Each session of the run therefore also sends one valid write of every kind, by a caller
 * with the right to it. What a valid write must match (a version, a held responsibility, an operator,
 * a fiscal year) is read when it is sent, from the state the run has made so far.
 */

/** A valid write as the run sends it: its draw, and what it becomes against the state at that moment. */
interface ValidWrite {
  readonly field: string;
  readonly draw: unknown;
  readonly prepare: () => Promise<{ caller: [string, Caller]; input: Record<string, unknown> }>;
  /** A failing session prints each valid write as what was drawn for it. */
  readonly [fc.toStringMethod]: () => string;
}

const valid = <T>(field: string, draw: fc.Arbitrary<T>, prepare: (d: T) => ReturnType<ValidWrite['prepare']>) =>
  draw.map(
    (d): ValidWrite => ({ field, draw: d, prepare: () => prepare(d), [fc.toStringMethod]: () => `valid ${field} ${fc.stringify(d)}` }),
  );

const realMeasures = seedMeasures.filter((m) => m !== 'no-such-measure');
const realAgencies = agencies.filter((a) => a !== 'no-such-agency');
const holders = ['ad', 'jd', 'nav', 'bld', 'hod'];
/** The staff of a shelter's operating agency: the run's shelters are Kirkens Bymisjon's or NAV's. */
function operatorOf(agencyId: string | undefined): [string, Caller] {
  if (agencyId === 'nav') return ['agency:nav', as.nav];
  if (agencyId === 'kirkens-bymisjon') return ['agency:kirkens-bymisjon', as.otherAgency];
  throw new Error(`no caller of the run operates for ${agencyId}`);
}
const validText = (max: number) => fc.string({ minLength: 1, maxLength: Math.min(max, 60) }).filter((t) => t.trim().length > 0);
const validPeriod = fc.constantFrom(
  ...[2011, 2012, 2013, 2014].flatMap((y) => ['', '-H1', '-H2', '-Q1', '-Q2', '-Q3', '-Q4'].map((p) => `${y}${p}`)),
);
const validGoals = fc.subarray([1, 2, 3, 4, 5]);
const validStatus = fc.constantFrom(...statuses);
const validDate = fc
  .date({ min: new Date('2011-01-01'), max: new Date('2014-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const pick = <T>(pool: readonly T[], index: number): T => {
  const item = pool[index % pool.length];
  if (item === undefined) throw new Error('empty pool');
  return item;
};
const measurePool = () => [...realMeasures, ...created.measure];
const shelterPool = () => [...operators.keys()];

/** The measure's current version and the agencies that hold a responsibility for it, read as the coordinator. */
async function measureState(id: string) {
  const res = await send<{ measure: { version: number; responsibilities: { agency: { id: string } }[] } | null }>(
    env.handler,
    apiEvent(as.coordinator, {
      body: JSON.stringify({
        query: 'query ($id: ID!) { measure(id: $id) { version responsibilities { agency { id } } } }',
        variables: { id },
      }),
    }),
  );
  const measure = res.data?.measure;
  if (!measure) throw new Error(`measure ${id} unreadable: ${res.raw}`);
  return { version: measure.version, holders: measure.responsibilities.map((r) => r.agency.id) };
}

async function shelterVersion(id: string): Promise<number> {
  const res = await send<{ shelter: { version: number } | null }>(
    env.handler,
    apiEvent(as.viewer, { body: JSON.stringify({ query: 'query ($id: ID!) { shelter(id: $id) { version } }', variables: { id } }) }),
  );
  const version = res.data?.shelter?.version;
  if (version === undefined) throw new Error(`shelter ${id} unreadable: ${res.raw}`);
  return version;
}

let agenciesMade = 0;

async function agencyVersion(id: string): Promise<number> {
  const res = await send<{ agency: { version: number } | null }>(
    env.handler,
    apiEvent(as.viewer, { body: JSON.stringify({ query: 'query ($id: ID!) { agency(id: $id) { version } }', variables: { id } }) }),
  );
  const version = res.data?.agency?.version;
  if (version === undefined) throw new Error(`agency ${id} unreadable: ${res.raw}`);
  return version;
}

let plansMade = 0;

async function planVersion(id: string): Promise<number> {
  const res = await send<{ actionPlan: { version: number } | null }>(
    env.handler,
    apiEvent(as.viewer, { body: JSON.stringify({ query: 'query ($id: ID!) { actionPlan(id: $id) { version } }', variables: { id } }) }),
  );
  const version = res.data?.actionPlan?.version;
  if (version === undefined) throw new Error(`plan ${id} unreadable: ${res.raw}`);
  return version;
}

const validWrites: Record<string, fc.Arbitrary<ValidWrite>> = {
  createPlan: valid('createPlan', fc.record({ title: validText(300), count: fc.integer({ min: 0, max: 50 }) }), async (d) => ({
    caller: coordinator,
    input: {
      id: `fuzz-plan-${plansMade++}`,
      title: d.title,
      periodStart: '2015-01-01',
      periodEnd: '2018-12-31',
      coordinatorId: 'jd',
      measureCount: d.count,
    },
  })),
  // The fuzzed plan's own goals and title change; its measures stay valid (35 holds every number a measure may take).
  updatePlan: valid('updatePlan', fc.record({ title: validText(300) }), async (d) => ({
    caller: coordinator,
    input: { id: 'hp-2011-2014', expectedVersion: await planVersion('hp-2011-2014'), title: d.title },
  })),
  createGoal: valid('createGoal', fc.record({ title: validText(300) }), async (d) => ({
    caller: coordinator,
    input: { planId: 'fuzz-goals', title: d.title },
  })),
  createAgency: valid(
    'createAgency',
    fc.record({ name: validText(200), kind: fc.constantFrom(...kinds), parent: fc.option(fc.constantFrom('jd', 'bld')) }),
    // An id in use is BAD_USER_INPUT, not CONFLICT: each valid creation takes an id of its own.
    async (d) => ({
      caller: coordinator,
      input: { id: `fuzz-agency-${agenciesMade++}`, name: d.name, kind: d.kind, ...(d.parent ? { parentId: d.parent } : {}) },
    }),
  ),
  updateAgency: valid('updateAgency', fc.record({ agency: fc.constantFrom('ad', 'fd', 'krd'), shortName: validText(30) }), async (d) => ({
    caller: coordinator,
    input: { id: d.agency, expectedVersion: await agencyVersion(d.agency), shortName: d.shortName },
  })),
  createMeasure: valid(
    'createMeasure',
    fc.record({
      title: validText(300),
      goalNumbers: validGoals,
      status: validStatus,
      number: fc.option(fc.integer({ min: 1, max: 35 }), { freq: 2 }),
    }),
    async (d) => ({ caller: coordinator, input: { planId: 'hp-2011-2014', ...d, number: d.number ?? undefined } }),
  ),
  updateMeasure: valid('updateMeasure', fc.record({ measure: fc.nat(), title: validText(300), status: validStatus }), async (d) => {
    const id = pick(measurePool(), d.measure);
    return { caller: coordinator, input: { id, expectedVersion: (await measureState(id)).version, title: d.title, status: d.status } };
  }),
  assignResponsibility: valid(
    'assignResponsibility',
    // LEAD is CONFLICT when another agency holds it: SHARED most often, so that most land.
    fc.record({ measure: fc.nat(), agency: fc.constantFrom(...realAgencies), lead: fc.boolean() }),
    async (d) => ({
      caller: coordinator,
      input: { measureId: pick(measurePool(), d.measure), agencyId: d.agency, role: d.lead ? 'LEAD' : 'SHARED' },
    }),
  ),
  removeResponsibility: valid('removeResponsibility', fc.record({ measure: fc.nat(), agency: fc.nat() }), async (d) => {
    // A responsibility that is held: the first measure from the drawn one on that has any, else one assigned for it.
    const pool = measurePool();
    for (let k = 0; k < pool.length; k++) {
      const measureId = pick(pool, d.measure + k);
      const { holders } = await measureState(measureId);
      if (holders.length > 0) return { caller: coordinator, input: { measureId, agencyId: pick(holders, d.agency) } };
    }
    const measureId = pick(pool, d.measure);
    const agencyId = pick(realAgencies, d.agency);
    await send(
      env.handler,
      apiEvent(as.coordinator, {
        body: JSON.stringify({ query: print(AssignResponsibilityDocument), variables: { input: { measureId, agencyId, role: 'SHARED' } } }),
      }),
    );
    return { caller: coordinator, input: { measureId, agencyId } };
  }),
  submitStatusReport: valid(
    'submitStatusReport',
    fc.record({
      measure: fc.nat(),
      period: validPeriod,
      status: validStatus,
      progressPercent: fc.integer({ min: 0, max: 100 }),
      summary: validText(5000),
    }),
    async ({ measure, ...d }) => ({ caller: coordinator, input: { measureId: pick(measurePool(), measure), ...d } }),
  ),
  registerShelter: valid(
    'registerShelter',
    fc.record({
      operator: fc.constantFrom('nav', 'kirkens-bymisjon'),
      name: validText(200),
      region: fc.constantFrom('Oslo', 'Rogaland', 'Troms', 'Hordaland', 'Nordland', 'Vestland'),
      targetGroups: fc.subarray(['WOMEN', 'MEN', 'GIRLS', 'BOYS'], { minLength: 1 }),
      services: fc.subarray(['SAFE_HOUSING', 'PSYCHOLOGICAL_SUPPORT', 'MATERIAL_ASSISTANCE', 'LEGAL_PROCEEDINGS_SUPPORT'], {
        minLength: 1,
      }),
      measureIds: fc.subarray(realMeasures, { maxLength: 2 }),
    }),
    async ({ operator, ...d }) => ({ caller: operatorOf(operator), input: { operatorId: operator, ...d } }),
  ),
  updateShelter: valid('updateShelter', fc.record({ shelter: fc.nat(), name: validText(200) }), async (d) => {
    const id = pick(shelterPool(), d.shelter);
    return { caller: operatorOf(operators.get(id)), input: { id, expectedVersion: await shelterVersion(id), name: d.name } };
  }),
  reportCapacity: valid(
    'reportCapacity',
    fc
      .record({
        shelter: fc.nat(),
        date: validDate,
        capacity: fc.integer({ min: 0, max: 60 }),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ share, ...d }) => ({ ...d, occupied: Math.floor(share * d.capacity) })),
    async ({ shelter, ...d }) => {
      const shelterId = pick(shelterPool(), shelter);
      return { caller: operatorOf(operators.get(shelterId)), input: { shelterId, ...d } };
    },
  ),
  createBudgetLine: valid(
    'createBudgetLine',
    fc.record({
      fiscalYear: fc.integer({ min: 2011, max: 2014 }),
      agencyId: fc.constantFrom(...holders),
      chapter: fc.integer({ min: 1, max: 9999 }),
      post: fc.integer({ min: 1, max: 99 }),
      title: validText(200),
      kroner: fc.integer({ min: 100_000, max: 50_000_000 }),
    }),
    // The plan named: the run's own plans may hold the same years.
    async ({ kroner, ...d }) => ({ caller: coordinator, input: { ...d, planId: 'hp-2011-2014', appropriated: `${kroner}.00` } }),
  ),
  // Raises a roomy line at the version stored: it stays above what is allocated, and roomy.
  reviseBudgetLine: valid(
    'reviseBudgetLine',
    fc.record({ line: fc.nat(), kroner: fc.integer({ min: 1, max: 1_000_000 }), reason: validText(500) }),
    async (d) => {
      const line = pick(roomyLines, d.line);
      const stored = await createRepositories(env.db()).funding.budgetLine(line.id);
      if (!stored) throw new Error(`line ${line.id} unreadable`);
      return {
        caller: coordinator,
        input: {
          id: line.id,
          appropriated: formatMoney(stored.appropriatedOre + BigInt(d.kroner) * 100n),
          reason: d.reason,
          decidedOn: `${stored.fiscalYear}-06-20`,
          expectedVersion: stored.version ?? 1,
        },
      };
    },
  ),
  allocateFunds: valid(
    'allocateFunds',
    fc.record({ line: fc.nat(), kroner: fc.integer({ min: 1, max: 100 }), measure: fc.option(fc.nat()), key: fc.uuid() }),
    async (d) => ({
      caller: coordinator,
      input: {
        budgetLineId: pick(roomyLines, d.line).id,
        amount: `${d.kroner}.00`,
        ...(d.measure === null ? { recipientId: 'nav' } : { measureId: pick(measurePool(), d.measure) }),
        idempotencyKey: d.key,
      },
    }),
  ),
  recordDisbursement: valid(
    'recordDisbursement',
    fc.record({ allocation: fc.nat(), ore: fc.integer({ min: 1, max: 100 }), day: fc.integer({ min: 0, max: 364 }), key: fc.uuid() }),
    async (d) => {
      const allocation = pick(roomyAllocations, d.allocation);
      const date = new Date(Date.UTC(allocation.fiscalYear, 0, 1 + d.day)).toISOString().slice(0, 10);
      return { caller: coordinator, input: { allocationId: allocation.id, date, amount: (d.ore / 100).toFixed(2), idempotencyKey: d.key } };
    },
  ),
};

/** The run's milestones and indicators, one made by the coordinator when none exists yet. */
async function madeOne(kind: 'milestone' | 'indicator'): Promise<string[]> {
  if (created[kind].length > 0) return created[kind];
  const measureId = pick(measurePool(), 0);
  const query =
    kind === 'milestone'
      ? 'mutation ($m: ID!) { r: addMilestone(input: { measureId: $m, title: "Steg", dueDate: "2013-06-30" }) { milestone { id } } }'
      : 'mutation ($m: ID!) { r: defineIndicator(input: { measureId: $m, name: "Antall", unit: "personer", baseline: 0, target: 5, direction: INCREASE }) { indicator { id } } }';
  const res = await send<{ r: { milestone?: { id: string }; indicator?: { id: string } } }>(
    env.handler,
    apiEvent(as.coordinator, { body: JSON.stringify({ query, variables: { m: measureId } }) }),
  );
  const made = res.data?.r.milestone?.id ?? res.data?.r.indicator?.id;
  if (!made) throw new Error(`no ${kind} made: ${res.raw}`);
  created[kind].push(made);
  return created[kind];
}

/** A milestone's version, read through its measure. */
async function milestoneVersion(id: string): Promise<number> {
  const measureId = id.slice(0, id.lastIndexOf('#M#'));
  const res = await send<{ measure: { milestones: { id: string; version: number }[] } | null }>(
    env.handler,
    apiEvent(as.viewer, {
      body: JSON.stringify({ query: 'query ($id: ID!) { measure(id: $id) { milestones { id version } } }', variables: { id: measureId } }),
    }),
  );
  const version = res.data?.measure?.milestones.find((m) => m.id === id)?.version;
  if (version === undefined) throw new Error(`milestone ${id} unreadable: ${res.raw}`);
  return version;
}

const osloDay = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());

Object.assign(validWrites, {
  setReportingSchedule: valid('setReportingSchedule', fc.constantFrom('', '-H1'), async (half) => ({
    caller: coordinator,
    input: {
      planId: 'fuzz-goals',
      periods: [2015, 2016, 2017, 2018].map((y) => ({ period: `${y}${half}`, dueDate: `${y + 1}-02-15` })),
    },
  })),
  addMilestone: valid('addMilestone', fc.record({ measure: fc.nat(), title: validText(300), dueDate: validDate }), async (d) => ({
    caller: coordinator,
    input: { measureId: pick(measurePool(), d.measure), title: d.title, dueDate: d.dueDate },
  })),
  updateMilestone: valid('updateMilestone', fc.record({ milestone: fc.nat(), title: validText(300), dueDate: validDate }), async (d) => {
    const id = pick(await madeOne('milestone'), d.milestone);
    return { caller: coordinator, input: { id, expectedVersion: await milestoneVersion(id), title: d.title, dueDate: d.dueDate } };
  }),
  completeMilestone: valid('completeMilestone', fc.nat(), async (n) => ({
    caller: coordinator,
    input: { id: pick(await madeOne('milestone'), n), doneOn: osloDay() },
  })),
  defineIndicator: valid(
    'defineIndicator',
    fc.record({
      measure: fc.nat(),
      name: validText(300),
      unit: validText(40),
      // Figures in hundredths: a valid figure is 0 or of magnitude 1e-9 and more.
      baseline: fc.integer({ min: -1e8, max: 1e8 }).map((n) => n / 100),
      target: fc.integer({ min: -1e8, max: 1e8 }).map((n) => n / 100),
      direction: fc.constantFrom('INCREASE', 'DECREASE'),
    }),
    async ({ measure, ...d }) => ({ caller: coordinator, input: { measureId: pick(measurePool(), measure), ...d } }),
  ),
  recordIndicatorValue: valid(
    'recordIndicatorValue',
    fc.record({ indicator: fc.nat(), period: validPeriod, value: fc.integer({ min: -1e8, max: 1e8 }).map((n) => n / 100) }),
    async (d) => ({
      caller: coordinator,
      input: { indicatorId: pick(await madeOne('indicator'), d.indicator), period: d.period, value: d.value },
    }),
  ),
} satisfies Record<string, fc.Arbitrary<ValidWrite>>);

let integrationsMade = 0;
/** A fresh integration's input, valid: a role or an agency, and scopes it may hold (no WRITE for a funder or a viewer). */
const validIntegration = fc.record({
  name: validText(100),
  grant: fc.oneof(
    fc.constantFrom('FUNDER', 'VIEWER', 'COORDINATOR').map((role) => ({ role })),
    fc.constantFrom(...realAgencies).map((agencyId) => ({ agencyId })),
  ),
  scopes: fc.subarray(['READ', 'WRITE', 'PUBLISH_DOCUMENTS'], { minLength: 1 }),
});
function integrationInput(d: { name: string; grant: { role: string } | { agencyId: string }; scopes: string[] }) {
  const readOnly = 'role' in d.grant && d.grant.role !== 'COORDINATOR';
  const scopes = readOnly ? d.scopes.filter((s) => s !== 'WRITE') : d.scopes;
  return {
    clientId: `fuzzintegration${String(integrationsMade++).padStart(11, '0')}`,
    name: d.name,
    ...d.grant,
    scopes: scopes.length > 0 ? scopes : ['READ'],
  };
}
/** A fresh active integration, registered by the coordinator for a valid change of its own (random writes may revoke any other). */
async function freshIntegration(d: Parameters<typeof integrationInput>[0]): Promise<string> {
  const input = integrationInput(d);
  const res = await send(
    env.handler,
    apiEvent(as.coordinator, {
      body: JSON.stringify({ query: mutations.find((m) => m.field === 'registerIntegration')?.document, variables: { input } }),
    }),
  );
  if (res.errors) throw new Error(`registerIntegration failed: ${res.raw}`);
  created.integration.push(input.clientId);
  return input.clientId;
}

Object.assign(validWrites, {
  registerIntegration: valid('registerIntegration', validIntegration, async (d) => ({ caller: coordinator, input: integrationInput(d) })),
  updateIntegration: valid('updateIntegration', fc.record({ made: validIntegration, name: validText(100) }), async (d) => ({
    caller: coordinator,
    input: { clientId: await freshIntegration(d.made), expectedVersion: 1, name: d.name },
  })),
  revokeIntegration: valid('revokeIntegration', validIntegration, async (d) => ({
    caller: coordinator,
    input: { clientId: await freshIntegration(d), expectedVersion: 1 },
  })),
} satisfies Record<string, fc.Arbitrary<ValidWrite>>);

/** Sessions per run, and random requests per session: 300 random requests in all, as many as the run had before valid writes. */
const SESSIONS = 15;
const RANDOM_PER_SESSION = 20;
/**
 * The least number of each kind of write that must land in a run, of the SESSIONS valid ones sent. A valid
 * write may still lose to the state it meets (a number or a LEAD already taken, a line spent by random writes).
 */
const MINIMUM_LANDED = 8;

type RandomRequest = typeof request extends fc.Arbitrary<infer R> ? R : never;
type Step = { readonly random: RandomRequest } | ValidWrite;

/** A session: the random requests and one valid write of each kind, in an order of their own. */
const session = fc
  .tuple(fc.array(request, { minLength: RANDOM_PER_SESSION, maxLength: RANDOM_PER_SESSION }), fc.tuple(...Object.values(validWrites)))
  .chain(([random, writes]) => {
    const steps: Step[] = [...random.map((r) => ({ random: r })), ...writes];
    return fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length });
  });

const answered: Record<string, { ok: number; codes: Record<string, number> }> = {};

function at(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

/** Sends one request and checks what every answer must be; tallies it; keeps what it created for later requests. */
async function sendStep(step: Step) {
  const { mutation, caller, variables, isValid } =
    'random' in step
      ? { mutation: step.random.mutation, caller: step.random.caller, variables: resolve(step.random.variables), isValid: false }
      : await step.prepare().then(({ caller, input }) => ({
          mutation: mutations.find((m) => m.field === step.field) as Mutation,
          caller,
          variables: { input },
          isValid: true,
        }));
  const [role, token] = caller;
  const res = await send(env.handler, apiEvent(token, { body: JSON.stringify({ query: mutation.document, variables }) }));
  const tally = answered[mutation.field] ?? { ok: 0, codes: {} };
  answered[mutation.field] = tally;
  expect(res.status, res.raw).toBeOneOf([200, 400, 401]);
  expect(res.raw).not.toMatch(STACK_TRACE);
  for (const error of res.errors ?? []) {
    const code = String(error.extensions?.code);
    tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    expect(ALLOWED_CODES, `${mutation.field} as ${role}: ${res.raw}`).toContain(code);
  }
  if (role === 'anonymous') expect(res.status).toBe(401);
  const result = at(res.data, [mutation.field]);
  if (role === 'funder' || role === 'viewer') expect(result ?? null, `${mutation.field} as ${role}`).toBeNull();
  // A valid write lands, or loses to the state it met (a LEAD already held, a line without room, a list at its cap in
  // schema/limits.json, which names the cap and its figure): never anything else.
  if (isValid && !result)
    expect(
      res.errors?.map((e) =>
        e.extensions?.code === 'BAD_USER_INPUT' && limits[String(e.extensions.limit) as keyof typeof limits] === e.extensions.maximum
          ? 'LIST_FULL'
          : e.extensions?.code,
      ),
      `${mutation.field}: ${JSON.stringify(variables)} ${res.raw}`,
    ).toBeOneOf([['CONFLICT'], ['LIST_FULL']]);
  if (!result) return;
  tally.ok++;
  const input = (variables as { input?: Record<string, unknown> }).input ?? {};
  const newId = mutation.creates && at(res.data, mutation.creates.path);
  if (mutation.creates && typeof newId === 'string') created[mutation.creates.kind].push(newId);
  if (typeof newId !== 'string') return;
  if (mutation.field === 'registerShelter') operators.set(newId, String(input.operatorId));
  if (isValid && mutation.field === 'createBudgetLine') roomyLines.push({ id: newId, fiscalYear: Number(input.fiscalYear) });
  if (isValid && mutation.field === 'allocateFunds') {
    const line = roomyLines.find((l) => l.id === input.budgetLineId);
    if (line) roomyAllocations.push({ id: newId, fiscalYear: line.fiscalYear });
  }
}

/** The run, once per file, whichever test asks for it first. */
let running: Promise<void> | undefined;
const fuzzRun = () =>
  (running ??= fc.assert(
    fc.asyncProperty(session, async (steps) => {
      for (const step of steps) await sendStep(step);
    }),
    { numRuns: SESSIONS },
  ));

afterAll(() => {
  console.info('fuzz answers by mutation:', JSON.stringify(answered));
});

describe('every mutation, as every role, with random variables', () => {
  it('sends only documents that are valid against the schema: an error can only come from the variables', () => {
    const schema = buildSchema(typeDefs);
    for (const m of mutations) expect(validate(schema, parse(m.document)), m.field).toEqual([]);
    expect(mutations.map((m) => m.field).sort()).toEqual(Object.keys(schema.getMutationType()?.getFields() ?? {}).sort());
    expect(Object.keys(validWrites).sort()).toEqual(mutations.map((m) => m.field).sort());
  });

  it('never answers 500, an unknown code or a stack trace; funders and viewers never write; a valid write lands or is CONFLICT', async () => {
    await fuzzRun();
  }, 120_000);

  it(`lands at least ${MINIMUM_LANDED} writes of every kind, so that the invariants below hold over real state`, async () => {
    await fuzzRun();
    const landed = Object.fromEntries(mutations.map((m) => [m.field, answered[m.field]?.ok ?? 0]));
    for (const [field, ok] of Object.entries(landed))
      expect(ok, `${field}: ${JSON.stringify(landed)}`).toBeGreaterThanOrEqual(MINIMUM_LANDED);
  }, 120_000);
});

describe('invariants after the run', () => {
  const scan = (table: string) => scanAll(env, table);

  it('at most one LEAD per measure, and each measure agrees with its responsibility items', async () => {
    await fuzzRun();
    const [measures, responsibilities] = await Promise.all([scan(env.names.measures), scan(env.names.responsibilities)]);
    const items = responsibilities.filter((i) => String(i.pk).startsWith('MEASURE#') && String(i.sk).startsWith('AGENCY#'));
    expect(items.length).toBeGreaterThan(0);
    const byMeasure = new Map<string, Record<string, string>>();
    for (const i of items) {
      const roles = byMeasure.get(String(i.measureId)) ?? {};
      roles[String(i.agencyId)] = String(i.role);
      byMeasure.set(String(i.measureId), roles);
    }
    for (const [measureId, roles] of byMeasure) {
      expect(Object.values(roles).filter((r) => r === 'LEAD').length, measureId).toBeLessThanOrEqual(1);
    }
    for (const m of measures.filter((i) => i.sk === 'MEASURE')) {
      const roles = byMeasure.get(String(m.id)) ?? {};
      expect(m.responsibilities ?? {}, String(m.id)).toEqual(roles);
      const lead = Object.entries(roles).find(([, r]) => r === 'LEAD')?.[0];
      expect(m.leadAgencyId ?? undefined, String(m.id)).toBe(lead);
    }
  }, 120_000);

  it("the plan's counters equal the counts recomputed from its measures", async () => {
    await fuzzRun();
    const items = await scan(env.names.measures);
    const stats = items.find((i) => i.pk === 'PLAN#hp-2011-2014' && i.sk === 'STATS') as { counts: Record<string, number> } | undefined;
    const recomputed: Record<string, number> = {};
    for (const m of items.filter((i) => i.sk === 'MEASURE' && i.planId === 'hp-2011-2014')) {
      for (const key of countKeys(m.goalNumbers as number[], m.status as MeasureStatus)) recomputed[key] = (recomputed[key] ?? 0) + 1;
    }
    // The measure counts; the calendar's counters (RA_, RP_, MD_, MX_) and a measure's milestones and indicators (ML_,
    // IN_) are checked against a recount below.
    const stored = Object.fromEntries(Object.entries(stats?.counts ?? {}).filter(([k, n]) => n !== 0 && !/^(RA|RP|MD|MX|ML|IN)_/.test(k)));
    expect(stored).toEqual(recomputed);
    const recount = await recountPlan(createRepositories(env.db()), 'hp-2011-2014');
    expect(Object.fromEntries(Object.entries(stats?.counts ?? {}).filter(([, n]) => n !== 0))).toEqual(recount.counts);
    expect(Object.keys(recount.counts).some((k) => k.startsWith('MD_'))).toBe(true);
    expect(recomputed.all).toBe(items.filter((i) => i.sk === 'MEASURE').length);
    expect(recomputed.all).toBeGreaterThan(realMeasures.length);
  }, 120_000);

  it('money: allocations never exceed their line, disbursements never exceed their allocation, and the totals add up', async () => {
    await fuzzRun();
    const items = await scan(env.names.funding);
    const ore = (x: unknown) => BigInt(String(x ?? 0));
    const lines = items.filter((i) => i.sk === 'LINE');
    const allocations = items.filter((i) => i.sk === 'ALLOC');
    expect(allocations.length).toBeGreaterThan(1);
    expect(items.filter((i) => String(i.sk).startsWith('DISB#')).length).toBeGreaterThan(0);
    for (const line of lines) {
      const own = allocations.filter((a) => a.budgetLineId === line.id);
      expect(ore(line.allocatedOre), String(line.id)).toBe(own.reduce((sum, a) => sum + ore(a.amountOre), 0n));
      expect(ore(line.allocatedOre) <= ore(line.appropriatedOre), String(line.id)).toBe(true);
      expect(ore(line.remainingOre), String(line.id)).toBe(ore(line.appropriatedOre) - ore(line.allocatedOre));
    }
    for (const allocation of allocations) {
      const paid = items.filter((i) => i.pk === `ALLOC#${allocation.id}` && i.sk !== 'ALLOC');
      expect(ore(allocation.disbursedOre), String(allocation.id)).toBe(paid.reduce((sum, d) => sum + ore(d.amountOre), 0n));
      expect(ore(allocation.disbursedOre) <= ore(allocation.amountOre), String(allocation.id)).toBe(true);
    }
  }, 120_000);

  it("the integrations registry's count is its active entries, which its list holds, however the writes raced", async () => {
    await fuzzRun();
    const items = await scan(env.names.responsibilities);
    const entries = items.filter((i) => String(i.pk).startsWith('INTEGRATION#'));
    const active = entries.filter((i) => i.status === 'ACTIVE');
    expect(entries.length).toBeGreaterThan(active.length);
    expect(active.length).toBeGreaterThan(0);
    const count = items.find((i) => i.pk === 'INTEGRATIONS' && i.sk === 'COUNT');
    expect(count?.n).toBe(active.length);
    expect(active.every((i) => i.gsi2pk === 'INTEGRATIONS') && entries.every((i) => i.status === 'ACTIVE' || i.gsi2pk === undefined)).toBe(
      true,
    );
  });

  it('capacity: every report has 0 ≤ occupied ≤ capacity', async () => {
    await fuzzRun();
    const reports = (await scan(env.names.shelters)).filter((i) => String(i.sk).startsWith('CAP#'));
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) {
      expect(Number(r.occupied)).toBeGreaterThanOrEqual(0);
      expect(Number(r.occupied)).toBeLessThanOrEqual(Number(r.capacity));
    }
  }, 120_000);
});
