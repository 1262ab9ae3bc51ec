import { randomUUID } from 'node:crypto';
import type { Context } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { assertCanEditPlan, assertCanReport } from '../shared/policy.js';
import { intIn, optionalText, text } from '../shared/validate.js';
import { type MeasureRecord, type PlanRecord, parsePeriod, type StatusReportRecord } from './plans.model.js';
import type { MeasureChanges } from './plans.writes.js';

const TITLE_MAX = 300;
const TEXT_MAX = 5000;
/** How often a write that lost a race to another writer is tried again from a fresh read. */
const STALE_RETRIES = 3;

async function planOrNotFound(ctx: Context, planId: string): Promise<PlanRecord> {
  const plan = await ctx.plans.plan(planId);
  if (!plan) throw new NotFoundError(`There is no plan ${planId}.`, 'planId');
  return plan;
}

async function measureOrNotFound(ctx: Context, id: string, field: string): Promise<MeasureRecord> {
  const measure = await ctx.plans.measure(id);
  if (!measure) throw new NotFoundError(`There is no measure ${id}.`, field);
  return measure;
}

function goalNumbers(plan: PlanRecord, numbers: readonly number[]): number[] {
  const known = new Set(plan.goals.map((g) => g.number));
  const unknown = numbers.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new BadUserInputError(`The plan has no goal number ${unknown.join(', ')}.`, 'goalNumbers');
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/**
 * Runs a write that reads first; when another writer changed the measure in between (a retryable
 * CONFLICT), it reads again and retries, so racing writers of different things all land.
 */
export async function withFreshRead<T>(ctx: Context, write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConflictError) || error.extensions.retryable !== true || attempt >= STALE_RETRIES) throw error;
      ctx.loaderCache.clearAll();
    }
  }
}

export const plansMutations: Resolvers = {
  Mutation: {
    createMeasure: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      const plan = await planOrNotFound(ctx, input.planId);
      const number = input.number === null || input.number === undefined ? null : intIn(input.number, 'number', 1, plan.measureCount);
      const at = new Date().toISOString();
      const measure: MeasureRecord = {
        id: `${plan.id}-${randomUUID().slice(0, 13)}`,
        planId: plan.id,
        number,
        title: text(input.title, 'title', { max: TITLE_MAX }),
        description: optionalText(input.description, 'description', TEXT_MAX) ?? null,
        status: input.status ?? 'PLANNED',
        version: 1,
        updatedAt: at,
        goalNumbers: goalNumbers(plan, input.goalNumbers),
        responsibilities: {},
      };
      return { measure: await ctx.writes.plans.createMeasure(measure, ctx.viewer) };
    },

    updateMeasure: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      const current = await measureOrNotFound(ctx, input.id, 'id');
      const plan = await planOrNotFound(ctx, current.planId);
      const changes: MeasureChanges = {
        ...(input.title !== null && input.title !== undefined ? { title: text(input.title, 'title', { max: TITLE_MAX }) } : {}),
        ...(input.description !== undefined ? { description: optionalText(input.description, 'description', TEXT_MAX) ?? null } : {}),
        ...(input.status !== null && input.status !== undefined ? { status: input.status } : {}),
        ...(input.goalNumbers !== null && input.goalNumbers !== undefined ? { goalNumbers: goalNumbers(plan, input.goalNumbers) } : {}),
      };
      if (Object.keys(changes).length === 0) throw new BadUserInputError('Give at least one field to change.', 'input');
      if (current.version !== input.expectedVersion) {
        throw new ConflictError(
          `The measure has changed since version ${input.expectedVersion}; it is now at version ${current.version}.`,
          {
            field: 'expectedVersion',
            currentVersion: current.version,
          },
        );
      }
      const measure = await ctx.writes.plans.updateMeasure(current, input.expectedVersion, changes, ctx.viewer, new Date().toISOString());
      return { measure };
    },

    submitStatusReport: async (_root, { input }, ctx) => {
      const progressPercent = intIn(input.progressPercent, 'progressPercent', 0, 100);
      const summary = text(input.summary, 'summary', { max: TEXT_MAX });
      const period = parsePeriod(input.period);
      if (!period) throw new BadUserInputError('period must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".', 'period');
      return withFreshRead(ctx, async () => {
        const measure = await measureOrNotFound(ctx, input.measureId, 'measureId');
        assertCanReport(ctx.viewer, measure.responsibilities);
        const plan = await planOrNotFound(ctx, measure.planId);
        if (period.start < plan.periodStart || period.end > plan.periodEnd) {
          throw new BadUserInputError(
            `period must lie within the plan's period, ${plan.periodStart.slice(0, 4)}–${plan.periodEnd.slice(0, 4)}.`,
            'period',
          );
        }
        const isCoordinator = ctx.viewer.roles.includes('COORDINATOR');
        const ownRole = ctx.viewer.agencyId ? measure.responsibilities[ctx.viewer.agencyId] : undefined;
        // The coordinator reports for its own agency when its token names one the directory holds, else for the
        // plan's coordinating ministry: a report never names an agency that does not exist.
        const ownAgency = ctx.viewer.agencyId && (ownRole || (await ctx.agencies.agency(ctx.viewer.agencyId))) ? ctx.viewer.agencyId : null;
        const agencyId = ownAgency ?? plan.coordinatorId;
        const report: StatusReportRecord = {
          id: `${measure.id}#${period.label}#${agencyId}`,
          measureId: measure.id,
          planId: measure.planId,
          period: period.label,
          status: input.status,
          progressPercent,
          summary,
          agencyId,
          reportedAt: new Date().toISOString(),
        };
        const previous = await ctx.plans.statusReport(measure.id, period, agencyId);
        const next = await ctx.writes.plans.submitStatusReport({
          measure,
          period,
          report,
          previous,
          setsStatus: isCoordinator || ownRole === 'LEAD',
          actor: ctx.viewer,
        });
        return { statusReport: report, measure: next };
      });
    },
  },
};
