import { expect } from 'vitest';
import { recountPlan } from '../../data/recount-plan.js';
import { createRepositories } from '../../functions/app/context.js';
import { countKeys, type MeasureStatus } from '../../functions/plans/plans.model.js';
import { perturbedCell } from '../../functions/shelters/disclosure.js';
import { type Granularity, periodOf } from '../../functions/shelters/shelters.model.js';
import type { TestEnvironment } from './environment.js';
import { scanAll } from './scan.js';

/**
 * Recomputations of every stored total from the facts it sums, read with Scan (tests may scan;
 * request paths never do). Each compares what the writes left against what the facts say.
 */
/** The suppression threshold of the test stages (test/support/environment.ts sets it). */
const THRESHOLD = 5;
/** The noise bound of the test stages (the default). */
const BOUND = 3;

/** Each agency's part of a rollup: its shelters' figures, their perturbed cells and small part (docs/privacy.md). */
type OwnSums = Record<
  string,
  { capacity: number; perturbedOccupied: number; occupied: number; reportingShelters: number; smallShelters: number }
>;
type CapacitySums = {
  capacity: number;
  occupied: number;
  reportingShelters: number;
  smallShelters: number;
  smallOccupied: number;
  perturbedOccupied: number;
  own: OwnSums;
};

function add(sums: Map<string, CapacitySums>, period: string, r: CapacitySums) {
  const s = sums.get(period) ?? {
    capacity: 0,
    occupied: 0,
    reportingShelters: 0,
    smallShelters: 0,
    smallOccupied: 0,
    perturbedOccupied: 0,
    own: {},
  };
  const own: OwnSums = { ...s.own };
  for (const [agency, part] of Object.entries(r.own)) {
    const o = own[agency] ?? { capacity: 0, perturbedOccupied: 0, occupied: 0, reportingShelters: 0, smallShelters: 0 };
    own[agency] = {
      capacity: o.capacity + part.capacity,
      perturbedOccupied: o.perturbedOccupied + part.perturbedOccupied,
      smallShelters: o.smallShelters + part.smallShelters,
      occupied: o.occupied + part.occupied,
      reportingShelters: o.reportingShelters + part.reportingShelters,
    };
  }
  sums.set(period, {
    capacity: s.capacity + r.capacity,
    occupied: s.occupied + r.occupied,
    reportingShelters: s.reportingShelters + r.reportingShelters,
    smallShelters: s.smallShelters + r.smallShelters,
    smallOccupied: s.smallOccupied + r.smallOccupied,
    perturbedOccupied: s.perturbedOccupied + r.perturbedOccupied,
    own,
  });
}

/** The country's or a region's capacity recomputed: each shelter's last report of each period, summed, with the part below the threshold. */
export async function recomputedCapacity(env: TestEnvironment, granularity: Granularity, region: string | null, threshold = THRESHOLD) {
  const items = await scanAll(env, env.names.shelters);
  const cells = { threshold, bound: BOUND, secret: env.db().config.perturbationKey };
  const profiles = new Map(items.filter((i) => i.sk === 'PROFILE').map((p) => [p.id as string, p]));
  const last = new Map<string, { shelterId: string; date: string; capacity: number; occupied: number }>();
  for (const r of items.filter((i) => String(i.sk).startsWith('CAP#'))) {
    if (region && profiles.get(r.shelterId as string)?.region !== region) continue;
    const key = `${r.shelterId}|${periodOf(r.date as string, granularity)}`;
    const seen = last.get(key);
    if (!seen || seen.date < (r.date as string))
      last.set(key, {
        shelterId: r.shelterId as string,
        date: r.date as string,
        capacity: r.capacity as number,
        occupied: r.occupied as number,
      });
  }
  const sums = new Map<string, CapacitySums>();
  for (const [key, r] of last) {
    const small = r.occupied < threshold;
    const smallShelters = small ? 1 : 0;
    const smallOccupied = small ? r.occupied : 0;
    const perturbedOccupied = perturbedCell(cells, r.shelterId, r.occupied);
    const operator = profiles.get(r.shelterId)?.operatorId as string;
    add(sums, key.split('|')[1] ?? '', {
      capacity: r.capacity,
      occupied: r.occupied,
      reportingShelters: 1,
      smallShelters,
      smallOccupied,
      perturbedOccupied,
      own: { [operator]: { capacity: r.capacity, perturbedOccupied, occupied: r.occupied, reportingShelters: 1, smallShelters } },
    });
  }
  return sums;
}

