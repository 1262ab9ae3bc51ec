import { expect } from 'vitest';
import { createRepositories } from '../../functions/app/context.js';
import type { Viewer } from '../../functions/shared/viewer.js';
import { type Granularity, periodOf, regions } from '../../functions/shelters/shelters.model.js';
import { as, type Caller, executeText } from '../support/api.js';
import type { TestEnvironment } from '../support/environment.js';
import { reportCapacity } from '../support/shelters.js';
import { type Figure, type FigureScope, figureId, MemoryWorld, type ReadSpec, type WorldSettings } from './world.js';

/**
 * The attacker of the privacy tests, and the worlds it attacks.
 *
 * A trial is a small world of fresh shelters in a county (or two) and a quarter of a year. What the attacker
 * knows is modelled exactly: the method as docs/privacy.md states it (the threshold, the noise bound, that a
 * small figure enters every sum as its value plus its shelter's noise for that value, that figures at or over
 * the threshold and the reader's own are exact, the rule that withholds a sum), which shelter reported on
 * which day, its own figures, and how the hidden values were drawn. It does not know the secret key, so each
 * shelter's noise for each value is to it unknown and uniform on −bound…bound. It reads every figure it may
 * read: each county's, the country's and each shelter's by month, quarter and year, and every report of every
 * shelter; before and after each write and late report of the trial. Its best estimate of a hidden value is
 * the value of highest posterior probability given every figure it read, withheld ones included (`estimate`:
 * the exact posterior, by enumeration); where several values tie it guesses among them, and the trial counts
 * the chance that the guess is right.
 *
 * A trial runs in a world: `memoryWorld` (the platform's own pure functions over memory, thousands of trials
 * a second) or `apiWorld` (the same trial through the API over DynamoDB Local, checking that every figure the
 * API answers is the one the memory world computes).
 */

export const THRESHOLD = 5;
export const NOISE_BOUND = Number(process.env.PERTURBATION_BOUND ?? 3);
/** Places per shelter: the capacity is public, and the attacker's model clamps at it as the method does. */
export const CAPACITY = 20;

/** A seeded generator (mulberry32): the trials are random and reproducible. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** An integer from min to max, both included. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof random>;

/** Where a trial lives: a county (and a second one for trials that span two) and a quarter of a year. */
export interface Slot {
  readonly region: string;
  readonly otherRegion: string;
  readonly year: number;
  readonly quarter: number;
}

/** Slot `i` of a class: trials below `distinctYears` each have a year no other class's such trial has, so an API sample's country figures are its own. */
export function slot(classIndex: number, i: number, distinctYears: number): Slot {
  const n = regions.length;
  return {
    region: regions[(i * 7 + classIndex) % n] ?? 'Oslo',
    otherRegion: regions[(i * 7 + classIndex + 1) % n] ?? 'Troms',
    year: 2000 + ((classIndex * distinctYears + i) % 26),
    quarter: (i % 4) + 1,
  };
}

