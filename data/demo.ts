import type { AgencyRecord } from '../functions/agencies/agencies.model.js';
import { createRepositories } from '../functions/app/context.js';
import { type AllocationRecord, type BudgetLineRecord, groupsOf, lineGroupsOf, newId } from '../functions/funding/funding.model.js';
import type { MeasureRecord, PlanRecord } from '../functions/plans/plans.model.js';
import type { Db } from '../functions/shared/db.js';
import { ConflictError, RetryableError } from '../functions/shared/errors.js';
import type { Provenance } from '../functions/shared/provenance.js';
import type { Viewer } from '../functions/shared/viewer.js';
import type { AssistanceService, ShelterRecord, TargetGroup } from '../functions/shelters/shelters.model.js';
import { seedPlan } from './seed.js';

/**
 * The demo and synthetic data generator. Everything it makes is invented and labelled so: names
 * begin with "[Demo]" (or "[Syntetisk]"), ids with "demo-" (or "synthetic-"), and every record's
 * source says it is not a fact. It keeps apart from the real records: its own plan (id `demo`, or
 * `synthetic`) with its own goals and measures, its own ministries holding its budget lines, its own
 * operators running its shelters; it never writes to `hp-2011-2014`, a real agency or a real measure.
 * It writes through the same repositories, transactions and rollups as the API, so every query shows
 * what the platform would show.
 *
 * Size 1 is the demo: 7 agencies, 6 shelters with 60 weekly reports each, 5 measures, 16 budget lines
 * with 48 allocations.
 * Size n scales shelters and budget lines by n (benchmarks use 1× and 10×).
 */
export interface DemoOptions {
  readonly size: number;
  readonly kind: 'demo' | 'synthetic';
  /** Weekly reports per shelter (default 60, over a year). */
  readonly weeks?: number;
  /** Allocations per budget line (default 3). */
  readonly allocationsPerLine?: number;
  /** Writes in flight at once. */
  readonly concurrency?: number;
  readonly progress?: (what: string, done: number, total: number) => void;
}

export interface DemoResult {
  readonly agencies: number;
  readonly shelters: number;
  readonly reports: number;
  readonly budgetLines: number;
  readonly allocations: number;
  readonly disbursements: number;
}

const SOURCE = { demo: 'Demo data: invented to show the platform, not a fact', synthetic: 'Synthetic data for benchmarks, not a fact' };
const LABEL = { demo: '[Demo]', synthetic: '[Syntetisk]' };
const REGIONS = ['Hordaland', 'Rogaland', 'Sør-Trøndelag', 'Nordland', 'Oslo', 'Troms', 'Vestfold', 'Agder'];
const TARGETS: TargetGroup[][] = [['WOMEN'], ['WOMEN', 'GIRLS'], ['MEN'], ['WOMEN', 'MEN'], ['GIRLS', 'BOYS'], ['WOMEN']];
const SERVICES: AssistanceService[][] = [
  ['SAFE_HOUSING', 'PSYCHOLOGICAL_SUPPORT', 'MATERIAL_ASSISTANCE'],
  ['SAFE_HOUSING', 'INTERPRETATION_TRANSLATION'],
  ['SAFE_HOUSING', 'EMERGENCY_MEDICAL_CARE', 'LEGAL_PROCEEDINGS_SUPPORT'],
  ['SAFE_HOUSING', 'PSYCHOLOGICAL_SUPPORT', 'LEGAL_PROCEEDINGS_SUPPORT'],
];
/** The invented ministries that hold the budget lines; the first coordinates the invented plan. */
const HOLDERS = ['departement-a', 'departement-b', 'departement-c', 'departement-d'];

