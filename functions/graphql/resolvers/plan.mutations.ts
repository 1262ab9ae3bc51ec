import type { Context } from '../../app/context.js';
import type { PlanRecord } from '../../plans/plans.model.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanEditPlan } from '../../shared/policy.js';
import { apiProvenance } from '../../shared/provenance.js';
import { withFreshRead } from '../../shared/retry.js';
import { intIn, slug, text } from '../../shared/validate.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

const TITLE_MAX = 300;
/** A plan declares at most as many measures as it can hold (schema/limits.json). */
const MEASURE_COUNT_MAX = limits.planMeasureCountMax;

async function coordinator(ctx: Context, id: string): Promise<string> {
  if (!(await ctx.agencies.agency(id))) throw new BadUserInputError(`There is no agency ${id} to coordinate the plan.`, 'coordinatorId');
  return id;
}

/** The years a plan may cover, and at most how many (schema/limits.json): wide enough for any action plan, and no year 1000–2999. */
export const PLAN_YEARS = { first: 1900, last: 2100, span: limits.planYears } as const;

function period(start: string, end: string, field: 'periodStart' | 'periodEnd'): void {
  for (const [day, name] of [
    [start, 'periodStart'],
    [end, 'periodEnd'],
  ] as const) {
    const year = Number(day.slice(0, 4));
    if (year < PLAN_YEARS.first || year > PLAN_YEARS.last)
      throw new BadUserInputError(`${name} must lie in the years ${PLAN_YEARS.first}–${PLAN_YEARS.last}.`, name);
  }
  if (end <= start) throw new BadUserInputError('periodEnd must come after periodStart.', field);
  if (Number(end.slice(0, 4)) - Number(start.slice(0, 4)) + 1 > PLAN_YEARS.span)
    throw new BadUserInputError(`A plan covers at most ${PLAN_YEARS.span} calendar years.`, field);
}

/** The plan as read, at the version the client saw (a stale one is CONFLICT naming the current version). */
async function planAt(ctx: Context, id: string, expectedVersion: number): Promise<PlanRecord> {
  const plan = await ctx.plans.plan(id);
  if (!plan) throw new NotFoundError(`There is no plan ${id}.`, 'id');
  const version = plan.version ?? 1;
  if (version !== expectedVersion) {
    throw new ConflictError(`The plan has changed since version ${expectedVersion}; it is now at version ${version}.`, {
      field: 'expectedVersion',
      currentVersion: version,
    });
  }
  return plan;
}

/** Plans and their goals: only the coordinator adds and changes them. */
export const planMutations: Resolvers = {
  Mutation: {
    createPlan: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      slug(input.id, 'id');
      const title = text(input.title, 'title', { max: TITLE_MAX });
      period(input.periodStart, input.periodEnd, 'periodEnd');
      const measureCount = intIn(input.measureCount, 'measureCount', 0, MEASURE_COUNT_MAX);
      const [existing, coordinatorId] = await Promise.all([ctx.plans.plan(input.id), coordinator(ctx, input.coordinatorId)]);
      if (existing) throw new BadUserInputError(`id ${input.id} is in use.`, 'id');
      const at = new Date().toISOString();
      const plan: PlanRecord = {
        id: input.id,
        title,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        measureCount,
        coordinatorId,
        goals: [],
        version: 1,
        provenance: apiProvenance(at),
      };
      try {
        const max = limits.plans;
        const full = () => new ListFullError(`The platform holds at most ${max} plans.`, 'id', 'plans', max);
        return { plan: await ctx.plans.addPlan(plan, ctx.viewer, at, { max, error: full }) };
      } catch (error) {
        if (error instanceof ConflictError && error.extensions.field === 'id')
          throw new BadUserInputError(`id ${input.id} is in use.`, 'id');
        throw error;
      }
    },

    updatePlan: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      const title = input.title != null ? text(input.title, 'title', { max: TITLE_MAX }) : undefined;
      const measureCount = input.measureCount != null ? intIn(input.measureCount, 'measureCount', 0, MEASURE_COUNT_MAX) : undefined;
      if (title === undefined && measureCount === undefined && !input.periodStart && !input.periodEnd && !input.coordinatorId) {
        throw new BadUserInputError('Give at least one field to change.', 'input');
      }
      const current = await planAt(ctx, input.id, input.expectedVersion);
      const periodStart = input.periodStart ?? current.periodStart;
      const periodEnd = input.periodEnd ?? current.periodEnd;
      period(periodStart, periodEnd, input.periodEnd ? 'periodEnd' : 'periodStart');
      const coordinatorId = input.coordinatorId ? await coordinator(ctx, input.coordinatorId) : current.coordinatorId;
      if (measureCount !== undefined) {
        const highest = Math.max(0, ...(await ctx.plans.allMeasures(current.id)).map((m) => m.number ?? 0));
        if (measureCount < highest)
          throw new BadUserInputError(`measureCount must be at least ${highest}, a measure number in use.`, 'measureCount');
      }
      const next: PlanRecord = {
        ...current,
        ...(title !== undefined ? { title } : {}),
        ...(measureCount !== undefined ? { measureCount } : {}),
        periodStart,
        periodEnd,
        coordinatorId,
        version: (current.version ?? 1) + 1,
      };
      return { plan: await ctx.plans.replacePlan('updatePlan', current, next, ctx.viewer, new Date().toISOString()) };
    },

    /** The next number, held by the plan's version: two racing goals both land, one after the other. */
    createGoal: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      const title = text(input.title, 'title', { max: TITLE_MAX });
      return withFreshRead(ctx, async () => {
        const current = await ctx.plans.plan(input.planId);
        if (!current) throw new NotFoundError(`There is no plan ${input.planId}.`, 'planId');
        // Held by the plan's version: of racing goals at the cap, the one that lands first is the last.
        const max = limits.goalsPerPlan;
        if (current.goals.length >= max) {
          throw new ListFullError(
            `A plan holds at most ${max} goals; this one has ${current.goals.length}.`,
            'planId',
            'goalsPerPlan',
            max,
          );
        }
        const number = Math.max(0, ...current.goals.map((g) => g.number)) + 1;
        const next: PlanRecord = { ...current, goals: [...current.goals, { number, title }], version: (current.version ?? 1) + 1 };
        return { plan: await ctx.plans.replacePlan('createGoal', current, next, ctx.viewer, new Date().toISOString()) };
      });
    },
  },
};
