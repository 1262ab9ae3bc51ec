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
    shelter: pending('Shelters'),
    shelters: pending('Shelters'),
    capacityTimeline: pending('Capacity reporting'),
    budgetLines: pending('Funding'),
    fundingSummary: pending('Funding'),
    auditTrail: pending('The audit trail'),
  },
  Mutation: {
    createMeasure: pending('Editing measures'),
    updateMeasure: pending('Editing measures'),
    assignResponsibility: pending('Assigning responsibilities'),
    removeResponsibility: pending('Assigning responsibilities'),
    submitStatusReport: pending('Status reporting'),
    registerShelter: pending('Shelters'),
    updateShelter: pending('Shelters'),
    reportCapacity: pending('Capacity reporting'),
    createBudgetLine: pending('Funding'),
    allocateFunds: pending('Funding'),
    recordDisbursement: pending('Funding'),
  },
};
