import type { Context } from '../../app/context.js';
import { type GoalRecord, type PlanRecord, parsePeriod } from '../../plans/plans.model.js';
import { toConnection } from '../../shared/db.js';
import { BadUserInputError } from '../../shared/errors.js';
import { assertCanReadPlan } from '../../shared/policy.js';
import { provenanceOf } from '../../shared/provenance.js';
import type { Resolvers } from '../generated/resolvers.js';

const goalsOf = (plan: PlanRecord): GoalRecord[] => plan.goals.map((g) => ({ planId: plan.id, number: g.number, title: g.title }));

async function requirePlan(ctx: Context, planId: string) {
  const plan = await ctx.plans.plan(planId);
  // A measure always belongs to a stored plan; a missing one is a data fault, not a user error.
  if (!plan) throw new Error(`plan ${planId} is missing`);
  return plan;
}

export const plansResolvers: Resolvers = {
  Query: {
    actionPlans: async (_root, _args, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return ctx.plans.plans();
    },
    actionPlan: async (_root, { id }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return (await ctx.plans.plan(id)) ?? null;
    },
    measure: async (_root, { id }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      return (await ctx.plans.measure(id)) ?? null;
    },
  },
  ActionPlan: {
    provenance: (plan) => provenanceOf(plan),
    version: (plan) => plan.version ?? 1,
    period: (plan) => ({ start: plan.periodStart, end: plan.periodEnd }),
    coordinator: (plan) => ({ id: plan.coordinatorId }),
    goals: (plan) => goalsOf(plan),
    measures: async (plan, { status, goalNumber, first, after }, ctx) => {
      if (goalNumber !== null && goalNumber !== undefined && !plan.goals.some((g) => g.number === goalNumber)) {
        throw new BadUserInputError(`The plan has no goal number ${goalNumber}.`, 'goalNumber');
      }
      const filter = { status, goalNumber };
      const [page, totalCount] = await Promise.all([
        ctx.plans.measures(plan.id, filter, first, after),
        ctx.plans.measureCount(plan.id, filter),
      ]);
      return { totalCount, ...toConnection(page, (m) => m) };
    },
    measuresWithoutLead: (plan, _args, ctx) => ctx.plans.measuresWithoutLead(plan.id),
    measuresMissingReport: async (plan, { period }, ctx) => {
      const parsed = parsePeriod(period);
      if (!parsed) throw new BadUserInputError('period must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".', 'period');
      const [measures, reported] = await Promise.all([ctx.plans.allMeasures(plan.id), ctx.plans.measureIdsReportedIn(plan.id, period)]);
      return measures.filter((m) => !reported.has(m.id));
    },
  },
  Goal: {
    provenance: async (goal, _args, ctx) => {
      const plan = await ctx.plans.plan(goal.planId);
      if (!plan) throw new Error(`plan ${goal.planId} is missing`);
      return provenanceOf(plan);
    },
    id: (goal) => `${goal.planId}#${goal.number}`,
  },
  Measure: {
    provenance: (m) => provenanceOf(m),
    continues: async (m, _args, ctx) => (m.continues ? ((await ctx.plans.measure(m.continues)) ?? null) : null),
    plan: (measure, _args, ctx) => requirePlan(ctx, measure.planId),
    goals: async (measure, _args, ctx) => {
      const plan = await requirePlan(ctx, measure.planId);
      return goalsOf(plan).filter((g) => measure.goalNumbers.includes(g.number));
    },
    lead: (measure) => (measure.leadAgencyId ? { id: measure.leadAgencyId } : null),
    responsibilities: (measure) =>
      Object.entries(measure.responsibilities)
        .map(([agencyId, role]) => ({ measureId: measure.id, agencyId, role }))
        .sort((a, b) => (a.role === b.role ? a.agencyId.localeCompare(b.agencyId) : a.role === 'LEAD' ? -1 : 1)),
    statusReports: async (measure, { first, after }, ctx) => {
      return toConnection(await ctx.plans.statusReports(measure.id, first, after), (r) => r);
    },
    funding: (measure, _args, ctx) => ctx.funding.measureTotals(measure.planId, measure.id),
  },
  StatusReport: {
    provenance: (r) => provenanceOf(r, r.reportedAt),
    reportedBy: (report) => ({ id: report.agencyId }),
  },
};