/** A day in month `m` (1–3) of the slot's quarter. */
export function day(s: Slot, m: number, d: number): string {
  return `${s.year}-${String((s.quarter - 1) * 3 + m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Who reads: the viewer the platform's functions see, and the caller the API is asked as. */
export interface Reader {
  readonly viewer: Viewer;
  readonly caller: Caller;
}
export const readers = {
  funder: { viewer: { subject: 'user-funder', roles: ['FUNDER'], agencyId: null }, caller: as.funder },
  coordinator: { viewer: { subject: 'user-coordinator', roles: ['COORDINATOR'], agencyId: null }, caller: as.coordinator },
  /** Staff of Kirkens Bymisjon: its shelters are the reader's own. */
  agency: {
    viewer: { subject: 'user-kirkens-bymisjon', roles: ['AGENCY_EDITOR'], agencyId: 'kirkens-bymisjon' },
    caller: as.otherAgency,
  },
} as const satisfies Record<string, Reader>;

type Operator = 'kirkens-bymisjon' | 'nav';

/** Where a trial's shelters live and its figures are read. */
export interface Backend {
  register(shelter: { readonly id: string; readonly region: string; readonly operatorId: Operator }): Promise<void>;
  report(shelterId: string, operatorId: Operator, date: string, occupied: number): Promise<void>;
  read(reader: Reader, spec: ReadSpec): Promise<Figure[]>;
}

/** The platform's own functions over memory. */
export function memoryWorld(settings: WorldSettings): Backend {
  const world = new MemoryWorld(settings);
  return {
    register: async (s) => world.register(s),
    report: async (id, _operator, date, occupied) => world.report(id, date, CAPACITY, occupied),
    read: (reader, spec) => world.read(reader.viewer, spec),
  };
}

/** Fields per GraphQL document: the platform's alias limit. */
const FIELDS_PER_DOCUMENT = 10;

/**
 * The API over DynamoDB Local, beside the memory world: every write goes to both, and every read asks the API
 * and checks that each figure it answers is the memory world's. A trial's attacker then reads exactly what it
 * would read in memory, and the memory world's figures are shown to be the API's.
 */
export function apiWorld(env: TestEnvironment, settings: WorldSettings): Backend & { readonly figuresCompared: () => number } {
  const memory = memoryWorld(settings);
  const callers = { nav: as.nav, 'kirkens-bymisjon': as.otherAgency } as const;
  let compared = 0;
  return {
    figuresCompared: () => compared,
    async register(s) {
      await Promise.all([
        memory.register(s),
        createRepositories(env.db()).shelters.register(
          {
            ...s,
            name: s.id,
            municipality: null,
            address: null,
            targetGroups: ['WOMEN'],
            services: ['SAFE_HOUSING'],
            measureIds: [],
            version: 1,
            updatedAt: new Date().toISOString(),
          },
          { subject: callers[s.operatorId].subject, roles: ['AGENCY_EDITOR'], agencyId: s.operatorId },
        ),
      ]);
    },
    async report(id, operator, date, occupied) {
      const res = await reportCapacity(env.handler, id, date, CAPACITY, occupied, callers[operator]);
      if (res.errors) throw new Error(`reportCapacity failed: ${JSON.stringify(res.errors)}`);
      await memory.report(id, operator, date, occupied);
    },
    async read(reader, spec) {
      const expected = await memory.read(reader, spec);
      const fields: { text: string; collect: (data: unknown) => Figure[] }[] = [];
      const timeline = (scope: FigureScope, filter: string) => {
        for (const granularity of ['MONTH', 'QUARTER', 'YEAR'] as const)
          fields.push({
            text: `capacityTimeline(filter: { from: "${spec.from}", to: "${spec.to}", granularity: ${granularity}${filter} }) { period occupied occupiedMargin suppressed }`,
            collect: (data) =>
              (data as { period: string; occupied: number | null; occupiedMargin: number | null; suppressed: boolean }[]).map((p) => ({
                scope,
                granularity,
                period: p.period,
                occupied: p.occupied,
                suppressed: p.suppressed,
                margin: p.occupiedMargin,
              })),
          });
      };
      for (const region of spec.regions) timeline({ kind: 'region', region }, `, region: ${JSON.stringify(region)}`);
      timeline({ kind: 'country' }, '');
      for (const shelterId of spec.shelters) timeline({ kind: 'shelter', shelterId }, `, shelterId: ${JSON.stringify(shelterId)}`);
      for (const shelterId of spec.shelters)
        fields.push({
          text: `shelter(id: ${JSON.stringify(shelterId)}) { capacityReports(from: "${spec.from}", to: "${spec.to}", first: 100) { edges { node { date occupied suppressed } } } }`,
          collect: (data) =>
            (
              data as { capacityReports: { edges: { node: { date: string; occupied: number | null; suppressed: boolean } }[] } }
            ).capacityReports.edges.map(({ node }) => ({
              scope: { kind: 'report', shelterId, date: node.date },
              granularity: 'DAY',
              period: node.date,
              occupied: node.occupied,
              suppressed: node.suppressed,
              margin: null,
            })),
        });
      const answered: Figure[] = [];
      for (let start = 0; start < fields.length; start += FIELDS_PER_DOCUMENT) {
        const batch = fields.slice(start, start + FIELDS_PER_DOCUMENT);
        const res = await executeText<Record<string, unknown>>(
          env.handler,
          reader.caller,
          `{ ${batch.map((f, i) => `f${i}: ${f.text}`).join(' ')} }`,
        );
        if (res.errors || !res.data) throw new Error(`reading the figures failed: ${JSON.stringify(res.errors)}`);
        batch.forEach((f, i) => {
          answered.push(...f.collect(res.data?.[`f${i}`]));
        });
      }
      const byId = (fs: readonly Figure[]) => new Map(fs.map((f) => [figureId(f), f]));
      expect(byId(answered)).toEqual(byId(expected));
      compared += answered.length;
      return expected;
    },
  };
}

/** A value as the attacker holds it: known (its own), or a hidden variable with its prior. */
export type Value = { readonly known: number } | { readonly hidden: string };

interface TrialShelter {
  readonly id: string;
  readonly region: string;
  readonly operatorId: Operator;
  readonly own: boolean;
}

/** A record of a figure as the attacker knows it: a shelter's last report of the period (or a report). */
export interface FigureRecord {
  /** The shelter and the day of the report. */
  readonly id: string;
  readonly shelterId: string;
  readonly own: boolean;
  readonly value: Value;
}

/**
 * One figure read: what it sums, and what was published (null when withheld). A `single` figure is one
 * shelter's (a report, or a point of its own timeline); a `sum` is a county's (one part) or the country's
 * (a part per county).
 */
export interface Observation {
  readonly kind: 'single' | 'sum';
  readonly parts: readonly (readonly FigureRecord[])[];
  readonly published: number | null;
  readonly margin: number | null;
}

/** A hidden figure of a trial: its variable, its true value and the prior it was drawn from. */
export interface Hidden {
  readonly hidden: string;
  readonly value: number;
  readonly prior: readonly number[];
}

/**
 * A trial's world as the attacker knows it (the shelters, their reports as they stand, the hidden values'
 * priors) and holds it to be judged (the hidden values' truth), with what the attacker has read.
 */
export class Trial {
  readonly shelters: TrialShelter[] = [];
  private readonly reports = new Map<string, { readonly shelterId: string; readonly date: string; readonly value: Value }>();
  readonly truth = new Map<string, number>();
  readonly priors = new Map<string, readonly number[]>();
  private readonly seen = new Map<string, Observation>();

  constructor(
    private readonly backend: Backend,
    readonly reader: Reader,
    readonly slot: Slot,
    /** Makes the trial's shelter ids its own: a shelter's noise follows from its id, so a trial gives the same figures in every run. */
    private readonly prefix: string,
  ) {}

  /** Every distinct figure read (the same records with the same answer are one observation). */
  get observations(): readonly Observation[] {
    return [...this.seen.values()];
  }

  /** Registers a shelter of `operator` in the trial's county (or `region`); it is the reader's own when its agency runs it. */
  async shelter(name: string, operator: Operator, region: string = this.slot.region): Promise<string> {
    const id = `${this.prefix}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    await this.backend.register({ id, region, operatorId: operator });
    this.shelters.push({ id, region, operatorId: operator, own: this.reader.viewer.agencyId === operator });
    return id;
  }

  /** A report: a known figure (the reader's own) or a hidden one with its prior. A report for a day replaces the day's. */
  async report(shelterId: string, date: string, figure: number | Hidden): Promise<void> {
    const shelter = this.shelters.find((s) => s.id === shelterId);
    if (!shelter) throw new Error(`no shelter ${shelterId} in the trial`);
    await this.backend.report(shelterId, shelter.operatorId, date, typeof figure === 'number' ? figure : figure.value);
    if (typeof figure !== 'number') {
      this.truth.set(figure.hidden, figure.value);
      this.priors.set(figure.hidden, figure.prior);
    }
    this.reports.set(`${shelterId}|${date}`, {
      shelterId,
      date,
      value: typeof figure === 'number' ? { known: figure } : { hidden: figure.hidden },
    });
  }

  /** The record of a shelter in a period: its last report within it. */
  private record(shelterId: string, granularity: Granularity | 'DAY', period: string): FigureRecord | undefined {
    const own = this.shelters.find((s) => s.id === shelterId)?.own ?? false;
    const last = [...this.reports.values()]
      .filter((r) => r.shelterId === shelterId && (granularity === 'DAY' ? r.date === period : periodOf(r.date, granularity) === period))
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .at(-1);
    return last && { id: `${shelterId}@${last.date}`, shelterId, own, value: last.value };
  }

  /** Reads every figure the reader may read about the trial's quarter: each county's, the country's, each other shelter's, by month, quarter and year, and every report. */
  async readAll(): Promise<void> {
    const spec: ReadSpec = {
      from: day(this.slot, 1, 1),
      to: day(this.slot, 3, 28),
      regions: [...new Set(this.shelters.map((s) => s.region))],
      // The reader's own shelters are known to it: their figures add nothing.
      shelters: this.shelters.filter((s) => !s.own).map((s) => s.id),
    };
    for (const figure of await this.backend.read(this.reader, spec)) {
      const s = figure.scope;
      const ids =
        s.kind === 'region'
          ? [this.shelters.filter((x) => x.region === s.region).map((x) => x.id)]
          : s.kind === 'country'
            ? spec.regions.map((r) => this.shelters.filter((x) => x.region === r).map((x) => x.id))
            : [[s.shelterId]];
      const parts = ids.map((part) => part.flatMap((id) => this.record(id, figure.granularity, figure.period) ?? []));
      if (parts.every((p) => p.length === 0)) continue;
      const o: Observation = {
        kind: s.kind === 'region' || s.kind === 'country' ? 'sum' : 'single',
        parts,
        published: figure.suppressed ? null : figure.occupied,
        margin: figure.margin,
      };
      const key = JSON.stringify([o.kind, parts.map((p) => p.map((r) => [r.id, r.value])), o.published, o.margin]);
      this.seen.set(key, o);
    }
  }
}

