import { toConnection } from '../../shared/db.js';
import { assertCanReadAudit, auditOwnerScope, canReadAuditEntry } from '../../shared/policy.js';
import type { Resolvers } from '../generated/resolvers.js';

export const auditResolvers: Resolvers = {
  Query: {
    auditTrail: async (_root, { entityId, first, after }, ctx) => {
      assertCanReadAudit(ctx.viewer);
      const page = await ctx.audit.trail(entityId, auditOwnerScope(ctx.viewer), first, after);
      // The query already filtered by owner; the policy is asked again for each entry all the same.
      return toConnection({ ...page, items: page.items.filter((e) => canReadAuditEntry(ctx.viewer, e.node.ownerAgencyIds)) }, (n) => n);
    },
  },
};
