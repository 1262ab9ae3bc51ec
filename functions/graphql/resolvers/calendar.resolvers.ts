import { randomUUID } from 'node:crypto';
import { agencyOwed, dutyKey, judge, owedKey, planDutiesPage } from '../../agencies/duties.js';
import type { Context } from '../../app/context.js';
import {
  insidePlan,
  isoDay,
  milestoneStatus,
  osloDateOf,
  osloToday,
  scheduledPeriod,
  scheduleOf,
  validSchedule,
} from '../../plans/calendar.js';
import { indicatorEntity, milestoneEntity } from '../../plans/entities/milestone.js';
import {
  measureIndicatorsKey,
  measureMilestonesKey,
  milestoneDoneKey,
  milestoneDueKey,
  submittedKey,
} from '../../plans/entities/plan-stats.js';
import {
  type IndicatorRecord,
  type MeasureRecord,
  type MilestoneRecord,
  measureStatuses,
  type PlanRecord,
  parsePeriod,
} from '../../plans/plans.model.js';
import { toConnection } from '../../shared/db.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { assertCanEditPlan, assertCanManageMeasureResults, assertCanReadPlan } from '../../shared/policy.js';
import { withFreshRead } from '../../shared/retry.js';
import { optionalText, text } from '../../shared/validate.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

// The limits are declared once, in schema/limits.json; the web's forms check a copy generated from the same file.
// A figure's largest magnitude is beyond any count or amount a measure reports and exact in a double; its smallest
// other than zero keeps clear of what DynamoDB stores (nothing below 1e-130), and no indicator needs one below it.
const { indicatorFigureMax: FIGURE_MAX, indicatorFigureMin: FIGURE_MIN } = limits;

/**
 * A finite figure of sane size, or BAD_USER_INPUT naming the field (a Float input rejects strings;
 * this NaN, Infinity, absurd sizes and magnitudes too small to store). -0 is 0.
 */
function figure(value: number, field: string): number {
  const size = Math.abs(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || size > FIGURE_MAX || (size !== 0 && size < FIGURE_MIN)) {
    throw new BadUserInputError(`${field} must be 0 or a finite number of magnitude between ${FIGURE_MIN} and ${FIGURE_MAX}.`, field);
  }
  return value === 0 ? 0 : value;
}

const asOfDay = (asOf: string | null | undefined) => (asOf ? isoDay(asOf, 'asOf') : osloToday());

async function measureFor(ctx: Context, id: string, field: string): Promise<MeasureRecord> {
  const measure = await ctx.plans.measure(id);
  if (!measure) throw new NotFoundError(`There is no measure ${id}.`, field);
  return measure;
}

async function planOf(ctx: Context, planId: string): Promise<PlanRecord> {
  const plan = await ctx.plans.plan(planId);
  if (!plan) throw new Error(`plan ${planId} is missing`);
  return plan;
}

function dueInside(plan: PlanRecord, dueDate: string): string {
  const day = isoDay(dueDate, 'dueDate');
  if (day < plan.periodStart || day > plan.periodEnd) {
    throw new BadUserInputError(`dueDate must lie within the plan's period, ${plan.periodStart} to ${plan.periodEnd}.`, 'dueDate');
  }
  return day;
}

const milestoneFields = (m: MilestoneRecord) => ({ title: m.title, dueDate: m.dueDate, doneOn: m.doneOn });
const indicatorFields = (i: IndicatorRecord) => ({
  name: i.name,
  unit: i.unit,
  baseline: i.baseline,
  target: i.target,
  direction: i.direction,
  values: i.values,
});

/** The counters a milestone moves: due by its due date, done by its due date. */
const milestoneCounters = (m: MilestoneRecord | null, sign: 1 | -1): [string, number][] =>
  m ? [[milestoneDueKey(m.dueDate), sign], ...(m.doneOn !== null ? [[milestoneDoneKey(m.dueDate), sign] as [string, number]] : [])] : [];

/** A milestone with the measure it belongs to, read in one batch, and the writer's right checked on the measure. */
async function milestoneFor(ctx: Context, id: string): Promise<{ milestone: MilestoneRecord; measure: MeasureRecord }> {
  const milestone = await ctx.plans.milestone(id);
  if (!milestone) throw new NotFoundError(`There is no milestone ${id}.`, 'id');
  const measure = await measureFor(ctx, milestone.measureId, 'id');
  assertCanManageMeasureResults(ctx.viewer, measure.responsibilities);
  return { milestone, measure };
}

