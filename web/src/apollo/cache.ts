import { type FieldPolicy, InMemoryCache, type Reference, type TypePolicies } from '@apollo/client';

interface Connection {
  edges: readonly unknown[];
  pageInfo?: unknown;
  [key: string]: unknown;
}

/**
 * A Relay connection paged by `first`/`after`: a page without `after` replaces what was cached, a
 * page with `after` is appended, so "show more" keeps the pages already read. `keyArgs` are the
 * arguments that make another list (a filter), not another page.
 */
export function relayPages(keyArgs: string[] | false): FieldPolicy<Connection> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      if (!existing) return incoming;
      // A first page replaces the edges but keeps fields that another selection of the same list read (totalCount).
      if (!args?.after) return { ...existing, ...incoming };
      return { ...incoming, edges: [...existing.edges, ...incoming.edges] };
    },
  };
}

/** Lists and objects without ids that an answer replaces whole: taking the incoming value is right, and says so. */
const replace: FieldPolicy<unknown> = { merge: false };

export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      // A measure or shelter already in the cache answers its detail page at once.
      measure: { read: (_, { args, toReference }) => toReference({ __typename: 'Measure', id: args?.id }, false) as Reference | undefined },
      shelters: relayPages(['filter']),
      auditTrail: relayPages(['entityId']),
      agencies: replace,
      actionPlans: replace,
      budgetLines: replace,
      capacityTimeline: replace,
      fundingSummary: replace,
      fundingMatrix: replace,
      allocations: relayPages(['filter']),
      disbursements: relayPages(['filter']),
    },
  },
  // Objects without an id: the cache keeps them inside their parent; merging keeps the fields of
  // both selections (a measure's `funding { allocated }` after `funding { allocated disbursed }`).
  FundingTotals: { merge: true },
  CapacityReport: { merge: true },
  Period: { merge: true },
  PageInfo: { merge: true },
  // The caller is one per token: the subject identifies it (an audit entry's actor too).
  Viewer: { keyFields: ['subject'] },
  ActionPlan: {
    fields: {
      measures: relayPages(['status', 'goalNumber']),
      goals: replace,
      measuresWithoutLead: replace,
      measuresMissingReport: replace,
      reportingPeriods: replace,
      reportingDuties: relayPages(['period', 'status', 'asOf']),
      progress: replace,
    },
  },
  Measure: {
    fields: {
      statusReports: relayPages(false),
      responsibilities: replace,
      goals: replace,
      milestones: replace,
      indicators: replace,
    },
  },
  Indicator: { fields: { values: replace } },
  Agency: { fields: { responsibilities: relayPages(['role']), reportingDuties: relayPages(['status', 'asOf']) } },
  BudgetLine: { fields: { revisions: replace, allocations: relayPages(false) } },
  Allocation: { fields: { disbursements: relayPages(false) } },
  Shelter: {
    fields: {
      capacityReports: relayPages(['from', 'to']),
      targetGroups: replace,
      services: replace,
      measures: replace,
    },
  },
};

export const createCache = () => new InMemoryCache({ typePolicies });
