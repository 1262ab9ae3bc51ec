import { randomUUID } from 'node:crypto';
import type { Context } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers.js';
import { withFreshRead } from '../plans/plans.mutations.js';
import { toConnection } from '../shared/db.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.js';
import {
  assertCanOperateShelter,
  assertCanReadPlan,
  canSeeShelterConfidential,
  type DisclosureRules,
  type SeenOccupancy,
  visibleAggregateOccupancy,
  visibleOccupancy,
} from '../shared/policy.js';
import { apiProvenance, isInvented, type Provenance, provenanceOf, type Recorded } from '../shared/provenance.js';
import { intIn, optionalText, text } from '../shared/validate.js';
import { recordKey } from './disclosure.js';
import { type CapacityReportView, periodOf, periodsBetween, type RollupRecord, regions, type ShelterRecord } from './shelters.model.js';

/** Longest timeline one request may ask for, in periods: ten years of months, with room. */
const MAX_PERIODS = 240;
const MAX_CAPACITY = 100_000;
const EARLIEST_REPORT = '2000-01-01';

/** Today in Norway, where the operators report: a report for "today" after midnight in Oslo is not in the future. */
function todayInOslo(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
}

function region(value: string, field: string): string {
  const match = regions.find((r) => r.toLocaleLowerCase('nb') === value.trim().toLocaleLowerCase('nb'));
  if (!match) throw new BadUserInputError(`${field} must be a Norwegian county (fylke), e.g. "Oslo" or "Hordaland".`, field);
  return match;
}

async function shelterOrNotFound(ctx: Context, id: string, field: string): Promise<ShelterRecord> {
  const shelter = await ctx.shelters.shelter(id);
  if (!shelter) throw new NotFoundError(`There is no shelter ${id}.`, field);
  return shelter;
}

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

/** A point of the timeline; utilization goes with the occupancy the reader sees. */
function point(
  period: string,
  region: string | null,
  reporting: { readonly shelters: number; readonly invented: number },
  capacity: number,
  seen: SeenOccupancy,
) {
  return {
    period,
    region,
    reportingShelters: reporting.shelters,
    demoShare: reporting.shelters === 0 ? 0 : reporting.invented / reporting.shelters,
    capacity,
    occupied: seen.occupied,
    utilization: seen.occupied === null || capacity === 0 ? null : seen.occupied / capacity,
    suppressed: seen.suppressed,
  };
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

/** The parameters of disclosure control of this stage (docs/privacy.md). */
const disclosureRules = (ctx: Context): DisclosureRules => ({
  threshold: ctx.config.suppressionThreshold,
  bound: ctx.config.perturbationBound,
});

/** A report as the reader sees it: its record key is the shelter's for the report's month, as in the timelines. */
const seenReport = (ctx: Context, r: CapacityReportView): SeenOccupancy =>
  visibleOccupancy(
    ctx.viewer,
    r.operatorId,
    { occupied: r.occupied, capacity: r.capacity, keySum: recordKey(ctx.config.perturbationKey, r.shelterId, r.date) },
    disclosureRules(ctx),
  );

export const sheltersResolvers: Resolvers = {
  Query: {
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
    capacityTimeline: async (_root, { filter }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      if (filter.from > filter.to) throw new BadUserInputError('from must not be after to.', 'from');
      if (filter.region && filter.shelterId) throw new BadUserInputError('Give a region or a shelter, not both.', 'shelterId');
      const periods = periodsBetween(filter.from, filter.to, filter.granularity);
      if (periods.length > MAX_PERIODS)
        throw new BadUserInputError(`A timeline holds at most ${MAX_PERIODS} periods; narrow from and to.`, 'to');
      const fromPeriod = periodOf(filter.from, filter.granularity);
      const toPeriod = periodOf(filter.to, filter.granularity);
      const shelter = filter.shelterId ? await shelterOrNotFound(ctx, filter.shelterId, 'shelterId') : undefined;
      const scopeRegion = shelter ? shelter.region : filter.region ? region(filter.region, 'region') : null;
      const rules = disclosureRules(ctx);
      if (shelter) {
        const rows = new Map(
          (await ctx.shelters.lastReports(shelter.id, filter.granularity, fromPeriod, toPeriod)).map((r) => [r.period, r]),
        );
        return periods.map((period) => {
          const row = rows.get(period);
          return point(
            period,
            scopeRegion,
            {
              shelters: row?.reportingShelters ?? 0,
              invented: row?.reportingShelters && isInvented(provenanceOf(shelter)) ? row.reportingShelters : 0,
            },
            row?.capacity ?? 0,
            visibleOccupancy(
              ctx.viewer,
              shelter.operatorId,
              { occupied: row?.occupied ?? 0, capacity: row?.capacity ?? 0, keySum: row?.keySum ?? 0 },
              rules,
            ),
          );
        });
      }
      const rows = scopeRegion
        ? await ctx.shelters.regionRollups(scopeRegion, filter.granularity, fromPeriod, toPeriod)
        : await ctx.shelters.allRegionRollups(filter.granularity, fromPeriod, toPeriod);
      const byPeriod = new Map<string, RollupRecord[]>();
      for (const row of rows) byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), row]);
      return periods.map((period) => {
        const parts = (byPeriod.get(period) ?? []).map((r) => ({
          ...r,
          smallShelters: r.smallShelters ?? 0,
          smallOccupied: r.smallOccupied ?? 0,
          keySum: r.keySum ?? 0,
          own: r.own ?? {},
        }));
        const capacity = parts.reduce((s, r) => s + r.capacity, 0);
        const reporting = {
          shelters: parts.reduce((s, r) => s + r.reportingShelters, 0),
          invented: parts.reduce((s, r) => s + (r.inventedShelters ?? 0), 0),
        };
        return point(period, scopeRegion, reporting, capacity, visibleAggregateOccupancy(ctx.viewer, parts, capacity, rules));
      });
    },
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
        name: text(input.name, 'name', { max: 200 }),
        operatorId: input.operatorId,
        region: region(input.region, 'region'),
        municipality: optionalText(input.municipality, 'municipality', 100) ?? null,
        address: optionalText(input.address, 'address', 300) ?? null,
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
        ...(input.name != null ? { name: text(input.name, 'name', { max: 200 }) } : {}),
        ...(input.municipality !== undefined ? { municipality: optionalText(input.municipality, 'municipality', 100) ?? null } : {}),
        ...(input.address !== undefined ? { address: optionalText(input.address, 'address', 300) ?? null } : {}),
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
      const capacity = intIn(input.capacity, 'capacity', 0, MAX_CAPACITY);
      const occupied = intIn(input.occupied, 'occupied', 0, MAX_CAPACITY);
      if (occupied > capacity) throw new BadUserInputError('occupied must not exceed capacity.', 'occupied');
      if (input.date > todayInOslo()) throw new BadUserInputError('date must not be in the future.', 'date');
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
