import { type Db, loadItem } from '../shared/db.js';
import { type FundingEntityKind, type FundingTotalsRecord, fundingTotalKey } from './funding.model.js';

interface StoredTotals {
  readonly allocatedOre?: number | bigint;
  readonly disbursedOre?: number | bigint;
}

/** Reads of the funding table. */
export class FundingRepository {
  constructor(private readonly db: Db) {}

  /**
   * An entity's totals over all years, from its rollup item: one batched read, however many
   * allocations exist. No item means nothing was ever allocated, which is a true zero.
   */
  async totals(kind: FundingEntityKind, id: string): Promise<FundingTotalsRecord> {
    const item = await loadItem<StoredTotals>(this.db, 'funding', fundingTotalKey(kind, id));
    return { allocatedOre: BigInt(item?.allocatedOre ?? 0), disbursedOre: BigInt(item?.disbursedOre ?? 0) };
  }
}