export interface Estimate {
  /** The values of the target left possible. */
  readonly candidates: readonly number[];
  /** The true value: always among the candidates, unless the figures do not follow the documented method. */
  readonly truth: number | undefined;
  /** The chance that the attacker's best estimate is the true value (1, 0, or 1/k for a k-way tie that holds it). */
  readonly exact: number;
  /** How many figures the attacker read (distinct ones). */
  readonly observations: number;
}

/** A record compiled for the enumeration: its hidden variable's index (or -1) and its value when known. */
interface Ref {
  readonly variable: number;
  readonly known: number;
  /** Its shelter, numbered: a cell's noise is the shelter's for the value. */
  readonly shelter: number;
}

/** A figure compiled for the enumeration. */
interface Compiled {
  readonly single: boolean;
  /** Per part (county): the records the reader does not run. */
  readonly others: readonly (readonly Ref[])[];
  /** The reader's own records, summed exactly into the figure. */
  readonly own: readonly Ref[];
  readonly published: number | null;
  readonly margin: number | null;
}

/**
 * The attacker's best estimate of one hidden value, from every figure read: the exact posterior over the hidden
 * values and the noises. An assignment of the hidden values must explain each figure's being withheld or shown
 * (the public rule, on the true values), every exact figure and every margin; its likelihood is then the share
 * of noise values (one uniform noise per shelter and value in a shown sum) under which every shown sum comes
 * out as published. The priors are uniform, so the posterior of a value is the sum of those likelihoods.
 */
