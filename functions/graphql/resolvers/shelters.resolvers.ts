import { randomUUID } from 'node:crypto';
import type { Context } from '../../app/context.js';
import { osloToday } from '../../plans/calendar.js';
import { toConnection } from '../../shared/db.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { assertCanOperateShelter, assertCanReadPlan, canSeeShelterConfidential } from '../../shared/policy.js';
import { apiProvenance, isInvented, type Provenance, provenanceOf, type Recorded } from '../../shared/provenance.js';
import { withFreshRead } from '../../shared/retry.js';
import { intIn, optionalText, text } from '../../shared/validate.js';
import { capacityTimeline, region, seenReport, shelterOrNotFound } from '../../shelters/capacity.js';
import {
  type CapacityReportView,
  periodOf,
  periodsBetween,
  type RollupRecord,
  regions,
  type ShelterRecord,
} from '../../shelters/shelters.model.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

const EARLIEST_REPORT = '2000-01-01';

async function measureIds(ctx: Context, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => ctx.plans.measure(id)));
  const missing = unique.filter((_, i) => !found[i]);
  if (missing.length > 0) throw new NotFoundError(`There is no measure ${missing.join(', ')}.`, 'measureIds');
  return unique;
}

function nonEmpty<T>(values: readonly T[], field: string): T[] {
  const unique = [...new Set(values)];
  if (unique.length === 0) throw new BadUserInputError(`${field} must name at least one.`, field);
  return unique;
}

/**
 * A report's provenance: its own, or, for one stored before provenance was kept (and for the latest
 * figures the profile keeps), its shelter's when that is invented, else the API's.
 */
function reportProvenance(shelter: ShelterRecord, figures: Recorded): Provenance {
  if (figures.provenance) return figures.provenance;
  const own = provenanceOf(shelter);
  return isInvented(own) ? own : provenanceOf({});
}

const view = (shelter: ShelterRecord, figures: { date: string; capacity: number; occupied: number } & Recorded): CapacityReportView => ({
  provenance: reportProvenance(shelter, figures),
  shelterId: shelter.id,
  date: figures.date,
  capacity: figures.capacity,
  occupied: figures.occupied,
  operatorId: shelter.operatorId,
});

