import { randomUUID } from 'node:crypto';
import type { Context } from '../../app/context.js';
import { allMeasuresKey } from '../../plans/entities/plan-stats.js';
import { type MeasureRecord, NOT_REPORTED, type PlanRecord, parsePeriod, type StatusReportRecord } from '../../plans/plans.model.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanEditPlan, assertCanReport, canSetMeasureStatus, reportingAgency } from '../../shared/policy.js';
import { apiProvenance } from '../../shared/provenance.js';
import { withFreshRead } from '../../shared/retry.js';
import { intIn, optionalText, text } from '../../shared/validate.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

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

/** The measure a new one continues: one of another plan. */
async function continued(ctx: Context, id: string, planId: string): Promise<string> {
  const measure = await ctx.plans.measure(id);
  if (!measure) throw new BadUserInputError(`There is no measure ${id} to continue.`, 'continues');
  if (measure.planId === planId)
    throw new BadUserInputError('continues names a measure of an earlier plan, not of the same plan.', 'continues');
  return measure.id;
}

function goalNumbers(plan: Pick<PlanRecord, 'goals'>, numbers: readonly number[]): number[] {
  const known = new Set(plan.goals.map((g) => g.number));
  const unknown = numbers.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new BadUserInputError(`The plan has no goal number ${unknown.join(', ')}.`, 'goalNumbers');
  return [...new Set(numbers)].sort((a, b) => a - b);
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
        title: text(input.title, 'title', { max: limits.measureTitle }),
        description: optionalText(input.description, 'description', limits.measureText, { multiline: true }) ?? null,
        status: input.status ?? NOT_REPORTED,
        version: 1,
        updatedAt: at,
        goalNumbers: goalNumbers(plan, input.goalNumbers),
        responsibilities: {},
        provenance: apiProvenance(at),
        ...(input.continues ? { continues: await continued(ctx, input.continues, plan.id) } : {}),
      };
      // The plan's measures are counted in its counters, held below the cap in the write's own condition.
      const max = limits.measuresPerPlan;
      const full = () => new ListFullError(`A plan holds at most ${max} measures; this one has ${max}.`, 'planId', 'measuresPerPlan', max);
      return { measure: await ctx.plans.createMeasure(measure, ctx.viewer, [{ key: allMeasuresKey, max, error: full }]) };
    },

    /** One read of the measure (and of its plan only when goals change), then one transaction. */
    updateMeasure: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      const current = await measureOrNotFound(ctx, input.id, 'id');
      const title =
        input.title !== null && input.title !== undefined ? text(input.title, 'title', { max: limits.measureTitle }) : undefined;
      const description =
        input.description !== undefined
          ? (optionalText(input.description, 'description', limits.measureText, { multiline: true }) ?? null)
          : undefined;
      const status = input.status ?? undefined;
      if (status === NOT_REPORTED && current.status !== NOT_REPORTED) {
        throw new BadUserInputError('NOT_REPORTED is the state before the first report; give the status the measure has now.', 'status');
      }
      if (title === undefined && description === undefined && status === undefined && (input.goalNumbers ?? null) === null) {
        throw new BadUserInputError('Give at least one field to change.', 'input');
      }
      const goals = input.goalNumbers ? goalNumbers(await planOrNotFound(ctx, current.planId), input.goalNumbers) : undefined;
      if (current.version !== input.expectedVersion) {
        throw new ConflictError(
          `The measure has changed since version ${input.expectedVersion}; it is now at version ${current.version}.`,
          { field: 'expectedVersion', currentVersion: current.version },
        );
      }
      const next: MeasureRecord = {
        ...current,
        ...(title !== undefined ? { title } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(goals !== undefined ? { goalNumbers: goals } : {}),
        version: input.expectedVersion + 1,
        updatedAt: new Date().toISOString(),
      };
      return { measure: await ctx.plans.updateMeasure(current, next, input.expectedVersion, ctx.viewer) };
    },

    /**
     * Reads the measure with the reporter's earlier report (and the reporter's agency, for a
     * coordinator whose token names one) in one batch; only a report filed under the plan's
     * coordinating ministry needs the plan first. Then one transaction, in which the plan's
     * period is a condition.
     */
    submitStatusReport: async (_root, { input }, ctx) => {
      const progressPercent = intIn(input.progressPercent, 'progressPercent', 0, 100);
      const summary = text(input.summary, 'summary', { max: limits.measureText, multiline: true });
      if (input.status === NOT_REPORTED)
        throw new BadUserInputError('A report gives the measure a status; NOT_REPORTED is not one.', 'status');
      const period = parsePeriod(input.period);
      if (!period) throw new BadUserInputError('period must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".', 'period');
      const viewerAgencyId = ctx.viewer.agencyId;
      const isCoordinator = ctx.viewer.roles.includes('COORDINATOR');
      return withFreshRead(ctx, async () => {
        const [measure, ownEarlier, viewerAgency] = await Promise.all([
          ctx.plans.measure(input.measureId),
          viewerAgencyId ? ctx.plans.statusReport(input.measureId, period, viewerAgencyId) : undefined,
          viewerAgencyId && isCoordinator ? ctx.agencies.agency(viewerAgencyId) : undefined,
        ]);
        if (!measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
        assertCanReport(ctx.viewer, measure.responsibilities);
        const own = reportingAgency(ctx.viewer, measure.responsibilities, viewerAgency !== undefined);
        const agencyId = own ?? (await planOrNotFound(ctx, measure.planId)).coordinatorId;
        const reportedAt = new Date().toISOString();
        const report: StatusReportRecord = {
          id: `${measure.id}#${period.label}#${agencyId}`,
          measureId: measure.id,
          planId: measure.planId,
          period: period.label,
          status: input.status,
          progressPercent,
          summary,
          agencyId,
          reportedAt,
          provenance: apiProvenance(reportedAt),
        };
        const next = await ctx.plans.submitStatusReport({
          measure,
          period,
          report,
          // Filed under the reporter's own agency, the earlier report came with the measure; else the write finds it.
          previous: own !== null ? ownEarlier : 'unknown',
          // The first report on a measure sets its status, whoever of those responsible files it.
          setsStatus: canSetMeasureStatus(ctx.viewer, measure.responsibilities) || measure.status === NOT_REPORTED,
          actor: ctx.viewer,
        });
        return { statusReport: report, measure: next };
      });
    },
  },
};
