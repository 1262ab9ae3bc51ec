import { createHash } from 'node:crypto';
import { nameAt } from '../../agencies/agencies.model.js';
import type { Context } from '../../app/context.js';
import {
  type AllocationRecord,
  type BudgetLineRecord,
  type DisbursementRecord,
  demoShare,
  type Group,
  groupsOf,
  lineGroupsOf,
  newId,
  rateOf,
  type SummaryRecord,
} from '../../funding/funding.model.js';
import {
  allocationListOf,
  allocationsPage,
  appropriatedOriginalOf,
  budgetLines,
  disbursementListOf,
  disbursementsPage,
  type FundingTotal,
  fundedPlan,
  fundingSummary,
  fundingTotal,
} from '../../funding/funding.queries.js';
import { osloToday } from '../../plans/calendar.js';
import type { PlanRecord } from '../../plans/plans.model.js';
import { toConnection } from '../../shared/db.js';
import { BadUserInputError, ConflictError, ListFullError, NotFoundError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import { assertCanReadFunding, assertCanWriteFunding, idempotencyScope } from '../../shared/policy.js';
import { apiProvenance, isInvented, provenanceOf } from '../../shared/provenance.js';
import { intIn, text } from '../../shared/validate.js';
import { limits } from '../generated/limits.js';
import type { Resolvers } from '../generated/resolvers.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The plan whose period holds a fiscal year; budget lines belong to it. */
/**
 * The plan a new line funds: the one named, whose period must hold the fiscal year; else the one real plan
 * (demo and synthetic plans never take real money unasked) whose period holds it. Two such plans: name one.
 */
function planOfYear(plans: readonly PlanRecord[], fiscalYear: number, planId: string | null | undefined): PlanRecord {
  const holds = (p: PlanRecord) => Number(p.periodStart.slice(0, 4)) <= fiscalYear && fiscalYear <= Number(p.periodEnd.slice(0, 4));
  if (planId) {
    const named = plans.find((p) => p.id === planId);
    if (!named) throw new NotFoundError(`There is no plan ${planId}.`, 'planId');
    if (!holds(named))
      throw new BadUserInputError(
        `fiscalYear must lie within the plan's period, ${named.periodStart.slice(0, 4)}–${named.periodEnd.slice(0, 4)}.`,
        'fiscalYear',
      );
    return named;
  }
  const candidates = plans.filter((p) => holds(p) && !isInvented(provenanceOf(p)));
  if (candidates.length > 1)
    throw new BadUserInputError(`Several plans hold ${fiscalYear} (${candidates.map((p) => p.id).join(', ')}): give planId.`, 'planId');
  const plan = candidates[0];
  if (!plan)
    throw new BadUserInputError(
      `fiscalYear must lie within a plan's period (${plans.map((p) => `${p.periodStart.slice(0, 4)}–${p.periodEnd.slice(0, 4)}`).join(', ')}).`,
      'fiscalYear',
    );
  return plan;
}

function positive(amount: bigint, field: string): bigint {
  if (amount <= 0n) throw new BadUserInputError(`${field} must be more than 0.00.`, field);
  return amount;
}

function requestHash(kind: string, input: Record<string, unknown>): string {
  const { idempotencyKey: _key, ...rest } = input;
  const canonical = JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, typeof rest[k] === 'bigint' ? String(rest[k]) : (rest[k] ?? null)]),
  );
  return createHash('sha256').update(kind).update(canonical).digest('hex');
}

function idempotencyKeyOf(value: string): string {
  if (!IDEMPOTENCY_KEY.test(value))
    throw new BadUserInputError('idempotencyKey must be 1–128 letters, digits, ".", "_", ":" or "-".', 'idempotencyKey');
  return value;
}

/** The line of a stored allocation: it exists, since lines are never deleted. */
async function lineOf(ctx: Context, id: string): Promise<BudgetLineRecord> {
  const line = await ctx.funding.budgetLine(id);
  if (!line) throw new Error(`budget line ${id} is missing`);
  return line;
}

/** The groups an allocation counts under, with their labels as the summary shows them (one batch: the line's agency and the plan). */
async function groupsFor(
  ctx: Context,
  line: BudgetLineRecord,
  allocation: Pick<AllocationRecord, 'planId' | 'measureId' | 'goalNumbers'>,
): Promise<Group[]> {
  const [agency, measure, plan] = await Promise.all([
    ctx.agencies.agency(line.agencyId),
    allocation.measureId ? ctx.plans.measure(allocation.measureId) : undefined,
    ctx.plans.plan(allocation.planId),
  ]);
  return groupsOf(line, allocation, { agencyName: agency ? nameAt(agency, osloToday()) : undefined, measure, goals: plan?.goals ?? [] });
}

