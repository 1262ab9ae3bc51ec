import { demoShare } from '../funding/funding.model.js';
import type { Resolvers } from './generated/resolvers.js';
import { abilitiesResolvers } from './resolvers/abilities.resolvers.js';
import { agenciesMutations } from './resolvers/agencies.mutations.js';
import { agenciesResolvers } from './resolvers/agencies.resolvers.js';
import { agencyMutations } from './resolvers/agency.mutations.js';
import { auditResolvers } from './resolvers/audit.resolvers.js';
import { calendarResolvers } from './resolvers/calendar.resolvers.js';
import { fundingResolvers } from './resolvers/funding.resolvers.js';
import { integrationsResolvers } from './resolvers/integrations.resolvers.js';
import { planMutations } from './resolvers/plan.mutations.js';
import { plansMutations } from './resolvers/plans.mutations.js';
import { plansResolvers } from './resolvers/plans.resolvers.js';
import { sheltersResolvers } from './resolvers/shelters.resolvers.js';
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
    abilitiesResolvers,
    integrationsResolvers,
  ),
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Money: MoneyScalar,
};
