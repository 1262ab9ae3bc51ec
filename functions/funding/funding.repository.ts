import type { AgencyRecord } from '../agencies/agencies.model.js';
import { agencyEntity } from '../agencies/entities/agency.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { measureEntity } from '../plans/entities/measure.js';
import type { MeasureRecord } from '../plans/plans.model.js';
import { type Db, loadItem, type Page, queryAll, queryPage } from '../shared/db.js';
import { type Cap, countSet } from '../shared/entity.js';
import { formatMoney } from '../shared/money.js';
import { isInvented } from '../shared/provenance.js';
import { transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import { shelterEntity } from '../shelters/entities/shelter.js';
import type { ShelterRecord } from '../shelters/shelters.model.js';
import { type AllocationListKey, allocationEntity, allocationLists } from './entities/allocation.js';
import { agencyLinesPrefix, budgetLineEntity, yearLinesPk } from './entities/budget-line.js';
import { type DisbursementListKey, disbursementEntity, disbursementLists } from './entities/disbursement.js';
import { fundingRollupEntity } from './entities/funding-rollup.js';
import { type IdempotentWrite, idempotencyRecordEntity, ReplayedRequest } from './entities/idempotency-record.js';
import type {
  AllocationRecord,
  BudgetLineRecord,
  BudgetRevisionRecord,
  DisbursementRecord,
  FundingGroupBy,
  FundingTotalsRecord,
  Group,
  IdempotencyRecord,
  SummaryRecord,
} from './funding.model.js';

export type Idempotent<T> = { readonly replayed: true; readonly resultId: string } | { readonly replayed: false; readonly result: T };

/** A client's idempotency key, in the key space the policy gives the caller. */
export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly requestHash: string;
}

const NO_TOTALS: FundingTotalsRecord = { allocatedOre: 0n, disbursedOre: 0n };