export function estimate(trial: Trial, target: string): Estimate {
  const names = [...trial.priors.keys()];
  const index = new Map(names.map((n, i) => [n, i]));
  const shelterNumbers = new Map<string, number>();
  const ref = (r: FigureRecord): Ref => {
    if (!shelterNumbers.has(r.shelterId)) shelterNumbers.set(r.shelterId, shelterNumbers.size);
    return {
      variable: 'hidden' in r.value ? (index.get(r.value.hidden) ?? -1) : -1,
      known: 'known' in r.value ? r.value.known : Number.NaN,
      shelter: shelterNumbers.get(r.shelterId) ?? -1,
    };
  };
  const observations = trial.observations;
  const compiled: Compiled[] = observations.map((o) => ({
    single: o.kind === 'single',
    others: o.parts.map((p) => p.filter((r) => !r.own).map(ref)),
    own: o.parts
      .flat()
      .filter((r) => r.own)
      .map(ref),
    published: o.published,
    margin: o.margin,
  }));
  const assigned: number[] = names.map(() => Number.NaN);
  const valueAt = (r: Ref) => (r.variable < 0 ? r.known : (assigned[r.variable] ?? Number.NaN));
  // Each figure is judged as soon as every hidden value it holds is assigned.
  const judgedAt = names.map(() => [] as Compiled[]);
  const always: Compiled[] = [];
  for (const c of compiled) {
    const at = Math.max(-1, ...c.others.flat().map((r) => r.variable), ...c.own.map((r) => r.variable));
    (at < 0 ? always : (judgedAt[at] ?? always)).push(c);
  }
  const B = NOISE_BOUND;
  const sumOf = (rs: readonly Ref[]) => {
    let s = 0;
    for (const r of rs) s += valueAt(r);
    return s;
  };

  /** Whether the figure's withholding, exact value and margin follow from the assignment (docs/privacy.md's rule, restated). */
  function explains(c: Compiled): boolean {
    if (c.single) {
      const ownRecord = c.own[0];
      const r = ownRecord ?? c.others[0]?.[0];
      if (!r) return false;
      const v = valueAt(r);
      const shown = ownRecord !== undefined || v >= THRESHOLD;
      if (shown !== (c.published !== null)) return false;
      return !shown || (c.published === v && (c.margin === null || c.margin === 0));
    }
    const own = sumOf(c.own);
    let occupied = 0;
    let count = 0;
    let small = 0;
    let withheldSmall = 0;
    for (const part of c.others) {
      let partSmall = 0;
      for (const r of part) {
        const v = valueAt(r);
        occupied += v;
        if (v < THRESHOLD) partSmall++;
      }
      count += part.length;
      small += partSmall;
      // A part is withheld on its own when it holds exactly one small record of the others.
      if (part.length > 0 && partSmall === 1) withheldSmall += partSmall;
    }
    if (count === 0) return c.published === own && c.margin === 0;
    const shown = small !== 1 && withheldSmall !== 1;
    if (shown !== (c.published !== null)) return false;
    if (!shown) return true;
    if (c.margin !== B * small) return false;
    // No small record among the others: the figure is exact.
    return small > 0 || c.published === Math.min(occupied, CAPACITY * count) + own;
  }

  const consistent = (cs: readonly Compiled[]) => cs.every(explains);

  /**
   * The share of noise values that make every shown noisy sum come out as published, given the assignment. The
   * sums constrain the cells (a group's value plus its noise) whatever the values are, so the cells that satisfy
   * them are enumerated once per shape of the constraints, and an assignment's likelihood is then the share of
   * those cells that lie within the bound of its values.
   */
  const solutionsByShape = new Map<string, Int8Array[]>();
  function likelihood(): number {
    // The groups (a shelter's noise for one value) of the shown noisy sums, and each sum as a constraint on them.
    const groupOf = new Map<number, number>();
    const values: number[] = [];
    const constraints: { groups: number[]; exactPart: number; capacity: number; published: number }[] = [];
    let shape = '';
    for (const c of compiled) {
      if (c.single || c.published === null) continue;
      const groups: number[] = [];
      let exactPart = 0;
      let count = 0;
      for (const part of c.others)
        for (const r of part) {
          const v = valueAt(r);
          count++;
          if (v >= THRESHOLD) {
            exactPart += v;
            continue;
          }
          const id = r.shelter * 64 + v;
          let g = groupOf.get(id);
          if (g === undefined) {
            g = values.length;
            groupOf.set(id, g);
            values.push(v);
          }
          groups.push(g);
        }
      if (groups.length === 0) continue;
      const published = c.published - sumOf(c.own);
      constraints.push({ groups, exactPart, capacity: CAPACITY * count, published });
      shape += `${groups.join(',')}:${exactPart}:${count}:${published};`;
    }
    if (constraints.length === 0) return 1;
    let solutions = solutionsByShape.get(shape);
    if (!solutions) {
      solutions = [];
      // Each constraint is checked once its last group has a cell.
      const checks = values.map(() => [] as typeof constraints);
      for (const c of constraints) checks[Math.max(...c.groups)]?.push(c);
      const cell = new Int8Array(values.length);
      const holds = (c: (typeof constraints)[number]) => {
        let sum = c.exactPart;
        for (const g of c.groups) sum += cell[g] ?? 0;
        return Math.min(Math.max(sum, 0), c.capacity) === c.published;
      };
      const found = solutions;
      const walk = (g: number) => {
        if (g === values.length) {
          found.push(cell.slice());
          return;
        }
        const here = checks[g] ?? [];
        // A small value's cell lies within the bound of 0…threshold−1.
        for (let p = -B; p <= THRESHOLD - 1 + B; p++) {
          cell[g] = p;
          if (here.every(holds)) walk(g + 1);
        }
      };
      walk(0);
      solutionsByShape.set(shape, solutions);
    }
    let within = 0;
    for (const cells of solutions) {
      let ok = true;
      for (let g = 0; g < values.length && ok; g++) ok = Math.abs((cells[g] ?? 0) - (values[g] ?? 0)) <= B;
      if (ok) within++;
    }
    return within / (2 * B + 1) ** values.length;
  }

  const mass = new Map<number, number>();
  const targetIndex = index.get(target) ?? -1;
  const walk = (i: number) => {
    const name = names[i];
    if (name === undefined) {
      const w = likelihood();
      if (w > 0) {
        const t = assigned[targetIndex] ?? Number.NaN;
        mass.set(t, (mass.get(t) ?? 0) + w);
      }
      return;
    }
    for (const v of trial.priors.get(name) ?? []) {
      assigned[i] = v;
      if (consistent(judgedAt[i] ?? [])) walk(i + 1);
    }
    assigned[i] = Number.NaN;
  };
  if (consistent(always)) walk(0);
  const best = Math.max(0, ...mass.values());
  // Posterior masses are sums of rationals in floating point: equal ones may differ in the last bits.
  const top = [...mass].filter(([, m]) => m >= best * (1 - 1e-9)).map(([v]) => v);
  const truth = trial.truth.get(target);
  return {
    candidates: [...mass.keys()].sort((a, b) => a - b),
    truth,
    exact: truth !== undefined && top.includes(truth) ? 1 / top.length : 0,
    observations: observations.length,
  };
}

export interface ClassResult {
  readonly name: string;
  readonly trials: number;
  /** Expected number of trials in which the best estimate is exact. */
  readonly exact: number;
  readonly meanCandidates: number;
  /** Trials in which one candidate was left. */
  readonly certain: number;
  /** Trials whose true value was among the candidates. */
  readonly truthAmongCandidates: number;
}

export function summarize(name: string, estimates: readonly Estimate[]): ClassResult {
  return {
    name,
    trials: estimates.length,
    exact: estimates.reduce((s, e) => s + e.exact, 0),
    meanCandidates: estimates.reduce((s, e) => s + e.candidates.length, 0) / estimates.length,
    certain: estimates.filter((e) => e.candidates.length === 1).length,
    truthAmongCandidates: estimates.filter((e) => e.truth !== undefined && e.candidates.includes(e.truth)).length,
  };
}
