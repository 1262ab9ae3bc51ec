import type { AgencyRecord } from '../functions/agencies/agencies.model.js';
import { agencyEntity } from '../functions/agencies/entities/agency.js';
import { allocationEntity } from '../functions/funding/entities/allocation.js';
import { budgetLineEntity } from '../functions/funding/entities/budget-line.js';
import { disbursementEntity } from '../functions/funding/entities/disbursement.js';
import { FundingRollupSums } from '../functions/funding/entities/funding-rollup.js';
import { type AllocationRecord, type BudgetLineRecord, groupsOf, lineGroupsOf } from '../functions/funding/funding.model.js';
import { measureEntity } from '../functions/plans/entities/measure.js';
import { measureGoalEntity } from '../functions/plans/entities/measure-goal.js';
import { counterDeltas, owedKey, planStatsEntity } from '../functions/plans/entities/plan-stats.js';
import { responsibilityEntity } from '../functions/plans/entities/responsibility.js';
import type { MeasureRecord, MeasureStatus } from '../functions/plans/plans.model.js';
import type { Config } from '../functions/shared/config.js';
import { type Db, tableName } from '../functions/shared/db.js';
import type { Item, TxItem } from '../functions/shared/entity.js';
import type { Provenance } from '../functions/shared/provenance.js';
import type { TableId } from '../functions/shared/tables.js';
import { sendTransaction } from '../functions/shared/transact.js';
import { rollupRules } from '../functions/shelters/disclosure.js';
import { capacityReportEntity } from '../functions/shelters/entities/capacity-report.js';
import { CapacityRollupSums } from '../functions/shelters/entities/capacity-rollup.js';
import { type LastReport, lastReportEntity } from '../functions/shelters/entities/last-report.js';
import { shelterEntity } from '../functions/shelters/entities/shelter.js';
import { shelterListingEntity } from '../functions/shelters/entities/shelter-listing.js';
import {
  type CapacityFigures,
  type Granularity,
  granularities,
  periodOf,
  rollupDelta,
  type ShelterRecord,
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

const SOURCE = 'Synthetic data for benchmarks, not a fact';
/** Every synthetic record says it was generated for benchmarks. */
const PROVENANCE: Provenance = { kind: 'SYNTHETIC', reference: SOURCE, recordedAt: null };
const REGIONS = ['Hordaland', 'Rogaland', 'Sør-Trøndelag', 'Nordland', 'Oslo', 'Troms', 'Vestfold', 'Agder'];
const STATUSES: MeasureStatus[] = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED'];
const OPERATORS = ['synthetic-operator-1', 'synthetic-operator-2', 'synthetic-operator-3'];
const HOLDERS = ['jd', 'ad', 'bld', 'hod'];

type Items = Record<TableId, Item[]>;

export async function loadSynthetic(db: Db, size: SyntheticSize, at = '2014-12-31T00:00:00.000Z') {
  const items: Items = { measures: [], responsibilities: [], shelters: [], funding: [], audit: [] };
  for (const [i, id] of OPERATORS.entries()) {
    const operator: AgencyRecord = { id, name: `[Syntetisk] Operatør ${i + 1}`, kind: 'NGO', source: SOURCE, provenance: PROVENANCE };
    items.responsibilities.push(agencyEntity.toItem(operator));
  }
  const measures = buildMeasures(items, size, at);
  const { shelters, reports } = buildShelters(items, size, at, db.config);
  const allocations = buildFunding(items, size, at, measures, shelters);
  await writeAll(db, items);
  // The counters are added to what the plan already counts (the seed's measures), in one update.
  const counts = new Map<string, number>();
  for (const m of measures) for (const [k, d] of counterDeltas(null, m)) counts.set(k, (counts.get(k) ?? 0) + d);
  // Each role is held from the plan's start (synthetic roles have no day assigned): a report owed each period.
  const roles = measures.reduce((n, m) => n + Object.keys(m.responsibilities).length, 0);
  if (roles > 0) counts.set(owedKey(undefined), (counts.get(owedKey(undefined)) ?? 0) + roles);
  const move = planStatsEntity.move(seedPlan.id, [...counts]);
  if (move) await sendTransaction(db, [move]);
  return { measures: measures.length, shelters: shelters.length, reports, budgetLines: size.budgetLines, allocations };
}

/** Measures numbered past the seed, NAV holding every other one (every sixth as LEAD). */
function buildMeasures(items: Items, size: SyntheticSize, at: string): MeasureRecord[] {
  const measures: MeasureRecord[] = [];
  for (let i = 0; i < size.measures; i++) {
    const id = `synthetic-measure-${i + 1}`;
    const role = i % 2 === 0 ? (i % 6 === 0 ? 'LEAD' : 'SHARED') : null;
    const m: MeasureRecord = {
      id,
      planId: seedPlan.id,
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
      provenance: PROVENANCE,
    };
    measures.push(m);
    items.measures.push(measureEntity.toItem(m), ...m.goalNumbers.map((g) => measureGoalEntity.toItem(m, g)));
    if (role)
      items.responsibilities.push(
        responsibilityEntity.toItem({ measureId: id, agencyId: 'nav', role }, { planId: m.planId, number: m.number }),
      );
  }
  return measures;
}

/** Shelters and their weekly reports, with each period's last report and the rollups of each region. */
function buildShelters(items: Items, size: SyntheticSize, at: string, config: Config) {
  const rollups = new CapacityRollupSums();
  const shelters: ShelterRecord[] = [];
  let reports = 0;
  for (let i = 0; i < size.shelters; i++) {
    const id = `synthetic-shelter-${i + 1}`;
    const operatorId = OPERATORS[i % OPERATORS.length] ?? '';
    const capacity = 6 + (i % 15);
    const last = new Map<string, { granularity: Granularity; report: LastReport }>();
    let latest: CapacityFigures | undefined;
    for (let w = 0; w < size.reportsPerShelter; w++) {
      const date = new Date(Date.UTC(2011, 0, 3 + 7 * w)).toISOString().slice(0, 10);
      const figures: CapacityFigures = { date, capacity, occupied: (i * 7 + w * 3) % (capacity + 1), revision: 1 };
      items.shelters.push(capacityReportEntity.toItem({ ...figures, shelterId: id, operatorId, reportedAt: at, provenance: PROVENANCE }));
      reports++;
      latest = figures;
      for (const granularity of granularities) {
        const period = periodOf(date, granularity);
        last.set(`${granularity}#${period}`, { granularity, report: { ...figures, period } });
      }
    }
    const shelter: ShelterRecord = {
      id,
      name: `[Syntetisk] Hus ${String(i + 1).padStart(5, '0')}`,
      operatorId,
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
      provenance: PROVENANCE,
    };
    shelters.push(shelter);
    items.shelters.push(
      shelterEntity.toItem(shelter),
      ...shelterListingEntity.keysOf(shelter).map((k) => shelterListingEntity.toItem(shelter, k)),
    );
    for (const { granularity, report } of last.values()) {
      items.shelters.push(lastReportEntity.toItem(id, granularity, report));
      // The same deltas a report's transaction would add, from nothing to this period's last report.
      rollups.add(shelter.region, granularity, report.period, rollupDelta(undefined, report, rollupRules(config, shelter)));
    }
  }
  items.shelters.push(...rollups.items());
  return { shelters, reports };
}

/** Budget lines with allocations and a disbursement of half of each, and every total they move. */
function buildFunding(
  items: Items,
  size: SyntheticSize,
  at: string,
  measures: readonly MeasureRecord[],
  shelters: readonly ShelterRecord[],
) {
  const sums = new FundingRollupSums();
  let allocations = 0;
  for (let l = 0; l < size.budgetLines; l++) {
    const fiscalYear = 2011 + (l % 4);
    const agencyId = HOLDERS[l % HOLDERS.length] ?? 'jd';
    const amounts = Array.from({ length: size.allocationsPerLine }, (_, a) => BigInt(100_000 + ((l * 31 + a * 17) % 90) * 10_000));
    const allocated = amounts.reduce((s, x) => s + x, 0n);
    const line: BudgetLineRecord = {
      id: `synthetic-line-${l + 1}`,
      planId: seedPlan.id,
      fiscalYear,
      agencyId,
      chapter: 8000 + Math.floor(l / 100),
      post: 1 + (l % 99),
      title: `[Syntetisk] Bevilgning ${l + 1}`,
      appropriatedOre: allocated * 2n,
      allocatedOre: allocated,
      disbursedOre: amounts.reduce((s, x) => s + x / 2n, 0n),
      createdAt: at,
      provenance: PROVENANCE,
    };
    // The counts of lines are no puts: bulk-loaded lines are counted by `npm run migrate -- list-counters`.
    items.funding.push(
      ...budgetLineEntity
        .create(line)
        .filter((i) => 'Put' in i.op)
        .map(putItem),
    );
    const agencyName = seedAgencies.find((g) => g.id === agencyId)?.name;
    sums.add({ ...line, shelterId: null }, lineGroupsOf(line, agencyName), {
      appropriatedOre: line.appropriatedOre,
      allocatedOre: 0n,
      disbursedOre: 0n,
    });
    for (const [a, amount] of amounts.entries()) {
      const measure = measures[(l * size.allocationsPerLine + a) % Math.max(1, measures.length)];
      const shelter = a % 4 === 3 ? shelters[(l + a) % Math.max(1, shelters.length)] : undefined;
      const target = { planId: seedPlan.id, measureId: measure?.id ?? null, goalNumbers: measure?.goalNumbers ?? [] };
      const groups = groupsOf(line, target, {
        agencyName: seedAgencies.find((g) => g.id === agencyId)?.name,
        measure,
        goals: seedPlan.goals,
      });
      const allocation: AllocationRecord = {
        id: `synthetic-alloc-${l + 1}-${a + 1}`,
        ...target,
        budgetLineId: line.id,
        fiscalYear,
        lineAgencyId: agencyId,
        recipientId: 'nav',
        shelterId: shelter?.id ?? null,
        amountOre: amount,
        disbursedOre: amount / 2n,
        createdAt: at,
        provenance: PROVENANCE,
        groups,
      };
      allocations++;
      items.funding.push(allocationEntity.toItem(allocation));
      items.funding.push(
        disbursementEntity.toItem({
          id: `${allocation.id}-d`,
          allocationId: allocation.id,
          recipientId: allocation.recipientId,
          date: `${fiscalYear}-06-15`,
          amountOre: amount / 2n,
          createdAt: at,
          provenance: PROVENANCE,
        }),
      );
      sums.add(allocation, groups, { allocatedOre: amount, disbursedOre: amount / 2n, inventedOre: amount });
    }
  }
  items.funding.push(...sums.items());
  return allocations;
}

/** The item a Put of a transaction holds, for loaders that write in bulk. */
function putItem(i: TxItem): Item {
  if (!('Put' in i.op) || !i.op.Put.Item) throw new Error('Not a put');
  return i.op.Put.Item;
}

/** Every built item, put in bulk. */
function writeAll(db: Db, items: Items) {
  const requests = (Object.entries(items) as [TableId, Item[]][]).flatMap(([table, list]) =>
    list.map((Item) => ({ table: tableName(db, table), PutRequest: { Item } })),
  );
  return batchWriteAll(db, requests);
}