export const fundingResolvers: Resolvers = {
  Query: {
    budgetLines: (_root, { fiscalYear, agencyId }, ctx) => budgetLines(ctx, fiscalYear, agencyId),
    allocations: async (_root, { filter, first, after }, ctx) =>
      toConnection(await allocationsPage(ctx, allocationListOf(filter), first, after), (a) => a),
    disbursements: async (_root, { filter, first, after }, ctx) =>
      toConnection(await disbursementsPage(ctx, disbursementListOf(filter), first, after), (d) => d),
    fundingSummary: (_root, { planId, fiscalYear, groupBy }, ctx) => fundingSummary(ctx, { planId, fiscalYear, groupBy }),
    /** The plan, then one Query over the grouping's rollup items of every year. */
    fundingMatrix: async (_root, { planId, rows, columns }, ctx) => {
      assertCanReadFunding(ctx.viewer);
      const plan = await fundedPlan(ctx, planId);
      if (columns !== 'FISCAL_YEAR') throw new BadUserInputError('columns must be FISCAL_YEAR.', 'columns');
      const cells = await ctx.funding.matrix(plan.id, rows);
      const byKey = new Map<string, { key: string; label: string; cells: FundingTotal[] }>();
      for (const cell of cells) {
        const row = byKey.get(cell.key) ?? { key: cell.key, label: cell.label, cells: [] };
        row.cells.push(fundingTotal(cell));
        byKey.set(cell.key, row);
      }
      const fiscalYears = [...new Set(cells.map((c) => c.fiscalYear ?? 0))].sort((a, b) => a - b);
      const ordered = [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key, 'nb', { numeric: true }));
      for (const row of ordered) row.cells.sort((a, b) => (a.fiscalYear ?? 0) - (b.fiscalYear ?? 0));
      return { fiscalYears, rows: ordered };
    },
  },
  BudgetLine: {
    provenance: (line) => provenanceOf(line, line.createdAt),
    agency: (line) => ({ id: line.agencyId }),
    appropriated: (line) => line.appropriatedOre,
    appropriatedOriginal: appropriatedOriginalOf,
    revisions: (line) =>
      (line.revisions ?? []).map((r) => ({
        appropriated: r.appropriatedOre,
        reason: r.reason,
        decidedOn: r.decidedOn,
        recordedAt: r.recordedAt,
      })),
    version: (line) => line.version ?? 1,
    allocated: (line) => line.allocatedOre,
    allocations: async (line, { first, after }, ctx) =>
      toConnection(await allocationsPage(ctx, { by: 'budgetLineId', id: line.id }, first, after), (a) => a),
  },
  Allocation: {
    provenance: (a) => provenanceOf(a, a.createdAt),
    budgetLine: async (a, _args, ctx) => {
      const line = await ctx.funding.budgetLine(a.budgetLineId);
      if (!line) throw new Error(`budget line ${a.budgetLineId} is missing`);
      return line;
    },
    measure: async (a, _args, ctx) => (a.measureId ? ((await ctx.plans.measure(a.measureId)) ?? null) : null),
    recipient: (a) => (a.recipientId ? { id: a.recipientId } : null),
    shelter: async (a, _args, ctx) => (a.shelterId ? ((await ctx.shelters.shelter(a.shelterId)) ?? null) : null),
    amount: (a) => a.amountOre,
    disbursed: (a) => a.disbursedOre,
    disbursements: async (a, { first, after }, ctx) =>
      toConnection(await disbursementsPage(ctx, { by: 'allocationId', id: a.id }, first, after), (d) => d),
  },
  Disbursement: {
    provenance: (d) => provenanceOf(d, d.createdAt),
    allocation: async (d, _args, ctx) => {
      const allocation = await ctx.funding.allocation(d.allocationId);
      if (!allocation) throw new Error(`allocation ${d.allocationId} is missing`);
      return allocation;
    },
    amount: (d) => d.amountOre,
  },
  Mutation: {
    createBudgetLine: async (_root, { input }, ctx) => {
      assertCanWriteFunding(ctx.viewer, input.agencyId);
      const [agency, plans] = await Promise.all([ctx.agencies.agency(input.agencyId), ctx.plans.plans()]);
      if (!agency) throw new NotFoundError(`There is no agency ${input.agencyId}.`, 'agencyId');
      // Appropriations are held by ministries and by the directorates that have chapters of their own (as NAV does).
      if (agency.kind !== 'MINISTRY' && agency.kind !== 'DIRECTORATE') {
        throw new BadUserInputError('agencyId must name a ministry or a directorate: they hold appropriations.', 'agencyId');
      }
      const plan = planOfYear(plans, input.fiscalYear, input.planId);
      const now = new Date().toISOString();
      const line: BudgetLineRecord = {
        id: newId('line'),
        planId: plan.id,
        fiscalYear: input.fiscalYear,
        agencyId: agency.id,
        chapter: intIn(input.chapter, 'chapter', 1, 9999),
        post: intIn(input.post, 'post', 1, 99),
        title: text(input.title, 'title', { max: 200 }),
        appropriatedOre: input.appropriated,
        allocatedOre: 0n,
        disbursedOre: 0n,
        createdAt: now,
        provenance: apiProvenance(now),
      };
      // The year's lines and the plan's are counted, each held below its cap in the write's own transaction.
      const perYear = limits.budgetLinesPerYear;
      const perPlan = limits.budgetLinesPerPlan;
      const caps = {
        year: {
          max: perYear,
          error: () =>
            new ListFullError(`A fiscal year holds at most ${perYear} budget lines.`, 'fiscalYear', 'budgetLinesPerYear', perYear),
        },
        plan: {
          max: perPlan,
          error: () => new ListFullError(`A plan holds at most ${perPlan} budget lines.`, 'planId', 'budgetLinesPerPlan', perPlan),
        },
      };
      return { budgetLine: await ctx.funding.createBudgetLine(line, lineGroupsOf(line, agency.name), ctx.viewer, caps) };
    },

    /** One batch reads the line and its agency (for the rollups' labels); then one transaction, answered from what it wrote. */
    reviseBudgetLine: async (_root, { input }, ctx) => {
      const reason = text(input.reason, 'reason', { max: 500, multiline: true });
      if (input.appropriated < 0n) throw new BadUserInputError('appropriated must be 0.00 or more.', 'appropriated');
      const line = await ctx.funding.budgetLine(input.id);
      if (!line) throw new NotFoundError(`There is no budget line ${input.id}.`, 'id');
      assertCanWriteFunding(ctx.viewer, line.agencyId);
      const decidedYear = Number(input.decidedOn.slice(0, 4));
      if (decidedYear < line.fiscalYear - 1 || decidedYear > line.fiscalYear)
        throw new BadUserInputError(
          `decidedOn must lie in ${line.fiscalYear - 1} or ${line.fiscalYear}, the line's fiscal year.`,
          'decidedOn',
        );
      const version = line.version ?? 1;
      if (version !== input.expectedVersion)
        throw new ConflictError(`The budget line has changed since version ${input.expectedVersion}; it is now at version ${version}.`, {
          field: 'expectedVersion',
          currentVersion: version,
        });
      if (line.allocatedOre > input.appropriated) {
        const allocated = formatMoney(line.allocatedOre);
        throw new ConflictError(`The appropriation cannot go below what is allocated of the line (${allocated}).`, {
          field: 'appropriated',
          allocated,
        });
      }
      // A line may be revised this many times (schema/limits.json); the state budget revises a year's lines a few times
      // at most. Held by the line's version: of racing revisions at the cap, the one that lands first is the last.
      const maxRevisions = limits.revisionsPerBudgetLine;
      if ((line.revisions?.length ?? 0) >= maxRevisions)
        throw new ListFullError(`A budget line holds at most ${maxRevisions} revisions.`, 'id', 'revisionsPerBudgetLine', maxRevisions);
      const agency = await ctx.agencies.agency(line.agencyId);
      const revision = { appropriatedOre: input.appropriated, reason, decidedOn: input.decidedOn, recordedAt: new Date().toISOString() };
      return {
        budgetLine: await ctx.funding.reviseBudgetLine(line, revision, input.expectedVersion, lineGroupsOf(line, agency?.name), ctx.viewer),
      };
    },

    /**
     * One batch reads the line, the key's earlier use and what the allocation names; a second the
     * line's agency, the plan and the measure's totals (for the labels and the answer); then one transaction.
     */
    allocateFunds: async (_root, { input }, ctx) => {
      const key = idempotencyKeyOf(input.idempotencyKey);
      const amount = positive(input.amount, 'amount');
      const scope = idempotencyScope(ctx.viewer);
      const [line, earlier, measure, recipient, shelter] = await Promise.all([
        ctx.funding.budgetLine(input.budgetLineId),
        ctx.funding.idempotency(scope, 'allocateFunds', key),
        input.measureId ? ctx.plans.measure(input.measureId) : undefined,
        input.recipientId ? ctx.agencies.agency(input.recipientId) : undefined,
        input.shelterId ? ctx.shelters.shelter(input.shelterId) : undefined,
      ]);
      if (!line) throw new NotFoundError(`There is no budget line ${input.budgetLineId}.`, 'budgetLineId');
      assertCanWriteFunding(ctx.viewer, line.agencyId);
      const hash = requestHash('allocateFunds', { ...input, amount });
      const replay = async (resultId: string) => {
        const allocation = await ctx.funding.allocation(resultId);
        if (!allocation) throw new Error('allocation of an idempotency record is missing');
        return { allocation };
      };
      if (earlier) {
        if (earlier.requestHash !== hash)
          throw new ConflictError('This idempotency key was used for a different request.', { field: 'idempotencyKey' });
        return replay(earlier.resultId);
      }
      if (!input.measureId && !input.recipientId && !input.shelterId)
        throw new BadUserInputError('Name a measure, a recipient or a shelter to allocate to.', 'measureId');
      if (input.measureId && !measure) throw new NotFoundError(`There is no measure ${input.measureId}.`, 'measureId');
      if (measure && measure.planId !== line.planId)
        throw new BadUserInputError('The measure belongs to another plan than the budget line.', 'measureId');
      if (input.recipientId && !recipient) throw new NotFoundError(`There is no agency ${input.recipientId}.`, 'recipientId');
      if (input.shelterId && !shelter) throw new NotFoundError(`There is no shelter ${input.shelterId}.`, 'shelterId');
      const target = { planId: line.planId, measureId: measure?.id ?? null, goalNumbers: measure?.goalNumbers ?? [] };
      const [groups, measureTotals] = await Promise.all([
        groupsFor(ctx, line, target),
        measure ? ctx.funding.measureTotals(line.planId, measure.id) : null,
      ]);
      const now = new Date().toISOString();
      const allocation = {
        id: newId('alloc'),
        ...target,
        budgetLineId: line.id,
        fiscalYear: line.fiscalYear,
        lineAgencyId: line.agencyId,
        recipientId: recipient?.id ?? null,
        shelterId: shelter?.id ?? null,
        amountOre: amount,
        disbursedOre: 0n,
        createdAt: now,
        provenance: apiProvenance(now),
        groups,
      };
      const result = await ctx.funding.allocate({
        line,
        allocation,
        measureTotals,
        named: { measure, recipient, shelter },
        idempotency: { scope, key, requestHash: hash },
        actor: ctx.viewer,
      });
      return result.replayed ? replay(result.resultId) : { allocation: result.result };
    },

    /** One batch reads the allocation and the key's earlier use; then one transaction, answered from what it wrote. */
    recordDisbursement: async (_root, { input }, ctx) => {
      const key = idempotencyKeyOf(input.idempotencyKey);
      const amount = positive(input.amount, 'amount');
      const scope = idempotencyScope(ctx.viewer);
      const [allocation, earlier] = await Promise.all([
        ctx.funding.allocation(input.allocationId),
        ctx.funding.idempotency(scope, 'recordDisbursement', key),
      ]);
      if (!allocation) throw new NotFoundError(`There is no allocation ${input.allocationId}.`, 'allocationId');
      assertCanWriteFunding(ctx.viewer, allocation.lineAgencyId);
      const hash = requestHash('recordDisbursement', { ...input, amount });
      const replay = async (resultId: string) => {
        const [disbursement, current] = await Promise.all([
          ctx.funding.disbursementByResultId(resultId),
          ctx.funding.allocation(allocation.id),
        ]);
        if (!disbursement || !current) throw new Error('disbursement of an idempotency record is missing');
        return { disbursement, allocation: current };
      };
      if (earlier) {
        if (earlier.requestHash !== hash)
          throw new ConflictError('This idempotency key was used for a different request.', { field: 'idempotencyKey' });
        return replay(earlier.resultId);
      }
      if (!input.date.startsWith(`${allocation.fiscalYear}-`))
        throw new BadUserInputError(`date must lie within the budget line's fiscal year, ${allocation.fiscalYear}.`, 'date');
      // Allocations stored before they kept their groups have them computed anew (one more batch).
      const groups = allocation.groups ?? (await groupsFor(ctx, await lineOf(ctx, allocation.budgetLineId), allocation));
      const now = new Date().toISOString();
      const disbursement: DisbursementRecord = {
        id: newId('disb'),
        allocationId: allocation.id,
        recipientId: allocation.recipientId,
        date: input.date,
        amountOre: amount,
        createdAt: now,
        provenance: apiProvenance(now),
      };
      const result = await ctx.funding.disburse({
        allocation,
        groups,
        disbursement,
        idempotency: { scope, key, requestHash: hash },
        actor: ctx.viewer,
      });
      return result.replayed ? replay(result.resultId) : result.result;
    },
  },
};
