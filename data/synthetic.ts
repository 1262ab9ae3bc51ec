import {
  agencyDirectoryPk,
  agencyKey,
  agencyResponsibilitiesPk,
  agencyResponsibilitySk,
  responsibilityKey,
} from '../functions/agencies/agencies.model.js';
import {
  type AllocationRecord,
  allocationKey,
  type BudgetLineRecord,
  budgetLineKey,
  budgetLineNaturalKey,
  disbursementKey,
  groupsOf,
  lineSortKey,
  shelterTotalKey,
  summaryPk,
  yearLinesPk,
} from '../functions/funding/funding.model.js';
import {
  countKeys,
  type MeasureRecord,
  type MeasureStatus,
  measureKey,
  measureOrderKey,
  planStatsKey,
} from '../functions/plans/plans.model.js';
import { goalLinkItem, measureIndexKeys } from '../functions/plans/plans.writes.js';
import { type Db, tableName } from '../functions/shared/db.js';
import type { TableId } from '../functions/shared/tables.js';
import {
  type CapacityFigures,
  capacityReportKey,
  granularities,
  lastReportKey,
  listingItems,
  periodOf,
  regionRollupPk,
  regionsRollupKey,
  rollupDelta,
  type ShelterRecord,
  shelterKey,
} from '../functions/shelters/shelters.model.js';
import { batchWriteAll } from './batch-write.js';
import { seedAgencies, seedPlan } from './seed.js';

/**
 * Large synthetic sets for benchmarks, loaded in bulk. The items, counters and rollups are those the
 * API's transactions would leave (test/data/synthetic.test.ts checks them against recomputed sums),
 * but they are built in memory and written with BatchWriteItem: tens of thousands of facts load in
 * seconds instead of the minutes one transaction each would take. No audit entries are written.
 * Everything is labelled "[Syntetisk]", with ids beginning "synthetic-".
 */
export interface SyntheticSize {
  readonly measures: number;
  readonly shelters: number;
  readonly reportsPerShelter: number;
  readonly budgetLines: number;
  readonly allocationsPerLine: number;
}

/** 1× of the benchmarks: 1,000 capacity reports and 500 allocations; 10× is ten times each. */
export const syntheticSize = (factor: number): SyntheticSize => ({
  measures: 30 * factor,
  shelters: 20 * factor,
  reportsPerShelter: 50,
  budgetLines: 25 * factor,
  allocationsPerLine: 20,
});

type Item = Record<string, unknown> & { pk: string; sk: string };
const SOURCE = 'Synthetic data for benchmarks, not a fact';
const REGIONS = ['Hordaland', 'Rogaland', 'Sør-Trøndelag', 'Nordland', 'Oslo', 'Troms', 'Vestfold', 'Agder'];
const STATUSES: MeasureStatus[] = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED'];
const OPERATORS = ['synthetic-operator-1', 'synthetic-operator-2', 'synthetic-operator-3'];
const HOLDERS = ['jd', 'ad', 'bld', 'hod'];

/** Adds to a numeric field of an item kept in a map, making the item when it is new. */
function bump(
  map: Map<string, Item>,
  key: { pk: string; sk: string },
  base: Record<string, unknown>,
  adds: Record<string, number | bigint>,
) {
  const id = `${key.pk}\u0000${key.sk}`;
  const item = map.get(id) ?? {
    ...key,
    ...base,
    ...Object.fromEntries(Object.keys(adds).map((k) => [k, typeof adds[k] === 'bigint' ? 0n : 0])),
  };
  for (const [k, v] of Object.entries(adds)) item[k] = typeof v === 'bigint' ? (item[k] as bigint) + v : (item[k] as number) + v;
  map.set(id, item);
}

