/** Funding totals of one entity (a measure, a shelter, an agency, …), in integer øre, kept by rollup items. */
export interface FundingTotalsRecord {
  readonly allocatedOre: bigint;
  readonly disbursedOre: bigint;
}

export type FundingEntityKind = 'MEASURE' | 'SHELTER' | 'AGENCY' | 'LINE' | 'GOAL' | 'YEAR';

/** The all-years total of an entity; per-year totals use the fiscal year as sort key. */
export const fundingTotalKey = (kind: FundingEntityKind, id: string, fiscalYear?: number) => ({
  pk: `TOTAL#${kind}#${id}`,
  sk: fiscalYear === undefined ? 'ALL' : String(fiscalYear),
});