/** A small deterministic generator (mulberry32), so the demo is the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs tasks with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i] as T, i);
      }
    }),
  );
}

/** Retries a write that lost a race from a fresh read, as the API's resolvers do. */
async function fresh<T>(makeDb: () => Db, write: (db: Db) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(makeDb());
    } catch (error) {
      const retryable = (error instanceof ConflictError && error.extensions.retryable === true) || error instanceof RetryableError;
      if (!retryable || attempt > 8) throw error;
    }
  }
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** What every step of the generator shares. */
interface Run {
  readonly kind: DemoOptions['kind'];
  readonly size: number;
  readonly label: string;
  readonly source: string;
  /** What every record of the run says of where it comes from. */
  readonly provenance: Provenance;
  readonly at: string;
  readonly concurrency: number;
  readonly progress: NonNullable<DemoOptions['progress']>;
  /** Fresh repositories over a fresh batch loader, as one request of the API has. */
  readonly repos: () => ReturnType<typeof createRepositories>;
  readonly makeDb: () => Db;
  readonly actorOf: (agencyId: string | null) => Viewer;
}

export async function generateDemo(makeDb: () => Db, options: DemoOptions): Promise<DemoResult> {
  const { size, kind } = options;
  const run: Run = {
    kind,
    size,
    label: LABEL[kind],
    source: SOURCE[kind],
    provenance: { kind: kind === 'demo' ? 'DEMO' : 'SYNTHETIC', reference: SOURCE[kind], recordedAt: new Date().toISOString() },
    at: new Date().toISOString(),
    concurrency: options.concurrency ?? 6,
    progress: options.progress ?? (() => undefined),
    repos: () => createRepositories(makeDb()),
    makeDb,
    actorOf: (agencyId) => ({ subject: `system:${kind}`, roles: agencyId ? ['AGENCY_EDITOR'] : ['COORDINATOR'], agencyId }),
  };
  const agencies = await createAgencies(run);
  const plan = await createPlan(run);
  const measures = await createGoalMeasures(run, plan);
  const shelters = await createShelters(run, agencies.operators, measures, options.weeks ?? 60);
  const funding = await createFunding(run, plan, measures, shelters.records, agencies.names, options.allocationsPerLine ?? 3);
  return { agencies: agencies.made, shelters: shelters.made, reports: shelters.reports, ...funding };
}

/** The invented ministries that hold the money, and the agencies that run the invented shelters. */
export function demoAgencies(kind: DemoOptions['kind']) {
  const label = LABEL[kind];
  const source = SOURCE[kind];
  const holders: AgencyRecord[] = HOLDERS.map((id, i) => ({
    id: `${kind}-${id}`,
    name: `${label} Departement ${String.fromCharCode(65 + i)}`,
    kind: 'MINISTRY',
    source,
  }));
  const operators: AgencyRecord[] = [
    { id: `${kind}-krisesenter-vest`, name: `${label} Krisesenteret i Vest`, kind: 'NGO', source },
    { id: `${kind}-stiftelse-midt`, name: `${label} Stiftelsen Trygg havn`, kind: 'NGO', source },
    { id: `${kind}-nordby-kommune`, name: `${label} Nordby kommune`, kind: 'MUNICIPALITY', source },
  ];
  return { holders, operators };
}

async function createAgencies(run: Run) {
  const { holders, operators } = demoAgencies(run.kind);
  let made = 0;
  for (const agency of [...holders, ...operators]) {
    if (await run.repos().agencies.createAgency({ ...agency, provenance: run.provenance }, run.actorOf(null), run.at)) made++;
  }
  const names = new Map([...holders, ...operators].map((a) => [a.id, a.name]));
  return { holders, operators, names, made };
}

/** The invented plan: the real plan's years and shape, every word of it labelled. */
async function createPlan(run: Run): Promise<PlanRecord> {
  const plan: PlanRecord = {
    id: run.kind,
    title: `${run.label} Eksempelplan mot menneskehandel (2011–2014)`,
    periodStart: seedPlan.periodStart,
    periodEnd: seedPlan.periodEnd,
    measureCount: seedPlan.goals.length,
    coordinatorId: `${run.kind}-${HOLDERS[0]}`,
    goals: seedPlan.goals.map((g) => ({ number: g.number, title: `${run.label} Mål ${g.number}` })),
    source: run.source,
    provenance: run.provenance,
  };
  await run.repos().plans.createPlan(plan, run.actorOf(null), run.at);
  return plan;
}

