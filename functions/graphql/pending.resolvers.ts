import { NotImplementedError } from '../shared/errors.js';
import type { Resolvers } from './generated/resolvers.js';

/**
 * Parts of the contract that later releases build. Each answers NOT_IMPLEMENTED naming the missing
 * capability; none returns made-up data.
 */
const pending = (capability: string) => () => {
  throw new NotImplementedError(capability);
};

export const pendingResolvers: Resolvers = {
  Query: {
    budgetLines: pending('Funding'),
    fundingSummary: pending('Funding'),
  },
  Mutation: {
    createBudgetLine: pending('Funding'),
    allocateFunds: pending('Funding'),
    recordDisbursement: pending('Funding'),
  },
};
