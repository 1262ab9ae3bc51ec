import type { AgencyRecord } from '../functions/agencies/agencies.model.js';
import { AgencyWrites } from '../functions/agencies/agencies.writes.js';
import { type AllocationRecord, type BudgetLineRecord, groupsOf } from '../functions/funding/funding.model.js';
import { FundingRepository } from '../functions/funding/funding.repository.js';
import { FundingWrites, newId } from '../functions/funding/funding.writes.js';
import { PlansRepository } from '../functions/plans/plans.repository.js';
import { PlanWrites } from '../functions/plans/plans.writes.js';
import { type Db, withoutKeys } from '../functions/shared/db.js';
import { ConflictError, RetryableError } from '../functions/shared/errors.js';
import type { Viewer } from '../functions/shared/viewer.js';
import type { AssistanceService, ShelterRecord, TargetGroup } from '../functions/shelters/shelters.model.js';
import { SheltersRepository } from '../functions/shelters/shelters.repository.js';
import { ShelterWrites } from '../functions/shelters/shelters.writes.js';
import { seedAgencies, seedMeasures, seedPlan } from './seed.js';

/**
 * The demo and synthetic data generator. Everything it makes is invented and labelled so: agency
 * and shelter names begin with "[Demo]" (or "[Syntetisk]"), ids with "demo-" (or "synthetic-"), and
 * every record's source says it is not a fact. It writes through the same repositories,
 * transactions and rollups as the API, so every query shows what the platform would show.
 *
 * Size 1 is the demo: 6 shelters with 60 weekly reports each, 16 budget lines with 48 allocations.
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
const HOLDERS = ['jd', 'ad', 'bld', 'hod'];

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

export async function generateDemo(makeDb: () => Db, options: DemoOptions): Promise<DemoResult> {
  const { size, kind } = options;
  const weeks = options.weeks ?? 60;
  const perLine = options.allocationsPerLine ?? 3;
  const concurrency = options.concurrency ?? 6;
  const progress = options.progress ?? (() => undefined);
  const label = LABEL[kind];
  const source = SOURCE[kind];
  const at = new Date().toISOString();
  const prefix = kind;

  const operators: AgencyRecord[] = [
    { id: `${prefix}-krisesenter-vest`, name: `${label} Krisesenteret i Vest`, kind: 'NGO', source },
    { id: `${prefix}-stiftelse-midt`, name: `${label} Stiftelsen Trygg havn`, kind: 'NGO', source },
    { id: `${prefix}-nordby-kommune`, name: `${label} Nordby kommune`, kind: 'MUNICIPALITY', source },
  ];
  const actorOf = (agencyId: string | null): Viewer => ({
    subject: `system:${kind}`,
    roles: agencyId ? ['AGENCY_EDITOR'] : ['COORDINATOR'],
    agencyId,
  });
  let agencies = 0;
  for (const agency of operators) if (await new AgencyWrites(makeDb()).createAgency(agency, actorOf(null), at)) agencies++;

  // Shelters, each with weekly reports from the first Monday of 2013.
  const shelterCount = 6 * size;
  const shelters: ShelterRecord[] = Array.from({ length: shelterCount }, (_, i) => ({
    id: `${prefix}-shelter-${i + 1}`,
    name: `${label} ${['Fjordhuset', 'Lyngtunet', 'Havly', 'Nordlys', 'Bjørkely', 'Solgløtt'][i % 6]} ${Math.floor(i / 6) + 1}`,
    operatorId: operators[i % operators.length]?.id ?? '',
    region: REGIONS[i % REGIONS.length] ?? 'Oslo',
    municipality: null,
    address: `${label} Oppdiktet vei ${i + 1}`,
    targetGroups: TARGETS[i % TARGETS.length] ?? ['WOMEN'],
    services: SERVICES[i % SERVICES.length] ?? ['SAFE_HOUSING'],
    measureIds: [seedMeasures[(i % 3) + 2]?.id ?? 'hp-2011-2014-botilbud'],
    version: 1,
    updatedAt: at,
    source,
  }));
  let reports = 0;
  let sheltersMade = 0;
  await pool(shelters, concurrency, async (shelter, index) => {
    try {
      await new ShelterWrites(makeDb()).register(shelter, actorOf(shelter.operatorId));
      sheltersMade++;
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
      await fresh(makeDb, async (db) => {
        const current = await new SheltersRepository(db).shelter(shelter.id);
        if (!current) throw new Error(`shelter ${shelter.id} is missing`);
        return new ShelterWrites(db).reportCapacity(current, figures, actorOf(shelter.operatorId), at);
      });
      reports++;
      progress('capacity reports', reports, shelterCount * weeks);
    }
  });

  // Budget lines across the plan's years, each with allocations and a disbursement on each.
  const plans = new PlansRepository(makeDb());
  const plan = await plans.plan(seedPlan.id);
  if (!plan) throw new Error('Load the seed first: the plan is missing');
  // One invented measure per goal, so that funding by goal has something to show (the source names no measure's goals).
  for (const goal of plan.goals) {
    const id = `${prefix}-measure-goal-${goal.number}`;
    if (await new PlansRepository(makeDb()).measure(id)) continue;
    await new PlanWrites(makeDb()).createMeasure(
      {
        id,
        planId: plan.id,
        number: null,
        title: `${label} Eksempeltiltak under mål ${goal.number}`,
        description: source,
        status: 'IN_PROGRESS',
        version: 1,
        updatedAt: at,
        goalNumbers: [goal.number],
        responsibilities: {},
        source,
      },
      actorOf(null),
    );
  }
  const measureIds = [...seedMeasures.map((m) => m.id), ...plan.goals.map((g) => `${prefix}-measure-goal-${g.number}`)];
  const measures = await Promise.all(measureIds.map((id) => new PlansRepository(makeDb()).measure(id)));
  const lineSpecs = Array.from({ length: 16 * size }, (_, i) => ({
    index: i,
    fiscalYear: 2011 + (i % 4),
    agencyId: HOLDERS[Math.floor(i / 4) % HOLDERS.length] ?? 'jd',
    chapter: 9000 + Math.floor(i / 16),
    post: 1 + (Math.floor(i / 4) % 4) * 10 + (i % 4),
  }));
  let lines = 0;
  let allocations = 0;
  let disbursements = 0;
  await pool(lineSpecs, concurrency, async (spec) => {
    const rnd = random(104729 * (spec.index + 1));
    const db = makeDb();
    const line: BudgetLineRecord = {
      id: `${prefix}-line-${spec.index + 1}`,
      planId: plan.id,
      fiscalYear: spec.fiscalYear,
      agencyId: spec.agencyId,
      chapter: spec.chapter,
      post: spec.post,
      title: `${label} Tilskudd til tiltak mot menneskehandel`,
      appropriatedOre: BigInt(perLine) * 40_000_000n,
      allocatedOre: 0n,
      remainingOre: BigInt(perLine) * 40_000_000n,
      disbursedOre: 0n,
      createdAt: at,
    };
    const funding = new FundingWrites(db);
    try {
      await funding.createBudgetLine(line, actorOf(spec.agencyId));
      lines++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return;
    }
    for (let a = 0; a < perLine; a++) {
      const measure = measures[(spec.index + a) % measures.length];
      const shelter = a % 3 === 2 ? shelters[(spec.index + a) % shelters.length] : undefined;
      const amount = BigInt(10_000_000 + Math.floor(rnd() * 25_000_000));
      const allocation: AllocationRecord = {
        id: newId(`${prefix}-alloc`),
        planId: plan.id,
        budgetLineId: line.id,
        fiscalYear: line.fiscalYear,
        lineAgencyId: line.agencyId,
        measureId: measure?.id ?? null,
        goalNumbers: measure?.goalNumbers ?? [],
        recipientId: shelter ? shelter.operatorId : 'nav',
        shelterId: shelter?.id ?? null,
        amountOre: amount,
        disbursedOre: 0n,
        undisbursedOre: amount,
        createdAt: at,
      };
      const groups = groupsOf(line, allocation, {
        agencyName: seedAgencies.find((g) => g.id === line.agencyId)?.name,
        measure,
        goals: plan.goals,
      });
      const key = `${allocation.id}`;
      await fresh(makeDb, (d) =>
        new FundingWrites(d).allocate({
          line,
          allocation,
          groups,
          idempotency: { scope: `${prefix}`, key, requestHash: key },
          actor: actorOf(line.agencyId),
        }),
      );
      allocations++;
      const stored = await new FundingRepository(makeDb()).allocation(allocation.id);
      if (!stored) throw new Error('allocation missing');
      await fresh(makeDb, (d) =>
        new FundingWrites(d).disburse({
          allocation: withoutKeys(stored),
          disbursement: {
            id: newId(`${prefix}-disb`),
            allocationId: allocation.id,
            date: `${line.fiscalYear}-0${1 + (a % 9)}-15`,
            amountOre: amount / 2n,
            createdAt: at,
          },
          groups,
          idempotency: { scope: prefix, key: `${key}-d`, requestHash: `${key}-d` },
          actor: actorOf(line.agencyId),
        }),
      );
      disbursements++;
      progress('allocations', allocations, lineSpecs.length * perLine);
    }
  });
  return { agencies, shelters: sheltersMade, reports, budgetLines: lines, allocations, disbursements };
}
