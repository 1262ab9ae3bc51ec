import { agenciesMutations } from '../agencies/agencies.mutations.js';
import { agenciesResolvers } from '../agencies/agencies.resolvers.js';
import { auditResolvers } from '../audit/audit.resolvers.js';
import { plansMutations } from '../plans/plans.mutations.js';
import { plansResolvers } from '../plans/plans.resolvers.js';
import { sheltersResolvers } from '../shelters/shelters.resolvers.js';
import type { Resolvers } from './generated/resolvers.js';
import { pendingResolvers } from './pending.resolvers.js';
import { DateScalar, DateTimeScalar, MoneyScalar } from './scalars.js';

const identityResolvers: Resolvers = {
  Query: { viewer: (_root, _args, ctx) => ctx.viewer },
};

const fundingTotalsResolvers: Resolvers = {
  FundingTotals: {
    allocated: (t) => t.allocatedOre,
    disbursed: (t) => t.disbursedOre,
  },
};

type FieldMap = Record<string, Record<string, unknown>>;

/**
 * Merges the domains' resolver maps type by type; a field two domains define is a programming
 * error. Pending fields fill only what no domain implements yet.
 */
function merge(pending: Resolvers, ...domains: Resolvers[]): Resolvers {
  const merged: FieldMap = {};
  const fieldsOf = (type: string) => {
    merged[type] ??= {};
    return merged[type];
  };
  for (const map of domains) {
    for (const [type, fields] of Object.entries(map as FieldMap)) {
      const target = fieldsOf(type);
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`Resolver ${type}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  for (const [type, fields] of Object.entries(pending as FieldMap)) {
    const target = fieldsOf(type);
    for (const [field, resolver] of Object.entries(fields)) if (!(field in target)) target[field] = resolver;
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = {
  ...merge(
    pendingResolvers,
    identityResolvers,
    fundingTotalsResolvers,
    plansResolvers,
    plansMutations,
    agenciesResolvers,
    agenciesMutations,
    auditResolvers,
    sheltersResolvers,
  ),
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Money: MoneyScalar,
};
