import type { AgencyRecord } from '../../agencies/agencies.model.js';
import type { IntegrationRecord } from '../../agencies/integrations.model.js';
import type { Context } from '../../app/context.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanManageIntegrations, hasScope } from '../../shared/policy.js';
import { apiProvenance } from '../../shared/provenance.js';
import { withFreshRead } from '../../shared/retry.js';
import { text } from '../../shared/validate.js';
import { AGENCY_ID, scopes as allScopes, CLIENT_ID, type Role, type Scope } from '../../shared/viewer.js';
import { limits } from '../generated/limits.js';
import type { IntegrationScope, Resolvers } from '../generated/resolvers.js';

const NAME_MAX = 100;

const scopeOfEnum: Readonly<Record<IntegrationScope, Scope>> = { READ: 'read', WRITE: 'write', PUBLISH_DOCUMENTS: 'publish-documents' };
const enumOfScope: Readonly<Record<Scope, IntegrationScope>> = { read: 'READ', write: 'WRITE', 'publish-documents': 'PUBLISH_DOCUMENTS' };

function clientId(value: string): string {
  if (!CLIENT_ID.test(value))
    throw new BadUserInputError('clientId must be an OAuth client id: letters, digits, _ and +, at most 128 characters.', 'clientId');
  return value;
}

/** The scopes as stored, in their fixed order: 1–3, each named once. */
function scopeList(values: readonly IntegrationScope[]): Scope[] {
  if (values.length === 0) throw new BadUserInputError('scopes must name at least one scope.', 'scopes');
  if (new Set(values).size !== values.length) throw new BadUserInputError('scopes must name each scope once.', 'scopes');
  const named = new Set(values.map((v) => scopeOfEnum[v]));
  return allScopes.filter((s) => named.has(s));
}

/** The role and agency of a grant: a role other than AGENCY_EDITOR, or an agency id (role AGENCY_EDITOR), not both. */
function grantOfInput(role: Role | null | undefined, agencyId: string | null | undefined): { role: Role; agencyId: string | null } | null {
  const hasRole = role !== null && role !== undefined;
  const hasAgency = agencyId !== null && agencyId !== undefined;
  if (hasRole && hasAgency)
    throw new BadUserInputError('Give role or agencyId, not both: an agency grants the role AGENCY_EDITOR.', 'agencyId');
  if (hasRole) {
    if (role === 'AGENCY_EDITOR') throw new BadUserInputError('For an agency, give agencyId instead of the role AGENCY_EDITOR.', 'role');
    return { role, agencyId: null };
  }
  if (hasAgency) {
    if (!AGENCY_ID.test(agencyId))
      throw new BadUserInputError('agencyId must be an agency id (lower-case letters, digits, dashes).', 'agencyId');
    return { role: 'AGENCY_EDITOR', agencyId };
  }
  return null;
}

/** FUNDER and VIEWER write nothing: a grant of WRITE to them would be a promise the policy never keeps. */
function checkWriters(role: Role, scopes: readonly Scope[], field: 'scopes' | 'role'): void {
  if ((role === 'FUNDER' || role === 'VIEWER') && scopes.includes('write'))
    throw new BadUserInputError(`A ${role} writes nothing: WRITE is for COORDINATOR or an agency.`, field);
}

async function agencyOf(ctx: Context, agencyId: string | null): Promise<AgencyRecord | null> {
  if (agencyId === null) return null;
  const agency = await ctx.agencies.agency(agencyId);
  if (!agency) throw new NotFoundError(`There is no agency ${agencyId}.`, 'agencyId');
  return agency;
}

/** The entry as stored, for an update or a revocation: NOT_FOUND, a revoked entry or a stale version are refused. */
async function current(ctx: Context, id: string, expectedVersion: number): Promise<IntegrationRecord> {
  const stored = await ctx.agencies.integration(id);
  if (!stored) throw new NotFoundError(`There is no integration ${id}.`, 'clientId');
  if (stored.status === 'REVOKED') throw new ConflictError(`The integration ${id} is revoked.`, { field: 'clientId' });
  if (stored.version !== expectedVersion)
    throw new ConflictError(`The integration has changed since version ${expectedVersion}; it is now at version ${stored.version}.`, {
      field: 'expectedVersion',
      currentVersion: stored.version,
    });
  return stored;
}