/** The stored capacity rollups of a region, or of the country as the sum of its regions (periods no shelter reports in left out). */
export async function storedCapacity(env: TestEnvironment, granularity: Granularity, region: string | null) {
  const items = await scanAll(env, env.names.shelters);
  const rows = region
    ? items.filter((i) => i.pk === `ROLLUP#REGION#${region}#${granularity}`)
    : items.filter((i) => i.pk === `ROLLUP#REGIONS#${granularity}`);
  const sums = new Map<string, CapacitySums>();
  for (const r of rows) {
    const own: OwnSums = {};
    for (const [name, value] of Object.entries(r)) {
      const [, agency, field] = /^own#(.+)#(capacity|perturbedOccupied|occupied|reportingShelters|smallShelters)$/.exec(name) ?? [];
      if (!agency || !field) continue;
      own[agency] = {
        ...(own[agency] ?? { capacity: 0, perturbedOccupied: 0, occupied: 0, reportingShelters: 0, smallShelters: 0 }),
        [field]: value as number,
      };
    }
    add(sums, r.period as string, {
      capacity: r.capacity as number,
      occupied: r.occupied as number,
      reportingShelters: r.reportingShelters as number,
      smallShelters: (r.smallShelters as number | undefined) ?? 0,
      smallOccupied: (r.smallOccupied as number | undefined) ?? 0,
      perturbedOccupied: (r.perturbedOccupied as number | undefined) ?? 0,
      own,
    });
  }
  return new Map([...sums].filter(([, s]) => s.reportingShelters !== 0));
}

