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
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { countKeys, type MeasureStatus } from '../../functions/plans/plans.model.js';
import { apiEvent, as, type Caller, send } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine } from '../support/funding.js';
import { scanTable } from '../support/rollups.js';
import { createShelter } from '../support/shelters.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ stage: 'prod' });
  await loadSeed(env.db());
  // A little state of every kind, so that the run's writes on shelters and money can land, not only be refused.
  created.shelter.push(await createShelter(env.handler));
  const line = await createBudgetLine(env.handler, { agencyId: 'nav', chapter: 605, post: 1 }, as.nav);
  created.line.push(line);
  const allocation = await allocate(env.handler, { budgetLineId: line, amount: '1000.00', recipientId: 'nav' }, as.nav);
  created.allocation.push(allocation.data?.allocateFunds.allocation.id ?? '');
});

/** The codes DESIGN.md allows, the request errors Apollo answers for invalid variables, and a retryable fault. */
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
type Kind = 'measure' | 'shelter' | 'line' | 'allocation';
const created: Record<Kind, string[]> = { measure: [], shelter: [], line: [], allocation: [] };

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

/** Mostly valid, sometimes not: a request with one bad field is refused whole, so most fields must be good for writes to land. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: invalid });
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
    field: 'recordDisbursement',
    document: print(RecordDisbursementDocument),
    input: fc.record({
      allocationId: id('allocation', ['no-such-allocation']),
      date,
      amount: money,
      idempotencyKey: mostly(fc.oneof(fc.uuid(), fc.constantFrom('d1', 'd2')), fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }))),
    }),
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

const answered: Record<string, { ok: number; codes: Record<string, number> }> = {};

function at(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

describe('every mutation, as every role, with random variables', () => {
  it('sends only documents that are valid against the schema: an error can only come from the variables', () => {
    const schema = buildSchema(typeDefs);
    for (const m of mutations) expect(validate(schema, parse(m.document)), m.field).toEqual([]);
    expect(mutations.map((m) => m.field).sort()).toEqual(Object.keys(schema.getMutationType()?.getFields() ?? {}).sort());
  });

  it('never answers 500, an unknown code or a stack trace; funders and viewers never write', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ mutation, variables, caller: [role, caller] }) => {
        const res = await send(
          env.handler,
          apiEvent(caller, { body: JSON.stringify({ query: mutation.document, variables: resolve(variables) }) }),
        );
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
        if (result) tally.ok++;
        const newId = mutation.creates && at(res.data, mutation.creates.path);
        if (mutation.creates && typeof newId === 'string') created[mutation.creates.kind].push(newId);
      }),
      { numRuns: 300 },
    );
    // Not a run of refusals only: the state the invariants below look at was really written to.
    const writes = Object.values(answered).reduce((sum, t) => sum + t.ok, 0);
    expect(writes).toBeGreaterThan(0);
  });
});

describe('invariants after the run', () => {
  afterAll(() => {
    console.info('fuzz answers by mutation:', JSON.stringify(answered));
  });

  const scan = (table: string) => scanTable(env, table);

  it('at most one LEAD per measure, and each measure agrees with its responsibility items', async () => {
    const [measures, responsibilities] = await Promise.all([scan(env.names.measures), scan(env.names.responsibilities)]);
    const items = responsibilities.filter((i) => String(i.pk).startsWith('MEASURE#') && String(i.sk).startsWith('AGENCY#'));
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
  });

  it("the plan's counters equal the counts recomputed from its measures", async () => {
    const items = await scan(env.names.measures);
    const stats = items.find((i) => i.pk === 'PLAN#hp-2011-2014' && i.sk === 'STATS') as { counts: Record<string, number> } | undefined;
    const recomputed: Record<string, number> = {};
    for (const m of items.filter((i) => i.sk === 'MEASURE' && i.planId === 'hp-2011-2014')) {
      for (const key of countKeys(m.goalNumbers as number[], m.status as MeasureStatus)) recomputed[key] = (recomputed[key] ?? 0) + 1;
    }
    const stored = Object.fromEntries(Object.entries(stats?.counts ?? {}).filter(([, n]) => n !== 0));
    expect(stored).toEqual(recomputed);
    expect(recomputed.all).toBe(items.filter((i) => i.sk === 'MEASURE').length);
  });

  it('money: allocations never exceed their line, disbursements never exceed their allocation, and the totals add up', async () => {
    const items = await scan(env.names.funding);
    const ore = (x: unknown) => BigInt(String(x ?? 0));
    const lines = items.filter((i) => i.sk === 'LINE');
    const allocations = items.filter((i) => i.sk === 'ALLOC');
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
  });

  it('capacity: every report has 0 ≤ occupied ≤ capacity', async () => {
    const reports = (await scan(env.names.shelters)).filter((i) => String(i.sk).startsWith('CAP#'));
    for (const r of reports) {
      expect(Number(r.occupied)).toBeGreaterThanOrEqual(0);
      expect(Number(r.occupied)).toBeLessThanOrEqual(Number(r.capacity));
    }
  });
});
