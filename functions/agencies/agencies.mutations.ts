import type { Resolvers } from '../graphql/generated/resolvers.js';
import { withFreshRead } from '../plans/plans.mutations.js';
import { NotFoundError } from '../shared/errors.js';
import { assertCanAssign } from '../shared/policy.js';

export const agenciesMutations: Resolvers = {
  Mutation: {
    assignResponsibility: async (_root, { input }, ctx) => {
      assertCanAssign(ctx.viewer);
      if (!(await ctx.agencies.agency(input.agencyId))) throw new NotFoundError(`There is no agency ${input.agencyId}.`, 'agencyId');
      return withFreshRead(ctx, async () => {
        const measure = await ctx.plans.measure(input.measureId);
        if (!measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
        const responsibility = { measureId: measure.id, agencyId: input.agencyId, role: input.role };
        // Assigning the role an agency already holds changes nothing and writes nothing.
        if (measure.responsibilities[input.agencyId] === input.role) return { responsibility, measure };
        const next = await ctx.writes.agencies.assign(measure, input.agencyId, input.role, ctx.viewer, new Date().toISOString());
        return { responsibility, measure: next };
      });
    },

    removeResponsibility: async (_root, { input }, ctx) => {
      assertCanAssign(ctx.viewer);
      return withFreshRead(ctx, async () => {
        const measure = await ctx.plans.measure(input.measureId);
        if (!measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
        const next = await ctx.writes.agencies.remove(measure, input.agencyId, ctx.viewer, new Date().toISOString());
        return { responsibility: null, measure: next };
      });
    },
  },
};