/** The funding table: budget lines, allocations, disbursements, their rollups and idempotency records. */
export class FundingRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
  ) {}

  budgetLine(id: string): Promise<BudgetLineRecord | undefined> {
    return loadItem(this.db, 'funding', budgetLineEntity.key(id), budgetLineEntity.parse);
  }

  allocation(id: string): Promise<AllocationRecord | undefined> {
    return loadItem(this.db, 'funding', allocationEntity.key(id), allocationEntity.parse);
  }

  /** The stored idempotency record of a key, if the key was used. */
  idempotency(scope: string, write: IdempotentWrite, key: string): Promise<IdempotencyRecord | undefined> {
    return loadItem(this.db, 'funding', idempotencyRecordEntity.key(scope, write, key), idempotencyRecordEntity.parse);
  }

  /** A disbursement by the id its idempotency record holds. */
  disbursementByResultId(resultId: string): Promise<DisbursementRecord | undefined> {
    return loadItem(this.db, 'funding', disbursementEntity.keyOfResultId(resultId), disbursementEntity.parse);
  }

  /** One page of allocations of one list (AllocationFilter), oldest first: one Query, whatever the data's size. */
  allocations(
    list: AllocationListKey,
    first: number | null | undefined,
    after: string | null | undefined,
    /** Exports only: pages of this size instead of `first`. */
    bulkPageSize?: number,
  ): Promise<Page<AllocationRecord>> {
    const { index, pk } =
      list.by === 'fiscalYear'
        ? { index: allocationLists.fiscalYear.index, pk: allocationLists.fiscalYear.pk(list.year) }
        : { index: allocationLists[list.by].index, pk: allocationLists[list.by].pk(list.id) };
    return queryPage(this.db, {
      table: 'funding',
      index,
      keyCondition: `${index}pk = :pk`,
      values: { ':pk': pk },
      forward: true,
      scope: `allocations:${pk}`,
      first,
      after,
      parse: allocationEntity.parse,
      ...(bulkPageSize ? { bulkPageSize } : {}),
    });
  }

  /** One page of disbursements: of an allocation (its own partition), a fiscal year or a recipient (indexes), by date. */
  disbursements(
    list: DisbursementListKey,
    first: number | null | undefined,
    after: string | null | undefined,
    bulkPageSize?: number,
  ): Promise<Page<DisbursementRecord>> {
    const common = {
      table: 'funding' as const,
      forward: true,
      first,
      after,
      parse: disbursementEntity.parse,
      ...(bulkPageSize ? { bulkPageSize } : {}),
    };
    if (list.by === 'allocationId') {
      const pk = allocationEntity.key(list.id).pk;
      return queryPage(this.db, {
        ...common,
        keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
        values: { ':pk': pk, ':prefix': 'DISB#' },
        scope: `disbursements:${pk}`,
      });
    }
    const { index, pk } =
      list.by === 'fiscalYear'
        ? { index: disbursementLists.fiscalYear.index, pk: disbursementLists.fiscalYear.pk(list.year) }
        : { index: disbursementLists.recipientAgencyId.index, pk: disbursementLists.recipientAgencyId.pk(list.id) };
    return queryPage(this.db, { ...common, index, keyCondition: `${index}pk = :pk`, values: { ':pk': pk }, scope: `disbursements:${pk}` });
  }

  /** A fiscal year's budget lines, optionally of one agency, by agency, chapter and post. */
  budgetLines(fiscalYear: number, agencyId: string | null | undefined): Promise<BudgetLineRecord[]> {
    return queryAll(this.db, {
      table: 'funding',
      index: 'gsi1',
      keyCondition: agencyId ? 'gsi1pk = :pk AND begins_with(gsi1sk, :agency)' : 'gsi1pk = :pk',
      values: agencyId ? { ':pk': yearLinesPk(fiscalYear), ':agency': agencyLinesPrefix(agencyId) } : { ':pk': yearLinesPk(fiscalYear) },
      forward: true,
      parse: budgetLineEntity.parse,
    });
  }

  /** A plan's funding summary, grouped: one Query over rollup items, however many allocations exist. */
  summary(planId: string, groupBy: FundingGroupBy, fiscalYear: number | null): Promise<SummaryRecord[]> {
    return queryAll(this.db, {
      table: 'funding',
      keyCondition: 'pk = :pk',
      values: { ':pk': fundingRollupEntity.summaryPk(planId, groupBy, fiscalYear) },
      forward: true,
      parse: fundingRollupEntity.parseSummary,
    });
  }

  /**
   * A measure's totals over all years: its item in the plan's MEASURE summary, read through the
   * batch loader. No item means nothing was ever allocated, which is a true zero.
   */
  async measureTotals(planId: string, measureId: string): Promise<FundingTotalsRecord> {
    const key = fundingRollupEntity.summaryKey(planId, 'MEASURE', null, measureId);
    return (await loadItem(this.db, 'funding', key, fundingRollupEntity.parseTotals)) ?? NO_TOTALS;
  }

  async shelterTotals(shelterId: string): Promise<FundingTotalsRecord> {
    return (await loadItem(this.db, 'funding', fundingRollupEntity.shelterKey(shelterId), fundingRollupEntity.parseTotals)) ?? NO_TOTALS;
  }

  /**
   * Every year's summary items of a plan's grouping (a funding matrix): one Query on gsi1, by year and key.
   * The number of items is groups × years, bounded by the plan (not by the allocations).
   */
  matrix(planId: string, groupBy: FundingGroupBy): Promise<SummaryRecord[]> {
    return queryAll(this.db, {
      table: 'funding',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': fundingRollupEntity.matrixPk(planId, groupBy) },
      forward: true,
      parse: fundingRollupEntity.parseSummary,
    });
  }

  /** The counts of a year's and a plan's lines set outright (the list-counters migration, from a recount). */
  async setLineCounts(years: ReadonlyMap<number, number>, plans: ReadonlyMap<string, number>): Promise<void> {
    for (const [year, n] of years) await transact(this.db, [countSet('funding', budgetLineEntity.yearCountKey(year), n)]);
    for (const [planId, n] of plans) await transact(this.db, [countSet('funding', budgetLineEntity.planCountKey(planId), n)]);
  }

  /** A line, its natural-key marker, its appropriation in the rollups of its groups, and the audit entry: one transaction. */
  async createBudgetLine(
    line: BudgetLineRecord,
    groups: readonly Group[],
    actor: Viewer,
    caps?: { readonly year: Cap; readonly plan: Cap },
  ): Promise<BudgetLineRecord> {
    await transact(this.db, [
      ...budgetLineEntity.create(line, caps),
      ...fundingRollupEntity.move(
        { planId: line.planId, fiscalYear: line.fiscalYear, shelterId: null },
        groups,
        { appropriatedOre: line.appropriatedOre, allocatedOre: 0n, disbursedOre: 0n },
        'keep',
      ),
      ...this.audit.entry({
        action: 'createBudgetLine',
        entityId: line.id,
        actor,
        before: null,
        after: {
          fiscalYear: line.fiscalYear,
          agencyId: line.agencyId,
          chapter: line.chapter,
          post: line.post,
          title: line.title,
          appropriated: formatMoney(line.appropriatedOre),
        },
        ownerAgencyIds: [line.agencyId],
        at: line.createdAt,
      }),
    ]);
    return line;
  }

  /**
   * Revises a line's appropriation at the version read, moving the appropriation in the rollups of the
   * line's groups by the difference, with its audit entry: one transaction, answered from what it wrote.
   */
  async reviseBudgetLine(
    line: BudgetLineRecord,
    revision: BudgetRevisionRecord,
    expectedVersion: number,
    groups: readonly Group[],
    actor: Viewer,
  ): Promise<BudgetLineRecord> {
    const after: BudgetLineRecord = {
      ...line,
      appropriatedOre: revision.appropriatedOre,
      appropriatedOriginalOre: line.appropriatedOriginalOre ?? line.appropriatedOre,
      revisions: [...(line.revisions ?? []), revision],
      version: expectedVersion + 1,
    };
    await transact(
      this.db,
      [
        budgetLineEntity.revise(line, revision, expectedVersion),
        ...fundingRollupEntity.move(
          { planId: line.planId, fiscalYear: line.fiscalYear, shelterId: null },
          groups,
          { appropriatedOre: revision.appropriatedOre - line.appropriatedOre, allocatedOre: 0n, disbursedOre: 0n },
          'keep',
        ),
        ...this.audit.entry({
          action: 'reviseBudgetLine',
          entityId: line.id,
          actor,
          before: { appropriated: formatMoney(line.appropriatedOre), version: expectedVersion },
          after: {
            appropriated: formatMoney(revision.appropriatedOre),
            reason: revision.reason,
            decidedOn: revision.decidedOn,
            version: expectedVersion + 1,
          },
          ownerAgencyIds: [line.agencyId],
          at: revision.recordedAt,
        }),
      ],
      [{ table: 'funding', item: budgetLineEntity.toItem(after) }],
    );
    return after;
  }

  /**
   * Allocates from a budget line, in one transaction with the idempotency record, the rollups and
   * the audit entry. The answer is what the write left: the line and the measure's totals as read
   * plus this amount (racing allocations on the same line or measure may have moved them further).
   */
  async allocate(input: {
    readonly line: BudgetLineRecord;
    readonly allocation: AllocationRecord & { readonly groups: readonly Group[] };
    readonly measureTotals: FundingTotalsRecord | null;
    /** What the allocation names, as read: the answer shows them, and the write changed none of them. */
    readonly named: { readonly measure?: MeasureRecord; readonly recipient?: AgencyRecord; readonly shelter?: ShelterRecord };
    readonly idempotency: IdempotencyClaim;
    readonly actor: Viewer;
  }): Promise<Idempotent<AllocationRecord>> {
    const { line, allocation, idempotency, actor } = input;
    const amount = allocation.amountOre;
    const after = { ...line, allocatedOre: line.allocatedOre + amount };
    const measureGroup = allocation.groups.find((g) => g.groupBy === 'MEASURE');
    try {
      await transact(
        this.db,
        [
          idempotencyRecordEntity.claim(
            idempotency.scope,
            'allocateFunds',
            idempotency.key,
            { requestHash: idempotency.requestHash, resultId: allocation.id },
            allocation.createdAt,
          ),
          budgetLineEntity.allocate(line.id, amount),
          allocationEntity.create(allocation),
          ...fundingRollupEntity.move(
            allocation,
            allocation.groups,
            { allocatedOre: amount, disbursedOre: 0n, inventedOre: isInvented(allocation.provenance) ? amount : 0n },
            'set',
          ),
          ...this.audit.entry({
            action: 'allocateFunds',
            entityId: allocation.id,
            actor,
            before: null,
            after: {
              budgetLineId: allocation.budgetLineId,
              measureId: allocation.measureId,
              recipientId: allocation.recipientId,
              shelterId: allocation.shelterId,
              amount: formatMoney(amount),
            },
            ownerAgencyIds: [line.agencyId, ...(allocation.recipientId ? [allocation.recipientId] : [])],
            at: allocation.createdAt,
          }),
        ],
        [
          { table: 'funding', item: budgetLineEntity.toItem(after) },
          ...(measureGroup && input.measureTotals
            ? [
                {
                  table: 'funding' as const,
                  item: fundingRollupEntity.summaryItem(allocation.planId, measureGroup, null, {
                    allocatedOre: input.measureTotals.allocatedOre + amount,
                    disbursedOre: input.measureTotals.disbursedOre,
                  }),
                },
              ]
            : []),
          ...(input.named.measure ? [{ table: 'measures' as const, item: measureEntity.toItem(input.named.measure) }] : []),
          ...(input.named.recipient ? [{ table: 'responsibilities' as const, item: agencyEntity.toItem(input.named.recipient) }] : []),
          ...(input.named.shelter ? [{ table: 'shelters' as const, item: shelterEntity.toItem(input.named.shelter) }] : []),
        ],
      );
      return { replayed: false, result: allocation };
    } catch (error) {
      if (error instanceof ReplayedRequest) return { replayed: true, resultId: error.resultId };
      throw error;
    }
  }

  /**
   * Records a payment against an allocation, moving the line's total and the same rollups the
   * allocation moved. The answer is the allocation as read plus this payment.
   */
  async disburse(input: {
    readonly allocation: AllocationRecord;
    readonly groups: readonly Group[];
    readonly disbursement: DisbursementRecord;
    readonly idempotency: IdempotencyClaim;
    readonly actor: Viewer;
  }): Promise<Idempotent<{ disbursement: DisbursementRecord; allocation: AllocationRecord }>> {
    const { allocation, groups, disbursement, idempotency, actor } = input;
    const amount = disbursement.amountOre;
    const after = { ...allocation, disbursedOre: allocation.disbursedOre + amount };
    try {
      await transact(
        this.db,
        [
          idempotencyRecordEntity.claim(
            idempotency.scope,
            'recordDisbursement',
            idempotency.key,
            { requestHash: idempotency.requestHash, resultId: disbursementEntity.resultId(disbursement) },
            disbursement.createdAt,
          ),
          allocationEntity.disburse(allocation.id, amount),
          budgetLineEntity.disburse(allocation.budgetLineId, amount),
          disbursementEntity.create(disbursement),
          ...fundingRollupEntity.move(allocation, groups, { allocatedOre: 0n, disbursedOre: amount }, 'keep'),
          ...this.audit.entry({
            action: 'recordDisbursement',
            entityId: allocation.id,
            actor,
            before: null,
            after: { disbursementId: disbursement.id, date: disbursement.date, amount: formatMoney(amount) },
            ownerAgencyIds: [allocation.lineAgencyId, ...(allocation.recipientId ? [allocation.recipientId] : [])],
            at: disbursement.createdAt,
          }),
        ],
        [{ table: 'funding', item: allocationEntity.toItem(after) }],
      );
      return { replayed: false, result: { disbursement, allocation: after } };
    } catch (error) {
      if (error instanceof ReplayedRequest) return { replayed: true, resultId: error.resultId };
      throw error;
    }
  }
}
