import { ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanAssign, roleOf } from '../../shared/policy.js';
import { withFreshRead } from '../../shared/retry.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

export const agenciesMutations: Resolvers = {
  Mutation: {
    /** The agency and the measure in one batch, then one transaction. */
    assignResponsibility: async (_root, { input }, ctx) => {
      assertCanAssign(ctx.viewer);
      return withFreshRead(ctx, async () => {
        const [agency, measure] = await Promise.all([ctx.agencies.agency(input.agencyId), ctx.plans.measure(input.measureId)]);
        if (!agency) throw new NotFoundError(`There is no agency ${input.agencyId}.`, 'agencyId');
        if (!measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
        const responsibility = { measureId: measure.id, agencyId: agency.id, role: input.role };
        // Assigning the role an agency already holds changes nothing and writes nothing.
        if (roleOf(measure.responsibilities, agency.id) === input.role) return { responsibility, measure };
        // A new agency on a measure at its cap is refused; a role changed is not. Held by the measure's version: of
        // racing assignments at the cap, the one that lands first is the last.
        const max = limits.responsibilitiesPerMeasure;
        const held = Object.keys(measure.responsibilities).length;
        if (roleOf(measure.responsibilities, agency.id) === undefined && held >= max) {
          throw new ListFullError(
            `A measure has at most ${max} responsible agencies; this one has ${held}.`,
            'agencyId',
            'responsibilitiesPerMeasure',
            max,
          );
        }
        const next = await ctx.agencies.assign(measure, agency.id, input.role, ctx.viewer, new Date().toISOString());
        return { responsibility, measure: next };
      });
    },

    removeResponsibility: async (_root, { input }, ctx) => {
      assertCanAssign(ctx.viewer);
      return withFreshRead(ctx, async () => {
        // The role as stored comes in the same batch: its reported periods are what the counters give back.
        const [measure, responsibility] = await Promise.all([
          ctx.plans.measure(input.measureId),
          ctx.agencies.responsibility(input.measureId, input.agencyId),
        ]);
        if (!measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
        if (!responsibility || roleOf(measure.responsibilities, input.agencyId) === undefined) {
          throw new NotFoundError(`Agency ${input.agencyId} holds no responsibility for the measure.`, 'agencyId');
        }
        const next = await ctx.agencies.remove(measure, responsibility, ctx.viewer, new Date().toISOString());
        return { responsibility: null, measure: next };
      });
    },
  },
};