export async function loadSynthetic(db: Db, size: SyntheticSize, at = '2014-12-31T00:00:00.000Z') {
  const items: Record<TableId, Item[]> = { measures: [], responsibilities: [], shelters: [], funding: [], audit: [] };
  const planId = seedPlan.id;

  // Operators of the synthetic shelters.
  for (const [i, id] of OPERATORS.entries()) {
    items.responsibilities.push({
      ...agencyKey(id),
      gsi2pk: agencyDirectoryPk,
      gsi2sk: `[Syntetisk] Operatør ${i + 1}#${id}`,
      id,
      name: `[Syntetisk] Operatør ${i + 1}`,
      kind: 'NGO',
      source: SOURCE,
    });
  }

  // Measures: numbered past the seed, NAV holding every other one (every sixth as LEAD), with the plan's counters.
  const counts = new Map<string, number>();
  const measures: MeasureRecord[] = [];
  for (let i = 0; i < size.measures; i++) {
    const id = `synthetic-measure-${i + 1}`;
    const role = i % 2 === 0 ? (i % 6 === 0 ? 'LEAD' : 'SHARED') : null;
    const m: MeasureRecord = {
      id,
      planId,
      number: null,
      title: `[Syntetisk] Tiltak ${i + 1}`,
      description: null,
      status: STATUSES[i % STATUSES.length] ?? 'PLANNED',
      version: 1,
      updatedAt: at,
      goalNumbers: [1 + (i % 5)],
      ...(role === 'LEAD' ? { leadAgencyId: 'nav' } : {}),
      responsibilities: role ? { nav: role } : {},
      source: SOURCE,
    };
    measures.push(m);
    items.measures.push({ ...m, ...measureKey(id), ...measureIndexKeys(m) } as Item);
    for (const g of m.goalNumbers) items.measures.push(goalLinkItem(m, g) as Item);
    for (const k of countKeys(m.goalNumbers, m.status)) counts.set(k, (counts.get(k) ?? 0) + 1);
    if (role) {
      items.responsibilities.push({
        ...responsibilityKey(id, 'nav'),
        measureId: id,
        agencyId: 'nav',
        role,
        gsi1pk: agencyResponsibilitiesPk('nav'),
        gsi1sk: agencyResponsibilitySk(role, measureOrderKey(null, id)),
      });
    }
  }

  // Shelters and their weekly reports, with each period's last report and the rollups of the country and each region.
  const rollups = new Map<string, Item>();
  const shelters: ShelterRecord[] = [];
  let reports = 0;
  for (let i = 0; i < size.shelters; i++) {
    const id = `synthetic-shelter-${i + 1}`;
    const capacity = 6 + (i % 15);
    const last = new Map<string, CapacityFigures & { period: string; granularity: string }>();
    let latest: CapacityFigures | undefined;
    for (let w = 0; w < size.reportsPerShelter; w++) {
      const date = new Date(Date.UTC(2011, 0, 3 + 7 * w)).toISOString().slice(0, 10);
      const figures: CapacityFigures = { date, capacity, occupied: (i * 7 + w * 3) % (capacity + 1), revision: 1 };
      items.shelters.push({
        ...capacityReportKey(id, date),
        ...figures,
        shelterId: id,
        operatorId: OPERATORS[i % OPERATORS.length] ?? '',
        reportedAt: at,
      });
      reports++;
      latest = figures;
      for (const granularity of granularities) {
        const period = periodOf(date, granularity);
        last.set(`${granularity}#${period}`, { ...figures, period, granularity });
      }
    }
    const shelter: ShelterRecord = {
      id,
      name: `[Syntetisk] Hus ${String(i + 1).padStart(5, '0')}`,
      operatorId: OPERATORS[i % OPERATORS.length] ?? '',
      region: REGIONS[i % REGIONS.length] ?? 'Oslo',
      municipality: null,
      address: `[Syntetisk] Oppdiktet vei ${i + 1}`,
      targetGroups: ['WOMEN'],
      services: ['SAFE_HOUSING'],
      measureIds: [],
      version: 1,
      updatedAt: at,
      ...(latest ? { latest } : {}),
      source: SOURCE,
    };
    shelters.push(shelter);
    items.shelters.push({ ...shelter, ...shelterKey(id) } as Item, ...listingItems(shelter));
    for (const marker of last.values()) {
      const granularity = marker.granularity as (typeof granularities)[number];
      const { granularity: _g, ...stored } = marker;
      items.shelters.push({ ...lastReportKey(id, granularity, marker.period), ...stored });
      // The same deltas a report's transaction would add, from nothing to this period's last report.
      const delta = rollupDelta(undefined, marker, db.config.suppressionThreshold);
      for (const key of [
        { pk: regionRollupPk(shelter.region, granularity), sk: marker.period },
        regionsRollupKey(granularity, marker.period, shelter.region),
      ]) {
        bump(rollups, key, { period: marker.period, region: shelter.region }, delta);
      }
    }
  }
  items.shelters.push(...rollups.values());

  // Budget lines with allocations and a disbursement of half of each, and every summary they move.
  const summaries = new Map<string, Item>();
  let allocations = 0;
  for (let l = 0; l < size.budgetLines; l++) {
    const fiscalYear = 2011 + (l % 4);
    const agencyId = HOLDERS[l % HOLDERS.length] ?? 'jd';
    const id = `synthetic-line-${l + 1}`;
    const amounts = Array.from({ length: size.allocationsPerLine }, (_, a) => BigInt(100_000 + ((l * 31 + a * 17) % 90) * 10_000));
    const allocated = amounts.reduce((s, x) => s + x, 0n);
    const disbursed = amounts.reduce((s, x) => s + x / 2n, 0n);
    const line: BudgetLineRecord = {
      id,
      planId,
      fiscalYear,
      agencyId,
      chapter: 8000 + Math.floor(l / 100),
      post: 1 + (l % 99),
      title: `[Syntetisk] Bevilgning ${l + 1}`,
      appropriatedOre: allocated * 2n,
      allocatedOre: allocated,
      remainingOre: allocated,
      disbursedOre: disbursed,
      createdAt: at,
    };
    items.funding.push({ ...budgetLineNaturalKey(agencyId, fiscalYear, line.chapter, line.post), budgetLineId: id }, {
      ...budgetLineKey(id),
      gsi1pk: yearLinesPk(fiscalYear),
      gsi1sk: lineSortKey(agencyId, line.chapter, line.post, id),
      ...line,
    } as Item);
    for (const [a, amount] of amounts.entries()) {
      const measure = measures[(l * size.allocationsPerLine + a) % Math.max(1, measures.length)];
      const shelter = a % 4 === 3 ? shelters[(l + a) % Math.max(1, shelters.length)] : undefined;
      const allocation: AllocationRecord = {
        id: `synthetic-alloc-${l + 1}-${a + 1}`,
        planId,
        budgetLineId: id,
        fiscalYear,
        lineAgencyId: agencyId,
        measureId: measure?.id ?? null,
        goalNumbers: measure?.goalNumbers ?? [],
        recipientId: 'nav',
        shelterId: shelter?.id ?? null,
        amountOre: amount,
        disbursedOre: amount / 2n,
        undisbursedOre: amount - amount / 2n,
        createdAt: at,
      };
      allocations++;
      items.funding.push({ ...allocationKey(allocation.id), ...allocation } as Item);
      const date = `${fiscalYear}-06-15`;
      items.funding.push({
        ...disbursementKey(allocation.id, date, `${allocation.id}-d`),
        id: `${allocation.id}-d`,
        allocationId: allocation.id,
        date,
        amountOre: amount / 2n,
        createdAt: at,
      });
      const groups = groupsOf(line, allocation, {
        agencyName: seedAgencies.find((g) => g.id === agencyId)?.name,
        measure,
        goals: seedPlan.goals,
      });
      for (const year of [fiscalYear, null]) {
        for (const { groupBy, key, label } of groups) {
          bump(
            summaries,
            { pk: summaryPk(planId, groupBy, year), sk: key },
            { key, label, fiscalYear: year },
            { allocatedOre: amount, disbursedOre: amount / 2n },
          );
        }
      }
      if (shelter) bump(summaries, shelterTotalKey(shelter.id), {}, { allocatedOre: amount, disbursedOre: amount / 2n });
    }
  }
  items.funding.push(...summaries.values());

  await writeAll(db, items);
  // The counters are added to what the plan already counts (the seed's measures), in one update.
  await addCounts(db, counts);
  return { measures: measures.length, shelters: shelters.length, reports, budgetLines: size.budgetLines, allocations };
}

async function addCounts(db: Db, counts: Map<string, number>) {
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const entries = [...counts];
  await db.client.send(
    new UpdateCommand({
      TableName: tableName(db, 'measures'),
      Key: planStatsKey(seedPlan.id),
      UpdateExpression: `SET ${entries.map((_, i) => `counts.#c${i} = if_not_exists(counts.#c${i}, :zero) + :d${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
      ExpressionAttributeValues: { ':zero': 0, ...Object.fromEntries(entries.map(([, v], i) => [`:d${i}`, v])) },
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

/** Every built item, put in bulk. */
function writeAll(db: Db, items: Record<TableId, Item[]>) {
  const requests = (Object.entries(items) as [TableId, Item[]][]).flatMap(([table, list]) =>
    list.map((Item) => ({ table: tableName(db, table), PutRequest: { Item } })),
  );
  return batchWriteAll(db, requests);
}