async function writeMilestone(
  ctx: Context,
  action: string,
  measure: MeasureRecord,
  before: MilestoneRecord | null,
  after: MilestoneRecord,
) {
  const added = before === null;
  const max = limits.milestonesPerMeasure;
  await ctx.plans.writeMeasurePart({
    action,
    measure,
    write: before ? milestoneEntity.replace(before, after) : milestoneEntity.create(after),
    counters: [
      ...milestoneCounters(before, -1),
      ...milestoneCounters(after, 1),
      ...(added ? [[measureMilestonesKey(measure.id), 1] as [string, number]] : []),
    ],
    // A measure's milestones are counted in the plan's counters, held below the cap in the write's own condition.
    caps: added
      ? [
          {
            key: measureMilestonesKey(measure.id),
            max,
            error: () =>
              new ListFullError(
                `A measure holds at most ${max} milestones; this one has ${max}.`,
                'measureId',
                'milestonesPerMeasure',
                max,
              ),
          },
        ]
      : [],
    entityId: after.id,
    before: before ? milestoneFields(before) : null,
    after: milestoneFields(after),
    actor: ctx.viewer,
    at: after.updatedAt,
  });
  return { milestone: after, measure };
}

async function writeIndicator(
  ctx: Context,
  action: string,
  measure: MeasureRecord,
  before: IndicatorRecord | null,
  after: IndicatorRecord,
  recorded?: { readonly period: string; readonly value: number },
) {
  const max = limits.indicatorsPerMeasure;
  await ctx.plans.writeMeasurePart({
    action,
    measure,
    write: before ? indicatorEntity.replace(before, after) : indicatorEntity.create(after),
    // A measure's indicators are counted in the plan's counters, held below the cap in the write's own condition.
    counters: before ? [] : [[measureIndicatorsKey(measure.id), 1]],
    caps: before
      ? []
      : [
          {
            key: measureIndicatorsKey(measure.id),
            max,
            error: () =>
              new ListFullError(
                `A measure holds at most ${max} indicators; this one has ${max}.`,
                'measureId',
                'indicatorsPerMeasure',
                max,
              ),
          },
        ],
    entityId: after.id,
    before: before ? indicatorFields(before) : null,
    after: indicatorFields(after),
    ...(recorded ? { facts: { period: recorded.period, value: recorded.value } } : {}),
    actor: ctx.viewer,
    at: new Date().toISOString(),
  });
  return { indicator: after, measure };
}

const sumWhere = (counts: Readonly<Record<string, number>>, prefix: string, upTo: string | null) =>
  Object.entries(counts)
    .filter(([k]) => k.startsWith(prefix) && (upTo === null || k.slice(prefix.length) <= upTo))
    .reduce((s, [, v]) => s + v, 0);

