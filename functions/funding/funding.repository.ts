import { type Db, loadItem, queryAll } from '../shared/db.js';
import {
  type AllocationRecord,
  allocationKey,
  type BudgetLineRecord,
  budgetLineKey,
  type FundingGroupBy,
  type FundingTotalsRecord,
  ore,
  type SummaryRecord,
  shelterTotalKey,
  summaryPk,
  yearLinesPk,
} from './funding.model.js';

/** Reads of the funding table. */
export class FundingRepository {
  constructor(private readonly db: Db) {}

  budgetLine(id: string): Promise<BudgetLineRecord | undefined> {
    return loadItem<BudgetLineRecord>(this.db, 'funding', budgetLineKey(id));
  }

  allocation(id: string): Promise<AllocationRecord | undefined> {
    return loadItem<AllocationRecord>(this.db, 'funding', allocationKey(id));
  }

  /** A fiscal year's budget lines, optionally of one agency, by agency, chapter and post. */
  budgetLines(fiscalYear: number, agencyId: string | null | undefined): Promise<BudgetLineRecord[]> {
    return queryAll<BudgetLineRecord>(this.db, {
      table: 'funding',
      index: 'gsi1',
      keyCondition: agencyId ? 'gsi1pk = :pk AND begins_with(gsi1sk, :agency)' : 'gsi1pk = :pk',
      values: agencyId ? { ':pk': yearLinesPk(fiscalYear), ':agency': `AGENCY#${agencyId}#` } : { ':pk': yearLinesPk(fiscalYear) },
      forward: true,
    });
  }

  /** A plan's funding summary, grouped: one Query over rollup items, however many allocations exist. */
  summary(planId: string, groupBy: FundingGroupBy, fiscalYear: number | null): Promise<SummaryRecord[]> {
    return queryAll<SummaryRecord>(this.db, {
      table: 'funding',
      keyCondition: 'pk = :pk',
      values: { ':pk': summaryPk(planId, groupBy, fiscalYear) },
      forward: true,
    });
  }

  /**
   * A measure's totals over all years: its item in the plan's MEASURE summary, read through the
   * batch loader. No item means nothing was ever allocated, which is a true zero.
   */
  async measureTotals(planId: string, measureId: string): Promise<FundingTotalsRecord> {
    const item = await loadItem<SummaryRecord>(this.db, 'funding', { pk: summaryPk(planId, 'MEASURE', null), sk: measureId });
    return { allocatedOre: ore(item?.allocatedOre), disbursedOre: ore(item?.disbursedOre) };
  }

  async shelterTotals(shelterId: string): Promise<FundingTotalsRecord> {
    const item = await loadItem<SummaryRecord>(this.db, 'funding', shelterTotalKey(shelterId));
    return { allocatedOre: ore(item?.allocatedOre), disbursedOre: ore(item?.disbursedOre) };
  }
}
