import { createRepositories } from '../../functions/app/context.js';
import { type Granularity, periodOf, regions } from '../../functions/shelters/shelters.model.js';
import { as, type Caller, executeText } from '../support/api.js';
import type { TestEnvironment } from '../support/environment.js';
import { reportCapacity } from '../support/shelters.js';

/**
 * The attacks of issue 16, run as an attacker would run them, and the attacker's best estimate.
 *
 * A trial is a small world of fresh shelters in one county and one quarter of one year that no other
 * trial uses. What the attacker knows is modelled exactly: the method (docs/privacy.md: the threshold,
 * the noise bound, that noise follows the records a figure sums and leaves out the reader's own), which
 * shelter reported in which month (more than `reportingShelters` tells), its own figures, and how the
 * hidden values were drawn. It does not know the secret key, so it treats the noise of each distinct set
 * of records as unknown and uniform on −2…2. Its best estimate of a hidden value is the value of highest
 * posterior probability given every figure it read (a figure withheld tells it the rule held); where
 * several values tie, it guesses among them, and the trial counts the chance that the guess is right.
 */

export const THRESHOLD = 5;
export const NOISE_BOUND = Number(process.env.PERTURBATION_BOUND ?? 2);
/** Places per shelter: enough that no figure here is ever cut at capacity, so the attacker's model is exact. */
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

/** Where a trial lives: a county and a quarter no other trial of the file uses. */
export interface Slot {
  readonly region: string;
  readonly year: number;
  readonly quarter: number;
}

/**
 * Slot i of a file: a county and year no other slot has (so its county's figures, up to the year's, are its
 * own), from 2000 on, in one of the four quarters.
 */
export function slot(i: number): Slot {
  return { region: regions[i % regions.length] ?? 'Oslo', year: 2000 + Math.floor(i / regions.length), quarter: (i % 4) + 1 };
}

/** A day in month `m` (1–3) of the slot's quarter. */
export function day(s: Slot, m: number, d: number): string {
  return `${s.year}-${String((s.quarter - 1) * 3 + m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A value as the attacker holds it: known (its own), or a hidden variable with its prior. */
type Value = { readonly known: number } | { readonly hidden: string };

interface Shelter {
  readonly id: string;
  readonly operator: Caller;
  readonly own: boolean;
}

/** One shelter's report as it stands (a later report for the same day replaces it). */
interface Report {
  readonly shelterId: string;
  readonly date: string;
  readonly value: Value;
}

/** A record of a figure: a shelter's last report of the period. */
interface FigureRecord {
  readonly id: string;
  readonly own: boolean;
  readonly value: Value;
}

/** One figure read: what it sums, and what was published (null when withheld). */
export interface Observation {
  readonly records: readonly FigureRecord[];
  readonly published: number | null;
}

/**
 * A trial's world: the shelters, their reports as they stand, the hidden values' truth and priors, and
 * what the attacker has read. Shelters are registered and reports sent through the API.
 */
export class Trial {
  readonly shelters: Shelter[] = [];
  private readonly reports = new Map<string, Report>();
  readonly truth = new Map<string, number>();
  readonly priors = new Map<string, readonly number[]>();
  readonly observations: Observation[] = [];

  constructor(
    private readonly env: TestEnvironment,
    readonly slot: Slot,
    /** The reader: its agency's shelters are its own. */
    readonly reader: Caller,
  ) {}

  /** Registers a shelter of `operator` in the trial's county; `own` when the reader runs it. */
  async shelter(name: string, operator: 'kirkens-bymisjon' | 'nav', own: boolean): Promise<string> {
    const caller = operator === 'nav' ? as.nav : as.otherAgency;
    // An id of the slot's own, not a random one: a shelter's record keys follow from its id, so a trial
    // gives the same figures in every run, and the criterion is judged on a reproducible sample.
    const id = `attack-${this.slot.region}-${this.slot.year}-q${this.slot.quarter}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    await createRepositories(this.env.db()).shelters.register(
      {
        id,
        name,
        operatorId: operator,
        region: this.slot.region,
        municipality: null,
        address: null,
        targetGroups: ['WOMEN'],
        services: ['SAFE_HOUSING'],
        measureIds: [],
        version: 1,
        updatedAt: new Date().toISOString(),
      },
      { subject: caller.subject, roles: ['AGENCY_EDITOR'], agencyId: operator },
    );
    this.shelters.push({ id, operator: caller, own });
    return id;
  }

  /** A report through the API: a known figure (the attacker's own) or a hidden one with its prior. */
  async report(shelterId: string, date: string, figure: number | { hidden: string; value: number; prior: readonly number[] }) {
    const operator = this.shelters.find((s) => s.id === shelterId)?.operator ?? as.otherAgency;
    const occupied = typeof figure === 'number' ? figure : figure.value;
    const res = await reportCapacity(this.env.handler, shelterId, date, CAPACITY, occupied, operator);
    if (res.errors) throw new Error(`reportCapacity failed: ${JSON.stringify(res.errors)}`);
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

  /** The records a figure of the period sums: each shelter's (in scope) last report within it. */
  private records(shelterIds: readonly string[], granularity: Granularity, period: string): FigureRecord[] {
    const out: FigureRecord[] = [];
    for (const id of shelterIds) {
      const last = [...this.reports.values()]
        .filter((r) => r.shelterId === id && periodOf(r.date, granularity) === period)
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .at(-1);
      if (last)
        out.push({ id: `${id}@${last.date.slice(0, 7)}`, own: this.shelters.find((s) => s.id === id)?.own ?? false, value: last.value });
    }
    return out;
  }

  /**
   * Reads everything the reader may read about the trial's quarter: the county by month, quarter and year,
   * and each other shelter the same way, aliased into documents of at most ten fields. (The country's
   * figures hold other trials' counties of the same quarter or year: they would add only their unknowns.)
   */
  async readAll(): Promise<void> {
    const from = day(this.slot, 1, 1);
    const to = day(this.slot, 3, 28);
    const all = this.shelters.map((s) => s.id);
    const reads: { filter: string; granularity: Granularity; ids: readonly string[] }[] = [];
    for (const granularity of ['MONTH', 'QUARTER', 'YEAR'] as const) {
      reads.push({ filter: `region: ${JSON.stringify(this.slot.region)}`, granularity, ids: all });
      for (const s of this.shelters.filter((x) => !x.own))
        reads.push({ filter: `shelterId: ${JSON.stringify(s.id)}`, granularity, ids: [s.id] });
    }
    for (let start = 0; start < reads.length; start += 10) {
      const batch = reads.slice(start, start + 10);
      const fields = batch.map(
        (r, i) =>
          `r${i}: capacityTimeline(filter: { from: "${from}", to: "${to}", granularity: ${r.granularity}, ${r.filter} }) { period occupied suppressed }`,
      );
      const res = await executeText<Record<string, { period: string; occupied: number | null; suppressed: boolean }[]>>(
        this.env.handler,
        this.reader,
        `{ ${fields.join(' ')} }`,
      );
      if (res.errors || !res.data) throw new Error(`capacityTimeline failed: ${JSON.stringify(res.errors)}`);
      batch.forEach((read, i) => {
        for (const point of res.data?.[`r${i}`] ?? []) {
          const records = this.records(read.ids, read.granularity, point.period);
          if (records.length === 0) continue;
          this.observations.push({ records, published: point.suppressed ? null : point.occupied });
        }
      });
    }
  }
}