export const sheltersResolvers: Resolvers = {
  Query: {
    regions: (_root, _args, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return [...regions];
    },
    shelter: async (_root, { id }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return (await ctx.shelters.shelter(id)) ?? null;
    },
    shelters: async (_root, { filter, first, after }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      const wanted = filter?.region
        ? regions.find((r) => r.toLocaleLowerCase('nb') === filter.region?.trim().toLocaleLowerCase('nb'))
        : undefined;
      // A county the platform does not know holds no shelters: an empty answer, not an error.
      if (filter?.region && !wanted) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
      const page = await ctx.shelters.shelters({ ...filter, region: wanted ?? null }, first, after);
      return toConnection(page, (n) => n);
    },
    capacityTimeline: (_root, { filter }, ctx) => capacityTimeline(ctx, filter),
  },
  Shelter: {
    provenance: (s) => provenanceOf(s),
    operator: (s) => ({ id: s.operatorId }),
    address: async (s, _args, ctx) => {
      if (!canSeeShelterConfidential(ctx.viewer, s.operatorId))
        throw new ForbiddenError('Only the operating agency may read a shelter’s address.');
      if (s.address === null) return null;
      // Audited before it is returned: if the entry cannot be written, the address is not read.
      await ctx.shelters.auditAddressRead(s, ctx.viewer);
      return s.address;
    },
    measures: async (s, _args, ctx) => {
      const measures = await Promise.all(s.measureIds.map((id) => ctx.plans.measure(id)));
      return measures.filter((m) => m !== undefined);
    },
    latestCapacity: (s) => (s.latest ? view(s, s.latest) : null),
    capacityReports: async (s, { from, to, first, after }, ctx) => {
      const start = from ?? '0000-01-01';
      const end = to ?? '9999-12-31';
      if (start > end) throw new BadUserInputError('from must not be after to.', 'from');
      const page = await ctx.shelters.capacityReports(s.id, start, end, first, after);
      return toConnection(page, (r) => view(s, r));
    },
    funding: (s, _args, ctx) => ctx.funding.shelterTotals(s.id),
  },
  CapacityReport: {
    provenance: (r) => r.provenance,
    occupied: (r, _args, ctx) => seenReport(ctx, r).occupied,
    suppressed: (r, _args, ctx) => seenReport(ctx, r).suppressed,
  },
  Mutation: {
    registerShelter: async (_root, { input }, ctx) => {
      assertCanOperateShelter(ctx.viewer, input.operatorId);
      // The operator and the measures in one batch; a missing operator is reported first.
      const [operator, measures] = await Promise.allSettled([
        ctx.agencies.agency(input.operatorId),
        measureIds(ctx, input.measureIds ?? []),
      ]);
      if (operator.status === 'rejected') throw operator.reason;
      if (!operator.value) throw new NotFoundError(`There is no agency ${input.operatorId}.`, 'operatorId');
      if (measures.status === 'rejected') throw measures.reason;
      const at = new Date().toISOString();
      const shelter: ShelterRecord = {
        id: `shelter-${randomUUID().slice(0, 13)}`,
        name: text(input.name, 'name', { max: limits.shelterName }),
        operatorId: input.operatorId,
        region: region(input.region, 'region'),
        municipality: optionalText(input.municipality, 'municipality', limits.shelterMunicipality) ?? null,
        address: optionalText(input.address, 'address', limits.shelterAddress, { multiline: true }) ?? null,
        targetGroups: nonEmpty(input.targetGroups, 'targetGroups'),
        services: nonEmpty(input.services, 'services'),
        measureIds: measures.value,
        version: 1,
        updatedAt: at,
        provenance: apiProvenance(at),
      };
      return { shelter: await ctx.shelters.register(shelter, ctx.viewer) };
    },
    updateShelter: async (_root, { input }, ctx) => {
      const current = await shelterOrNotFound(ctx, input.id, 'id');
      assertCanOperateShelter(ctx.viewer, current.operatorId);
      const next: ShelterRecord = {
        ...current,
        ...(input.name != null ? { name: text(input.name, 'name', { max: limits.shelterName }) } : {}),
        ...(input.municipality !== undefined
          ? { municipality: optionalText(input.municipality, 'municipality', limits.shelterMunicipality) ?? null }
          : {}),
        ...(input.address !== undefined
          ? { address: optionalText(input.address, 'address', limits.shelterAddress, { multiline: true }) ?? null }
          : {}),
        ...(input.targetGroups != null ? { targetGroups: nonEmpty(input.targetGroups, 'targetGroups') } : {}),
        ...(input.services != null ? { services: nonEmpty(input.services, 'services') } : {}),
        ...(input.measureIds != null ? { measureIds: await measureIds(ctx, input.measureIds) } : {}),
        version: input.expectedVersion + 1,
        updatedAt: new Date().toISOString(),
      };
      if (current.version !== input.expectedVersion) {
        throw new ConflictError(
          `The shelter has changed since version ${input.expectedVersion}; it is now at version ${current.version}.`,
          {
            field: 'expectedVersion',
            currentVersion: current.version,
          },
        );
      }
      return { shelter: await ctx.shelters.update(current, next, input.expectedVersion, ctx.viewer) };
    },
    reportCapacity: async (_root, { input }, ctx) => {
      const capacity = intIn(input.capacity, 'capacity', 0, limits.shelterCapacityMax);
      const occupied = intIn(input.occupied, 'occupied', 0, limits.shelterCapacityMax);
      if (occupied > capacity) throw new BadUserInputError('occupied must not exceed capacity.', 'occupied');
      // Today in Norway, where the operators report: a report for "today" after midnight in Oslo is not in the future.
      if (input.date > osloToday()) throw new BadUserInputError('date must not be in the future.', 'date');
      if (input.date < EARLIEST_REPORT) throw new BadUserInputError(`date must be ${EARLIEST_REPORT} or later.`, 'date');
      return withFreshRead(ctx, async () => {
        const state = await ctx.shelters.reportState(input.shelterId, input.date);
        const { shelter } = state;
        if (!shelter) throw new NotFoundError(`There is no shelter ${input.shelterId}.`, 'shelterId');
        assertCanOperateShelter(ctx.viewer, shelter.operatorId);
        const written = await ctx.shelters.reportCapacity(
          { ...state, shelter },
          { date: input.date, capacity, occupied },
          ctx.viewer,
          new Date().toISOString(),
        );
        return { capacityReport: view(shelter, written.report), shelter: written.shelter };
      });
    },
  },
};