/** Every funding rollup, line and allocation total equals the sum of the stored allocations and disbursements it stands for. */
export async function expectFundingRollupsToMatch(env: TestEnvironment) {
  const items = await scanAll(env, env.names.funding);
  const allocations = items.filter((i) => i.sk === 'ALLOC');
  const disbursed = new Map<string, bigint>();
  for (const d of items.filter((i) => String(i.sk).startsWith('DISB#')))
    disbursed.set(d.allocationId as string, (disbursed.get(d.allocationId as string) ?? 0n) + BigInt(d.amountOre as number));
  const expected = new Map<string, { appropriatedOre: bigint; allocatedOre: bigint; disbursedOre: bigint; inventedOre: bigint }>();
  // What demo and synthetic allocations make of a total: their stored provenance says they are invented.
  const invented = (a: Record<string, unknown>) =>
    ['DEMO', 'SYNTHETIC'].includes((a.provenance as { kind?: string } | undefined)?.kind ?? '');
  const add = (pk: string, sk: string, a: Record<string, unknown>) => {
    const key = `${pk}|${sk}`;
    const sum = expected.get(key) ?? { appropriatedOre: 0n, allocatedOre: 0n, disbursedOre: 0n, inventedOre: 0n };
    expected.set(key, {
      appropriatedOre: sum.appropriatedOre,
      allocatedOre: sum.allocatedOre + BigInt(a.amountOre as number),
      disbursedOre: sum.disbursedOre + (disbursed.get(a.id as string) ?? 0n),
      inventedOre: sum.inventedOre + (invented(a) ? BigInt(a.amountOre as number) : 0n),
    });
  };
  // A line's appropriation (as revised) counts under its agency, itself and its year, allocated or not.
  for (const line of items.filter((i) => i.sk === 'LINE')) {
    for (const year of [line.fiscalYear, 'ALL']) {
      const pk = (group: string) => `SUMMARY#${line.planId}#${group}#${year}`;
      for (const [p, k] of [
        [pk('AGENCY'), line.agencyId],
        [pk('BUDGET_LINE'), line.id],
        [pk('FISCAL_YEAR'), String(line.fiscalYear)],
      ] as const) {
        const key = `${p}|${k}`;
        const sum = expected.get(key) ?? { appropriatedOre: 0n, allocatedOre: 0n, disbursedOre: 0n, inventedOre: 0n };
        expected.set(key, { ...sum, appropriatedOre: sum.appropriatedOre + BigInt(line.appropriatedOre as number) });
      }
    }
  }
  for (const a of allocations) {
    for (const year of [a.fiscalYear, 'ALL']) {
      const pk = (group: string) => `SUMMARY#${a.planId}#${group}#${year}`;
      add(pk('AGENCY'), a.lineAgencyId as string, a);
      add(pk('BUDGET_LINE'), a.budgetLineId as string, a);
      add(pk('FISCAL_YEAR'), String(a.fiscalYear), a);
      if (a.measureId) add(pk('MEASURE'), a.measureId as string, a);
      for (const g of a.goalNumbers as number[]) add(pk('GOAL'), String(g), a);
    }
    if (a.shelterId) add(`TOTAL#SHELTER#${a.shelterId}`, 'ALL', a);
    expect(BigInt(a.undisbursedOre as number)).toBe(BigInt(a.amountOre as number) - (disbursed.get(a.id as string) ?? 0n));
  }
  const stored = new Map(
    items
      .filter((i) => String(i.pk).startsWith('SUMMARY#') || String(i.pk).startsWith('TOTAL#'))
      .map((i) => [
        `${i.pk}|${i.sk}`,
        {
          appropriatedOre: BigInt((i.appropriatedOre as number | undefined) ?? 0),
          allocatedOre: BigInt(i.allocatedOre as number),
          disbursedOre: BigInt(i.disbursedOre as number),
          inventedOre: BigInt((i.inventedOre as number | undefined) ?? 0),
        },
      ]),
  );
  expect(stored).toEqual(expected);
  for (const line of items.filter((i) => i.sk === 'LINE')) {
    const mine = allocations.filter((a) => a.budgetLineId === line.id);
    const sum = mine.reduce((s, a) => s + BigInt(a.amountOre as number), 0n);
    expect(BigInt(line.allocatedOre as number)).toBe(sum);
    // However revisions and allocations interleave, a line's allocations stay within its appropriation.
    expect(sum <= BigInt(line.appropriatedOre as number)).toBe(true);
    expect(BigInt(line.remainingOre as number)).toBe(BigInt(line.appropriatedOre as number) - sum);
    expect(BigInt(line.disbursedOre as number)).toBe(mine.reduce((s, a) => s + (disbursed.get(a.id as string) ?? 0n), 0n));
  }
}

/** The plan's measure counters equal the counts recomputed from the measures. */
export async function expectMeasureCountersToMatch(env: TestEnvironment, planId: string) {
  const items = await scanAll(env, env.names.measures);
  const expected = new Map<string, number>();
  for (const m of items.filter((i) => i.sk === 'MEASURE' && i.planId === planId)) {
    for (const k of countKeys(m.goalNumbers as number[], m.status as MeasureStatus)) expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  const stats = items.find((i) => i.pk === `PLAN#${planId}` && i.sk === 'STATS');
  const all = Object.entries((stats?.counts ?? {}) as Record<string, number>).filter(([, v]) => v !== 0);
  // The measure counts here; the reporting calendar's (RA_, RP_, MD_, MX_) against a recount of the facts.
  const stored = new Map(all.filter(([k]) => !/^(RA|RP|MD|MX)_/.test(k)));
  expect(stored).toEqual(expected);
  const recount = await recountPlan(createRepositories(env.db()), planId);
  expect(Object.fromEntries(all)).toEqual(recount.counts);
}
