import { agenciesMutations } from '../agencies/agencies.mutations.js';
import { agenciesResolvers } from '../agencies/agencies.resolvers.js';
import { agencyMutations } from '../agencies/agency.mutations.js';
import { auditResolvers } from '../audit/audit.resolvers.js';
import { demoShare } from '../funding/funding.model.js';
import { fundingResolvers } from '../funding/funding.resolvers.js';
import { calendarResolvers } from '../plans/calendar.resolvers.js';
import { planMutations } from '../plans/plan.mutations.js';
import { plansMutations } from '../plans/plans.mutations.js';
import { plansResolvers } from '../plans/plans.resolvers.js';
import { sheltersResolvers } from '../shelters/shelters.resolvers.js';
import type { Resolvers } from './generated/resolvers.js';
import { DateScalar, DateTimeScalar, MoneyScalar } from './scalars.js';

const identityResolvers: Resolvers = {
  Query: { viewer: (_root, _args, ctx) => ctx.viewer },
};

const fundingTotalsResolvers: Resolvers = {
  FundingTotals: {
    demoShare: (t) => demoShare(t),
    allocated: (t) => t.allocatedOre,
    disbursed: (t) => t.disbursedOre,
  },
};

type FieldMap = Record<string, Record<string, unknown>>;

/** Merges the domains' resolver maps type by type; a field two domains define is a programming error. */
function merge(...domains: Resolvers[]): Resolvers {
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
  return merged as Resolvers;
}

export const resolvers: Resolvers = {
  ...merge(
    identityResolvers,
    fundingTotalsResolvers,
    plansResolvers,
    plansMutations,
    agenciesResolvers,
    agenciesMutations,
    agencyMutations,
    planMutations,
    auditResolvers,
    sheltersResolvers,
    fundingResolvers,
    calendarResolvers,
  ),
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Money: MoneyScalar,
};
