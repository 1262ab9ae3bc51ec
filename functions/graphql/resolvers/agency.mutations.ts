import { type AgencyRecord, isOrganizationNumber, namesOf } from '../../agencies/agencies.model.js';
import type { Context } from '../../app/context.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanManageAgencies } from '../../shared/policy.js';
import { apiProvenance } from '../../shared/provenance.js';
import { withFreshRead } from '../../shared/retry.js';
import { isEmailAddress, optionalText, slug, text } from '../../shared/validate.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

const NAME_MAX = 200;
const SHORT_NAME_MAX = 30;
/** How deep the directory may nest: ministry → directorate → office is three; this leaves room. */
const MAX_DEPTH = 8;

function organizationNumber(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return value;
  const compact = value.replace(/\s/g, '');
  if (!/^\d{9}$/.test(compact)) throw new BadUserInputError('organizationNumber must be nine digits.', 'organizationNumber');
  if (!/^[89]/.test(compact))
    throw new BadUserInputError('organizationNumber must begin with 8 or 9, as every number in the register does.', 'organizationNumber');
  if (!isOrganizationNumber(compact)) {
    throw new BadUserInputError('organizationNumber has a wrong control digit (modulus 11): check the number.', 'organizationNumber');
  }
  return compact;
}

function contactEmail(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return value;
  const trimmed = value.trim();
  if (!isEmailAddress(trimmed)) throw new BadUserInputError('contactEmail must be an e-mail address.', 'contactEmail');
  return trimmed;
}

/**
 * The chain above `parentId`, nearest first, read one level per batch. A parent that does not exist
 * is BAD_USER_INPUT; so is one whose chain reaches `selfId` (a cycle) or runs deeper than MAX_DEPTH.
 */
async function ancestry(ctx: Context, parentId: string, selfId: string): Promise<AgencyRecord[]> {
  const chain: AgencyRecord[] = [];
  let next: string | undefined = parentId;
  while (next !== undefined) {
    if (next === selfId) throw new BadUserInputError(`parentId ${parentId} would make the agency its own ancestor.`, 'parentId');
    if (chain.length >= MAX_DEPTH) throw new BadUserInputError(`parentId nests the directory deeper than ${MAX_DEPTH} levels.`, 'parentId');
    const agency = await ctx.agencies.agency(next);
    if (!agency) throw new BadUserInputError(`There is no agency ${next} to be the parent.`, 'parentId');
    chain.push(agency);
    next = agency.parentId;
  }
  return chain;
}

export const agencyMutations: Resolvers = {
  Mutation: {
    /** Checks, the group (idempotent, so a retry after a failed write finds it), then one transaction. */
    createAgency: async (_root, { input }, ctx) => {
      assertCanManageAgencies(ctx.viewer);
      slug(input.id, 'id');
      const name = text(input.name, 'name', { max: NAME_MAX });
      const agency: AgencyRecord = {
        id: input.id,
        name,
        kind: input.kind,
        shortName: optionalText(input.shortName, 'shortName', SHORT_NAME_MAX) ?? null,
        organizationNumber: organizationNumber(input.organizationNumber) ?? null,
        contactEmail: contactEmail(input.contactEmail) ?? null,
        names: [{ name, validFrom: null }],
        version: 1,
        provenance: apiProvenance(new Date().toISOString()),
        ...(input.parentId ? { parentId: input.parentId } : {}),
      };
      return withFreshRead(ctx, async () => {
        const [existing, ancestors] = await Promise.all([
          ctx.agencies.agency(input.id),
          input.parentId ? ancestry(ctx, input.parentId, input.id) : [],
        ]);
        if (existing) throw new BadUserInputError(`id ${input.id} is in use.`, 'id');
        await ctx.groups.ensureAgencyGroup(agency.id, name);
        try {
          // The parent, as read, is a condition: it still exists when the agency is stored under it.
          const max = limits.agencies;
          const full = () => new ListFullError(`The directory holds at most ${max} agencies.`, 'id', 'agencies', max);
          await ctx.agencies.addAgency(agency, ancestors.slice(0, 1), ctx.viewer, new Date().toISOString(), { max, error: full });
        } catch (error) {
          // Another request took the id between the read and the write.
          if (error instanceof ConflictError && error.extensions.field === 'id')
            throw new BadUserInputError(`id ${input.id} is in use.`, 'id');
          throw error;
        }
        return { agency };
      });
    },

    updateAgency: async (_root, { input }, ctx) => {
      assertCanManageAgencies(ctx.viewer);
      const name = input.name !== null && input.name !== undefined ? text(input.name, 'name', { max: NAME_MAX }) : undefined;
      if (name !== undefined && !input.nameValidFrom) throw new BadUserInputError('Give nameValidFrom with a new name.', 'nameValidFrom');
      if (name === undefined && input.nameValidFrom) throw new BadUserInputError('nameValidFrom goes with a new name.', 'nameValidFrom');
      const shortName = input.shortName !== undefined ? (optionalText(input.shortName, 'shortName', SHORT_NAME_MAX) ?? null) : undefined;
      const orgNumber = input.organizationNumber !== undefined ? (organizationNumber(input.organizationNumber) ?? null) : undefined;
      const email = input.contactEmail !== undefined ? (contactEmail(input.contactEmail) ?? null) : undefined;
      return withFreshRead(ctx, async () => {
        const current = await ctx.agencies.agency(input.id);
        if (!current) throw new NotFoundError(`There is no agency ${input.id}.`, 'id');
        const version = current.version ?? 1;
        if (version !== input.expectedVersion) {
          throw new ConflictError(`The agency has changed since version ${input.expectedVersion}; it is now at version ${version}.`, {
            field: 'expectedVersion',
            currentVersion: version,
          });
        }
        const names = namesOf(current);
        // Held by the agency's version: of racing renames at the cap, the one that lands first is the last.
        const maxNames = limits.namesPerAgency;
        if (name !== undefined && names.length >= maxNames) {
          throw new ListFullError(
            `An agency keeps at most ${maxNames} names through time; this one has ${names.length}.`,
            'name',
            'namesPerAgency',
            maxNames,
          );
        }
        if (name !== undefined && input.nameValidFrom) {
          const last = names.at(-1)?.validFrom;
          if (last && input.nameValidFrom <= last) {
            throw new BadUserInputError(`nameValidFrom must come after ${last}, the first day of the current name.`, 'nameValidFrom');
          }
        }
        const ancestors = input.parentId ? await ancestry(ctx, input.parentId, current.id) : [];
        const { parentId: _parent, ...rest } = current;
        const parentId = input.parentId === undefined ? current.parentId : (input.parentId ?? undefined);
        const next: AgencyRecord = {
          ...rest,
          ...(parentId ? { parentId } : {}),
          ...(name !== undefined && input.nameValidFrom
            ? { name, names: [...names, { name, validFrom: input.nameValidFrom }] }
            : { names }),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(shortName !== undefined ? { shortName } : {}),
          ...(orgNumber !== undefined ? { organizationNumber: orgNumber } : {}),
          ...(email !== undefined ? { contactEmail: email } : {}),
          version: version + 1,
        };
        if (
          name === undefined &&
          input.kind == null &&
          shortName === undefined &&
          orgNumber === undefined &&
          email === undefined &&
          input.parentId === undefined
        ) {
          throw new BadUserInputError('Give at least one field to change.', 'input');
        }
        return { agency: await ctx.agencies.updateAgency(current, next, ancestors, ctx.viewer, new Date().toISOString()) };
      });
    },
  },
};