/** Shelters, each with weekly reports from the first Monday of 2013, serving the invented plan's goal-2 measure. */
async function createShelters(run: Run, operators: readonly AgencyRecord[], measures: readonly MeasureRecord[], weeks: number) {
  const prefix = run.kind;
  const count = 6 * run.size;
  const records: ShelterRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-shelter-${i + 1}`,
    name: `${run.label} ${['Fjordhuset', 'Lyngtunet', 'Havly', 'Nordlys', 'Bjørkely', 'Solgløtt'][i % 6]} ${Math.floor(i / 6) + 1}`,
    operatorId: operators[i % operators.length]?.id ?? '',
    region: REGIONS[i % REGIONS.length] ?? 'Oslo',
    municipality: null,
    address: `${run.label} Oppdiktet vei ${i + 1}`,
    targetGroups: TARGETS[i % TARGETS.length] ?? ['WOMEN'],
    services: SERVICES[i % SERVICES.length] ?? ['SAFE_HOUSING'],
    measureIds: measures.filter((m) => m.goalNumbers.includes(2)).map((m) => m.id),
    version: 1,
    updatedAt: run.at,
    source: run.source,
    provenance: run.provenance,
  }));
  let reports = 0;
  let made = 0;
  await pool(records, run.concurrency, async (shelter, index) => {
    try {
      await run.repos().shelters.register(shelter, run.actorOf(shelter.operatorId));
      made++;
    } catch (error) {
      // A shelter made by an earlier run keeps the reports that run gave it.
      if (error instanceof ConflictError) return;
      throw error;
    }
    const rnd = random(7919 * (index + 1));
    const capacity = 6 + Math.floor(rnd() * 15);
    let occupied = Math.floor(capacity / 2);
    for (let week = 0; week < weeks; week++) {
      occupied = Math.max(0, Math.min(capacity, occupied + Math.round((rnd() - 0.5) * 4)));
      const figures = { date: addDays('2013-01-07', week * 7), capacity, occupied };
      await fresh(run.makeDb, async (db) => {
        const { shelters } = createRepositories(db);
        const state = await shelters.reportState(shelter.id, figures.date);
        if (!state.shelter) throw new Error(`shelter ${shelter.id} is missing`);
        return shelters.reportCapacity(
          { ...state, shelter: state.shelter },
          figures,
          run.actorOf(shelter.operatorId),
          run.at,
          run.provenance,
        );
      });
      reports++;
      run.progress('capacity reports', reports, count * weeks);
    }
  });
  return { records, made, reports };
}

/** One invented measure per goal, each led by one of the invented ministries. */
async function createGoalMeasures(run: Run, plan: PlanRecord): Promise<MeasureRecord[]> {
  const prefix = run.kind;
  for (const goal of plan.goals) {
    const id = `${prefix}-measure-goal-${goal.number}`;
    const { plans } = run.repos();
    if (await plans.measure(id)) continue;
    const measure = await plans.createMeasure(
      {
        id,
        planId: plan.id,
        number: goal.number,
        title: `${run.label} Eksempeltiltak under mål ${goal.number}`,
        description: run.source,
        status: 'IN_PROGRESS',
        version: 1,
        updatedAt: run.at,
        goalNumbers: [goal.number],
        responsibilities: {},
        source: run.source,
        provenance: run.provenance,
      },
      run.actorOf(null),
    );
    const lead = `${prefix}-${HOLDERS[(goal.number - 1) % HOLDERS.length]}`;
    await run.repos().agencies.assign(measure, lead, 'LEAD', run.actorOf(null), run.at, run.provenance);
  }
  const { plans } = run.repos();
  const measures = await Promise.all(plan.goals.map((g) => plans.measure(`${prefix}-measure-goal-${g.number}`)));
  return measures.filter((m) => m !== undefined);
}

/** Budget lines across the plan's years, each with allocations and a disbursement on each. */
async function createFunding(
  run: Run,
  plan: PlanRecord,
  measures: readonly MeasureRecord[],
  shelters: readonly ShelterRecord[],
  names: ReadonlyMap<string, string>,
  perLine: number,
) {
  const specs = Array.from({ length: 16 * run.size }, (_, i) => ({
    index: i,
    fiscalYear: 2011 + (i % 4),
    agencyId: `${run.kind}-${HOLDERS[Math.floor(i / 4) % HOLDERS.length]}`,
    chapter: 9000 + Math.floor(i / 16),
    post: 1 + (Math.floor(i / 4) % 4) * 10 + (i % 4),
  }));
  const made = { budgetLines: 0, allocations: 0, disbursements: 0 };
  await pool(specs, run.concurrency, async (spec) => {
    const line: BudgetLineRecord = {
      id: `${run.kind}-line-${spec.index + 1}`,
      planId: plan.id,
      fiscalYear: spec.fiscalYear,
      agencyId: spec.agencyId,
      chapter: spec.chapter,
      post: spec.post,
      title: `${run.label} Tilskudd til tiltak mot menneskehandel`,
      appropriatedOre: BigInt(perLine) * 40_000_000n,
      allocatedOre: 0n,
      disbursedOre: 0n,
      createdAt: run.at,
      provenance: run.provenance,
    };
    try {
      await run.repos().funding.createBudgetLine(line, lineGroupsOf(line, names.get(line.agencyId)), run.actorOf(spec.agencyId));
      made.budgetLines++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return;
    }
    const rnd = random(104729 * (spec.index + 1));
    for (let a = 0; a < perLine; a++) {
      const measure = measures[(spec.index + a) % measures.length];
      const shelter = a % 3 === 2 ? shelters[(spec.index + a) % shelters.length] : undefined;
      await allocateAndDisburse(run, plan, line, names, {
        measure,
        shelter,
        amount: BigInt(10_000_000 + Math.floor(rnd() * 25_000_000)),
        index: a,
      });
      made.allocations++;
      made.disbursements++;
      run.progress('allocations', made.allocations, specs.length * perLine);
    }
  });
  return made;
}

/** One allocation and a payment of half of it, through the same writes as the API. */
async function allocateAndDisburse(
  run: Run,
  plan: PlanRecord,
  line: BudgetLineRecord,
  names: ReadonlyMap<string, string>,
  what: { measure: MeasureRecord | undefined; shelter: ShelterRecord | undefined; amount: bigint; index: number },
) {
  const { measure, shelter, amount } = what;
  const target = { planId: plan.id, measureId: measure?.id ?? null, goalNumbers: measure?.goalNumbers ?? [] };
  const groups = groupsOf(line, target, { agencyName: names.get(line.agencyId), measure, goals: plan.goals });
  const allocation: AllocationRecord = {
    id: newId(`${run.kind}-alloc`),
    ...target,
    budgetLineId: line.id,
    fiscalYear: line.fiscalYear,
    lineAgencyId: line.agencyId,
    recipientId: shelter ? shelter.operatorId : (measure?.leadAgencyId ?? line.agencyId),
    shelterId: shelter?.id ?? null,
    amountOre: amount,
    disbursedOre: 0n,
    createdAt: run.at,
    groups,
    provenance: run.provenance,
  };
  const key = allocation.id;
  const actor = run.actorOf(line.agencyId);
  await fresh(run.makeDb, (db) =>
    createRepositories(db).funding.allocate({
      line,
      allocation: { ...allocation, groups },
      measureTotals: null,
      named: {},
      idempotency: { scope: run.kind, key, requestHash: key },
      actor,
    }),
  );
  await fresh(run.makeDb, (db) =>
    createRepositories(db).funding.disburse({
      allocation,
      groups,
      disbursement: {
        id: newId(`${run.kind}-disb`),
        allocationId: allocation.id,
        recipientId: allocation.recipientId,
        date: `${line.fiscalYear}-0${1 + (what.index % 9)}-15`,
        amountOre: amount / 2n,
        createdAt: run.at,
        provenance: run.provenance,
      },
      idempotency: { scope: run.kind, key: `${key}-d`, requestHash: `${key}-d` },
      actor,
    }),
  );
}