/** The registry is no list a reader pages through: a person of the coordinating ministry reads and keeps it. */
export const integrationsResolvers: Resolvers = {
  Query: {
    integrations: async (_root, _args, ctx) => {
      assertCanManageIntegrations(ctx.viewer);
      return ctx.agencies.integrations();
    },
    integration: async (_root, { clientId: id }, ctx) => {
      assertCanManageIntegrations(ctx.viewer);
      return (await ctx.agencies.integration(clientId(id))) ?? null;
    },
  },
  Mutation: {
    registerIntegration: async (_root, { input }, ctx) => {
      assertCanManageIntegrations(ctx.viewer);
      const id = clientId(input.clientId);
      const name = text(input.name, 'name', { max: NAME_MAX });
      const grant = grantOfInput(input.role, input.agencyId);
      if (!grant) throw new BadUserInputError('Give the role it acts with, or the agencyId of the agency it acts for.', 'role');
      const scopes = scopeList(input.scopes);
      checkWriters(grant.role, scopes, 'scopes');
      return withFreshRead(ctx, async () => {
        const [existing, agency] = await Promise.all([ctx.agencies.integration(id), agencyOf(ctx, grant.agencyId)]);
        if (existing) throw new ConflictError(`The client ${id} is registered already.`, { field: 'clientId' });
        const at = new Date().toISOString();
        const integration: IntegrationRecord = {
          clientId: id,
          name,
          ...grant,
          scopes,
          status: 'ACTIVE',
          version: 1,
          createdAt: at,
          updatedAt: at,
          provenance: apiProvenance(at),
        };
        const max = limits.integrations;
        const full = () => new ListFullError(`The registry holds at most ${max} active integrations.`, 'clientId', 'integrations', max);
        await ctx.agencies.registerIntegration(integration, agency, ctx.viewer, { max, error: full });
        return { integration };
      });
    },

    updateIntegration: async (_root, { input }, ctx) => {
      assertCanManageIntegrations(ctx.viewer);
      const id = clientId(input.clientId);
      const name = input.name !== null && input.name !== undefined ? text(input.name, 'name', { max: NAME_MAX }) : undefined;
      const grant = grantOfInput(input.role, input.agencyId);
      const scopes = input.scopes !== null && input.scopes !== undefined ? scopeList(input.scopes) : undefined;
      return withFreshRead(ctx, async () => {
        const [stored, agency] = await Promise.all([current(ctx, id, input.expectedVersion), agencyOf(ctx, grant?.agencyId ?? null)]);
        const next: IntegrationRecord = {
          ...stored,
          ...(name !== undefined ? { name } : {}),
          ...(grant ?? {}),
          ...(scopes !== undefined ? { scopes } : {}),
        };
        checkWriters(next.role, next.scopes, scopes !== undefined ? 'scopes' : 'role');
        const same = next.name === stored.name && next.role === stored.role && next.agencyId === stored.agencyId;
        // A change that changes nothing writes nothing.
        if (same && next.scopes.join() === stored.scopes.join()) return { integration: stored };
        const changed = { ...next, version: stored.version + 1, updatedAt: new Date().toISOString() };
        await ctx.agencies.replaceIntegration('updateIntegration', stored, changed, agency, ctx.viewer);
        return { integration: changed };
      });
    },

    revokeIntegration: async (_root, { input }, ctx) => {
      assertCanManageIntegrations(ctx.viewer);
      const id = clientId(input.clientId);
      return withFreshRead(ctx, async () => {
        const stored = await current(ctx, id, input.expectedVersion);
        const revoked: IntegrationRecord = {
          ...stored,
          status: 'REVOKED',
          version: stored.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await ctx.agencies.replaceIntegration('revokeIntegration', stored, revoked, null, ctx.viewer);
        return { integration: revoked };
      });
    },
  },
  Integration: {
    agency: (i) => (i.agencyId !== null ? { id: i.agencyId } : null),
    scopes: (i) => i.scopes.map((s) => enumOfScope[s]),
  },
  Viewer: {
    integration: async (viewer, _args, ctx) =>
      viewer.integration ? ((await ctx.agencies.integration(viewer.integration.clientId)) ?? null) : null,
    scopes: (viewer) => allScopes.filter((s) => hasScope(viewer, s)).map((s) => enumOfScope[s]),
  },
};