/** The reporting calendar, duties, milestones, indicators and progress. */
export const calendarResolvers: Resolvers = {
  ActionPlan: {
    reportingPeriods: (plan) => scheduleOf(plan).map((p) => ({ period: p.period, dueDate: p.dueDate })),
    reportingDuties: async (plan, { period, status, asOf, first, after }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      const scheduled = scheduledPeriod(plan, period);
      const page = await planDutiesPage(
        ctx,
        plan.id,
        { ...scheduled, period: scheduled.label },
        { status, asOf: asOfDay(asOf) },
        first,
        after,
      );
      return toConnection(page, (d) => d);
    },
    /** The plan (already read) and its counters item: one request more, whatever the plan's size. */
    progress: async (plan, args, ctx) => {
      assertCanReadPlan(ctx.viewer);
      const asOf = asOfDay(args.asOf);
      const schedule = scheduleOf(plan);
      const period = args.period
        ? scheduledPeriod(plan, args.period)
        : (() => {
            const due = schedule.filter((p) => p.dueDate <= asOf).at(-1) ?? schedule[0];
            const parsed = due ? parsePeriod(due.period) : null;
            return parsed;
          })();
      const counts = await ctx.plans.planCounts(plan.id);
      const byStatus = (prefix: string) => measureStatuses.map((status) => ({ status, count: counts[`${prefix}S_${status}`] ?? 0 }));
      return {
        measures: counts.all ?? 0,
        byStatus: byStatus(''),
        goals: plan.goals.map((g) => ({
          goalNumber: g.number,
          measures: counts[`G${g.number}`] ?? 0,
          byStatus: byStatus(`G${g.number}_`),
        })),
        asOf,
        milestones: sumWhere(counts, 'MD_', null),
        milestonesDue: sumWhere(counts, 'MD_', asOf),
        milestonesDone: sumWhere(counts, 'MX_', null),
        milestonesDoneOfDue: sumWhere(counts, 'MX_', asOf),
        period: period?.label ?? null,
        reportsOwed: period ? sumWhere(counts, 'RA_', period.end) : 0,
        reportsSubmitted: period ? (counts[submittedKey(period.label)] ?? 0) : 0,
      };
    },
  },
  Agency: {
    reportingDuties: async (agency, { status, asOf, first, after }, ctx) => {
      assertCanReadPlan(ctx.viewer);
      const day = asOfDay(asOf);
      const owed = await agencyOwed(ctx, agency.id, day);
      const scope = `agency-duties:${agency.id}:${status ?? ''}:${day}`;
      if (!status) {
        // Unfiltered, only the page's reports are read: one batch, however many duties the agency has.
        const page = ctx.agencies.listPage(scope, owed, owedKey, first, after);
        const judged = await judge(
          ctx,
          page.items.map((e) => e.node),
          day,
        );
        const items = page.items.flatMap((e, i) => {
          const node = judged[i];
          return node ? [{ cursor: e.cursor, node }] : [];
        });
        return toConnection({ hasNextPage: page.hasNextPage, items }, (d) => d);
      }
      const duties = (await judge(ctx, owed, day)).filter((d) => d.status === status);
      return toConnection(ctx.agencies.listPage(scope, duties, dutyKey, first, after), (d) => d);
    },
  },
  ReportingDuty: {
    measure: async (d, _args, ctx) => measureFor(ctx, d.measureId, 'measureId'),
    agency: (d) => ({ id: d.agencyId }),
  },
  Measure: {
    milestones: (m, _args, ctx) => ctx.plans.milestones(m.id),
    indicators: (m, _args, ctx) => ctx.plans.indicators(m.id),
  },
  Milestone: {
    status: (m) => milestoneStatus(m.dueDate, m.doneOn, osloToday()),
  },
  Mutation: {
    setReportingSchedule: async (_root, { input }, ctx) => {
      assertCanEditPlan(ctx.viewer);
      return withFreshRead(ctx, async () => {
        const current = await ctx.plans.plan(input.planId);
        if (!current) throw new NotFoundError(`There is no plan ${input.planId}.`, 'planId');
        const version = current.version ?? 1;
        if (input.expectedVersion != null && input.expectedVersion !== version) {
          throw new ConflictError(`The plan has changed since version ${input.expectedVersion}; it is now at version ${version}.`, {
            field: 'expectedVersion',
            currentVersion: version,
          });
        }
        const reportingPeriods = validSchedule(current, input.periods);
        const next: PlanRecord = { ...current, reportingPeriods, version: version + 1 };
        return { plan: await ctx.plans.replacePlan('setReportingSchedule', current, next, ctx.viewer, new Date().toISOString()) };
      });
    },

    addMilestone: async (_root, { input }, ctx) => {
      const title = text(input.title, 'title', { max: limits.milestoneTitle });
      const measure = await measureFor(ctx, input.measureId, 'measureId');
      assertCanManageMeasureResults(ctx.viewer, measure.responsibilities);
      const plan = await planOf(ctx, measure.planId);
      const at = new Date().toISOString();
      const milestone: MilestoneRecord = {
        id: `${measure.id}#M#${randomUUID().slice(0, 13)}`,
        measureId: measure.id,
        planId: measure.planId,
        title,
        dueDate: dueInside(plan, input.dueDate),
        doneOn: null,
        addedOn: osloDateOf(at),
        version: 1,
        updatedAt: at,
      };
      return writeMilestone(ctx, 'addMilestone', measure, null, milestone);
    },

    updateMilestone: async (_root, { input }, ctx) => {
      const title = input.title != null ? text(input.title, 'title', { max: limits.milestoneTitle }) : undefined;
      if (title === undefined && input.dueDate == null) throw new BadUserInputError('Give at least one field to change.', 'input');
      const { milestone, measure } = await milestoneFor(ctx, input.id);
      const dueDate = input.dueDate != null ? dueInside(await planOf(ctx, measure.planId), input.dueDate) : undefined;
      if (milestone.version !== input.expectedVersion) {
        throw new ConflictError(
          `The milestone has changed since version ${input.expectedVersion}; it is now at version ${milestone.version}.`,
          {
            field: 'expectedVersion',
            currentVersion: milestone.version,
          },
        );
      }
      const next: MilestoneRecord = {
        ...milestone,
        ...(title !== undefined ? { title } : {}),
        ...(dueDate !== undefined ? { dueDate } : {}),
        version: milestone.version + 1,
        updatedAt: new Date().toISOString(),
      };
      return writeMilestone(ctx, 'updateMilestone', measure, milestone, next);
    },

    completeMilestone: async (_root, { input }, ctx) => {
      const doneOn = isoDay(input.doneOn, 'doneOn');
      return withFreshRead(ctx, async () => {
        const { milestone, measure } = await milestoneFor(ctx, input.id);
        if (doneOn < milestone.addedOn) {
          throw new BadUserInputError(`doneOn comes before the milestone was added (${milestone.addedOn}).`, 'doneOn');
        }
        if (doneOn > osloToday()) throw new BadUserInputError('doneOn lies in the future.', 'doneOn');
        const next: MilestoneRecord = { ...milestone, doneOn, version: milestone.version + 1, updatedAt: new Date().toISOString() };
        return writeMilestone(ctx, 'completeMilestone', measure, milestone, next);
      });
    },

    defineIndicator: async (_root, { input }, ctx) => {
      const name = text(input.name, 'name', { max: limits.indicatorName });
      const unit = text(input.unit, 'unit', { max: limits.indicatorUnit });
      const baseline = figure(input.baseline, 'baseline');
      const target = figure(input.target, 'target');
      const measure = await measureFor(ctx, input.measureId, 'measureId');
      assertCanManageMeasureResults(ctx.viewer, measure.responsibilities);
      const indicator: IndicatorRecord = {
        id: `${measure.id}#I#${randomUUID().slice(0, 13)}`,
        measureId: measure.id,
        planId: measure.planId,
        name,
        unit,
        baseline,
        target,
        direction: input.direction,
        values: [],
        version: 1,
        createdAt: new Date().toISOString(),
      };
      return writeIndicator(ctx, 'defineIndicator', measure, null, indicator);
    },

    recordIndicatorValue: async (_root, { input }, ctx) => {
      const value = figure(input.value, 'value');
      const comment = optionalText(input.comment, 'comment', limits.indicatorComment, { multiline: true }) ?? null;
      const period = parsePeriod(input.period);
      if (!period) throw new BadUserInputError('period must be "YYYY", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" to "YYYY-Q4".', 'period');
      return withFreshRead(ctx, async () => {
        const indicator = await ctx.plans.indicator(input.indicatorId);
        if (!indicator) throw new NotFoundError(`There is no indicator ${input.indicatorId}.`, 'indicatorId');
        const [measure, plan] = await Promise.all([measureFor(ctx, indicator.measureId, 'indicatorId'), planOf(ctx, indicator.planId)]);
        assertCanManageMeasureResults(ctx.viewer, measure.responsibilities);
        if (!insidePlan(plan, period)) {
          throw new BadUserInputError(`period must lie within the plan's period, ${plan.periodStart} to ${plan.periodEnd}.`, 'period');
        }
        const kept = indicator.values.filter((v) => v.period !== period.label);
        // A new period past the cap is refused; a value for a period recorded before replaces it. The indicator's
        // version condition makes the count read the one replaced, so racing recorders cannot pass the cap.
        const maxValues = limits.valuesPerIndicator;
        if (kept.length >= maxValues) {
          throw new ListFullError(
            `An indicator holds values for at most ${maxValues} periods; this one has ${kept.length}.`,
            'period',
            'valuesPerIndicator',
            maxValues,
          );
        }
        const values = [...kept, { period: period.label, value, comment }].sort((a, b) => {
          const pa = parsePeriod(a.period);
          const pb = parsePeriod(b.period);
          return (pa?.start ?? '').localeCompare(pb?.start ?? '') || (pa?.end ?? '').localeCompare(pb?.end ?? '');
        });
        const next: IndicatorRecord = { ...indicator, values, version: indicator.version + 1 };
        // Racing recorders of one indicator: the version condition makes the loser read again (retryable).
        try {
          return await writeIndicator(ctx, 'recordIndicatorValue', measure, indicator, next, { period: period.label, value });
        } catch (error) {
          if (error instanceof ConflictError && error.extensions.field === 'expectedVersion') {
            throw new ConflictError('The indicator changed while this was being stored; please retry.', { retryable: true });
          }
          throw error;
        }
      });
    },
  },
};