/**
 * The public rule (docs/privacy.md) for a figure of one county, from the reader's view: shown or withheld.
 * It reads only the others' records: their total, and how many of them are small.
 */
function shown(records: readonly FigureRecord[], values: (v: Value) => number): boolean {
  const others = records.filter((r) => !r.own);
  if (others.length === 0) return true;
  const small = others.filter((r) => values(r.value) < THRESHOLD);
  return others.reduce((s, r) => s + values(r.value), 0) >= THRESHOLD && small.length !== 1;
}

export interface Estimate {
  /** The values of the target left possible. */
  readonly candidates: readonly number[];
  /** The true value: always among the candidates, unless the figures do not follow the documented method. */
  readonly truth: number | undefined;
  /** The chance that the attacker's best estimate is the true value (1, 0, or 1/k for a k-way tie that holds it). */
  readonly exact: number;
}

/**
 * The attacker's best estimate of one hidden value, from every figure read: each assignment of the hidden
 * values that explains every observation (each figure withheld or shown as the rule says, each shown one
 * within the bound of its sum, one noise per distinct set of unknown records) is equally likely, since the
 * priors are uniform and every explaining assignment has the same noise likelihood.
 */
export function estimate(trial: Trial, target: string): Estimate {
  const names = [...trial.priors.keys()];
  const counts = new Map<number, number>();
  const assign = new Map<string, number>();
  const values = (v: Value) => ('known' in v ? v.known : (assign.get(v.hidden) ?? Number.NaN));
  const explains = () => {
    const noise = new Map<string, number>();
    for (const o of trial.observations) {
      if (shown(o.records, values) !== (o.published !== null)) return false;
      if (o.published === null) continue;
      const n = o.published - o.records.reduce((s, r) => s + values(r.value), 0);
      if (Math.abs(n) > NOISE_BOUND) return false;
      const cell = o.records
        .filter((r) => !r.own)
        .map((r) => r.id)
        .sort()
        .join(',');
      // A figure of the reader's own shelters alone is exact.
      if (cell === '' && n !== 0) return false;
      if (noise.has(cell) && noise.get(cell) !== n) return false;
      noise.set(cell, n);
    }
    return true;
  };
  const walk = (i: number) => {
    const name = names[i];
    if (name === undefined) {
      if (explains()) {
        const t = assign.get(target) ?? Number.NaN;
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      return;
    }
    for (const v of trial.priors.get(name) ?? []) {
      assign.set(name, v);
      walk(i + 1);
    }
  };
  walk(0);
  const best = counts.size === 0 ? 0 : Math.max(...counts.values());
  const top = [...counts].filter(([, c]) => c === best).map(([v]) => v);
  const truth = trial.truth.get(target);
  return {
    candidates: [...counts.keys()].sort((a, b) => a - b),
    truth,
    exact: truth !== undefined && top.includes(truth) ? 1 / top.length : 0,
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
