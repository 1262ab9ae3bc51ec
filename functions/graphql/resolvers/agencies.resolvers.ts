import { type AgencyRecord, nameAt, namesOf } from '../../agencies/agencies.model.js';
import type { Context } from '../../app/context.js';
import { osloToday } from '../../plans/calendar.js';
import { toConnection } from '../../shared/db.js';
import { assertCanReadPlan, canReadAgencyContact } from '../../shared/policy.js';
import { provenanceOf } from '../../shared/provenance.js';
import type { Resolvers } from '../generated/resolvers.js';

/**
 * An Agency travels as a reference ({ id }); a field that needs more loads the record through the
 * request's batch loader, so `reportedBy { id }` costs nothing and `agency { name }` one batch per level.
 */
async function record(ctx: Context, id: string): Promise<AgencyRecord> {
  const agency = await ctx.agencies.agency(id);
  // References are written only after the agency was checked to exist.
  if (!agency) throw new Error(`agency ${id} is missing`);
  return agency;
}

export const agenciesResolvers: Resolvers = {
  Query: {
    agencies: async (_root, _args, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return ctx.agencies.agencies();
    },
    agency: async (_root, { id }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return (await ctx.agencies.agency(id)) ?? null;
    },
  },
  Agency: {
    provenance: async (ref, _args, ctx) => provenanceOf(await record(ctx, ref.id)),
    name: async (ref, { asOf }, ctx) => {
      const agency = await record(ctx, ref.id);
      // Without `asOf`, the name valid today: a name recorded ahead of its first day (a rename decided for next
      // January) is not yet the agency's name.
      return nameAt(agency, asOf ?? osloToday());
    },
    names: async (ref, _args, ctx) => [...namesOf(await record(ctx, ref.id))],
    shortName: async (ref, _args, ctx) => (await record(ctx, ref.id)).shortName ?? null,
    organizationNumber: async (ref, _args, ctx) => (await record(ctx, ref.id)).organizationNumber ?? null,
    contactEmail: async (ref, _args, ctx) =>
      canReadAgencyContact(ctx.viewer, ref.id) ? ((await record(ctx, ref.id)).contactEmail ?? null) : null,
    version: async (ref, _args, ctx) => (await record(ctx, ref.id)).version ?? 1,
    kind: async (ref, _args, ctx) => (await record(ctx, ref.id)).kind,
    parent: async (ref, _args, ctx) => {
      const parentId = (await record(ctx, ref.id)).parentId;
      return parentId ? { id: parentId } : null;
    },
    responsibilities: async (ref, { role, first, after }, ctx) => {
      return toConnection(await ctx.agencies.responsibilitiesOf(ref.id, role, first, after), (r) => r);
    },
  },
  Responsibility: {
    // A responsibility read through its measure carries only the role: its own item says where it came from.
    provenance: async (r, _args, ctx) =>
      provenanceOf(r.provenance ? r : ((await ctx.agencies.responsibility(r.measureId, r.agencyId)) ?? r)),
    measure: async (r, _args, ctx) => {
      const measure = await ctx.plans.measure(r.measureId);
      if (!measure) throw new Error(`measure ${r.measureId} is missing`);
      return measure;
    },
    agency: (r) => ({ id: r.agencyId }),
  },
  Viewer: {
    // A group may name an agency the directory lacks: then the caller has no agency to show.
    agency: async (viewer, _args, ctx) => (viewer.agencyId ? ((await ctx.agencies.agency(viewer.agencyId)) ?? null) : null),
  },
};
