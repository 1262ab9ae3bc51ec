import type { FundingMatrixRows } from '../graphql';

/** What a row of the funding matrix may be. */
export const MATRIX_ROWS: readonly FundingMatrixRows[] = ['GOAL', 'AGENCY', 'BUDGET_LINE'];

/** The budget line page's address; the year lets the page read the line from its year's list. */
export const budgetLineHref = (line: { id: string; fiscalYear: number }) =>
  `/budget-lines/${encodeURIComponent(line.id)}?year=${line.fiscalYear}`;
