import { randomUUID } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import { type Db, loadItem, tableName } from '../shared/db.js';
import { ConflictError } from '../shared/errors.js';
import { formatMoney } from '../shared/money.js';
import { type TxItem, transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import {
  type AllocationRecord,
  allocationKey,
  type BudgetLineRecord,
  budgetLineKey,
  budgetLineNaturalKey,
  type DisbursementRecord,
  disbursementKey,
  type Group,
  type IdempotencyRecord,
  idempotencyKey,
  lineSortKey,
  ore,
  shelterTotalKey,
  summaryPk,
  yearLinesPk,
} from './funding.model.js';

/** Idempotency records outlive any client's retries by far; TTL then removes them. */
const IDEMPOTENCY_TTL_SECONDS = 400 * 24 * 3600;

export type Idempotent<T> = { readonly replayed: true; readonly resultId: string } | { readonly replayed: false; readonly result: T };

/** Writes of the funding table: each one transaction with its invariant checks, rollups, idempotency record and audit entry. */
export class FundingWrites {
  private readonly audit: AuditRepository;

  constructor(private readonly db: Db) {
    this.audit = new AuditRepository(db);
  }

  private get table() {
    return tableName(this.db, 'funding');
  }

  async createBudgetLine(line: BudgetLineRecord, actor: Viewer): Promise<BudgetLineRecord> {
    await transact(this.db, [
      {
        item: {
          Put: {
            TableName: this.table,
            Item: { ...budgetLineNaturalKey(line.agencyId, line.fiscalYear, line.chapter, line.post), budgetLineId: line.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () =>
          new ConflictError(`The agency already has a budget line for chapter ${line.chapter}, post ${line.post} in ${line.fiscalYear}.`, {
            field: 'post',
          }),
      },
      {
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...budgetLineKey(line.id),
              gsi1pk: yearLinesPk(line.fiscalYear),
              gsi1sk: lineSortKey(line.agencyId, line.chapter, line.post, line.id),
              ...line,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
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

  /** The stored idempotency record of a key, if the key was used. */
  idempotency(scope: string, kind: 'allocateFunds' | 'recordDisbursement', key: string): Promise<IdempotencyRecord | undefined> {
    return loadItem<IdempotencyRecord>(this.db, 'funding', idempotencyKey(scope, kind, key));
  }

  private idempotencyItem(
    scope: string,
    kind: 'allocateFunds' | 'recordDisbursement',
    key: string,
    requestHash: string,
    resultId: string,
    at: string,
  ): TxItem {
    return {
      item: {
        Put: {
          TableName: this.table,
          Item: {
            ...idempotencyKey(scope, kind, key),
            requestHash,
            resultId,
            expiresAt: Math.floor(Date.parse(at) / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored?.requestHash === requestHash
          ? new ReplayedRequest(String(stored.resultId))
          : new ConflictError('This idempotency key was used for a different request.', { field: 'idempotencyKey' }),
    };
  }

  /** Moves the rollups of an allocation's groups, for its fiscal year and for all years, and a shelter's total. */
  private rollups(allocation: AllocationRecord, groups: readonly Group[], delta: { allocated: bigint; disbursed: bigint }): TxItem[] {
    const items: TxItem[] = [];
    for (const year of [allocation.fiscalYear, null]) {
      for (const group of groups) {
        items.push({
          item: {
            Update: {
              TableName: this.table,
              Key: { pk: summaryPk(allocation.planId, group.groupBy, year), sk: group.key },
              UpdateExpression: 'SET #key = :key, label = :label, fiscalYear = :year ADD allocatedOre :a, disbursedOre :d',
              ExpressionAttributeNames: { '#key': 'key' },
              ExpressionAttributeValues: {
                ':key': group.key,
                ':label': group.label,
                ':year': year,
                ':a': delta.allocated,
                ':d': delta.disbursed,
              },
            },
          },
        });
      }
    }
    if (allocation.shelterId) {
      items.push({
        item: {
          Update: {
            TableName: this.table,
            Key: shelterTotalKey(allocation.shelterId),
            UpdateExpression: 'ADD allocatedOre :a, disbursedOre :d',
            ExpressionAttributeValues: { ':a': delta.allocated, ':d': delta.disbursed },
          },
        },
      });
    }
    return items;
  }

  /**
   * Allocates from a budget line. The line's `remainingOre >= amount` condition keeps allocations
   * within the appropriation however many writers race; the idempotency record's condition makes a
   * repeated key write nothing.
   */
  async allocate(input: {
    readonly line: BudgetLineRecord;
    readonly allocation: AllocationRecord;
    readonly groups: readonly Group[];
    readonly idempotency: { readonly scope: string; readonly key: string; readonly requestHash: string };
    readonly actor: Viewer;
  }): Promise<Idempotent<AllocationRecord>> {
    const { line, allocation, groups, idempotency, actor } = input;
    const amount = ore(allocation.amountOre);
    try {
      await transact(this.db, [
        this.idempotencyItem(
          idempotency.scope,
          'allocateFunds',
          idempotency.key,
          idempotency.requestHash,
          allocation.id,
          allocation.createdAt,
        ),
        {
          item: {
            Update: {
              TableName: this.table,
              Key: budgetLineKey(line.id),
              UpdateExpression: 'ADD remainingOre :minus, allocatedOre :amount',
              ConditionExpression: 'remainingOre >= :amount',
              ExpressionAttributeValues: { ':amount': amount, ':minus': -amount },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          onConditionFailed: (stored) =>
            new ConflictError(
              `The amount exceeds what is left of the budget line (${formatMoney(ore(stored?.remainingOre as number | undefined))}).`,
              {
                field: 'amount',
                remaining: formatMoney(ore(stored?.remainingOre as number | undefined)),
              },
            ),
        },
        {
          item: {
            Put: {
              TableName: this.table,
              Item: { ...allocationKey(allocation.id), ...allocation },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        },
        ...this.rollups(allocation, groups, { allocated: amount, disbursed: 0n }),
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
      ]);
      return { replayed: false, result: allocation };
    } catch (error) {
      if (error instanceof ReplayedRequest) return { replayed: true, resultId: error.resultId };
      throw error;
    }
  }

  /** Records a payment against an allocation; `undisbursedOre >= amount` keeps payments within it. */
  async disburse(input: {
    readonly allocation: AllocationRecord;
    readonly disbursement: DisbursementRecord;
    readonly groups: readonly Group[];
    readonly idempotency: { readonly scope: string; readonly key: string; readonly requestHash: string };
    readonly actor: Viewer;
  }): Promise<Idempotent<DisbursementRecord>> {
    const { allocation, disbursement, groups, idempotency, actor } = input;
    const amount = ore(disbursement.amountOre);
    try {
      await transact(this.db, [
        this.idempotencyItem(
          idempotency.scope,
          'recordDisbursement',
          idempotency.key,
          idempotency.requestHash,
          `${allocation.id}|${disbursementKey(allocation.id, disbursement.date, disbursement.id).sk}`,
          disbursement.createdAt,
        ),
        {
          item: {
            Update: {
              TableName: this.table,
              Key: allocationKey(allocation.id),
              UpdateExpression: 'ADD undisbursedOre :minus, disbursedOre :amount',
              ConditionExpression: 'undisbursedOre >= :amount',
              ExpressionAttributeValues: { ':amount': amount, ':minus': -amount },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          onConditionFailed: (stored) =>
            new ConflictError(
              `The amount exceeds what is left to disburse of the allocation (${formatMoney(ore(stored?.undisbursedOre as number | undefined))}).`,
              {
                field: 'amount',
                remaining: formatMoney(ore(stored?.undisbursedOre as number | undefined)),
              },
            ),
        },
        {
          item: {
            Update: {
              TableName: this.table,
              Key: budgetLineKey(allocation.budgetLineId),
              UpdateExpression: 'ADD disbursedOre :amount',
              ExpressionAttributeValues: { ':amount': amount },
            },
          },
        },
        {
          item: {
            Put: {
              TableName: this.table,
              Item: { ...disbursementKey(allocation.id, disbursement.date, disbursement.id), ...disbursement },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        },
        ...this.rollups(allocation, groups, { allocated: 0n, disbursed: amount }),
        ...this.audit.entry({
          action: 'recordDisbursement',
          entityId: allocation.id,
          actor,
          before: null,
          after: { disbursementId: disbursement.id, date: disbursement.date, amount: formatMoney(amount) },
          ownerAgencyIds: [allocation.lineAgencyId, ...(allocation.recipientId ? [allocation.recipientId] : [])],
          at: disbursement.createdAt,
        }),
      ]);
      return { replayed: false, result: disbursement };
    } catch (error) {
      if (error instanceof ReplayedRequest) return { replayed: true, resultId: error.resultId };
      throw error;
    }
  }

  /** A disbursement by the id its idempotency record holds ("<allocationId>|<sort key>"). */
  async disbursementByResultId(resultId: string): Promise<DisbursementRecord | undefined> {
    const [allocationId, sk] = resultId.split('|');
    if (!allocationId || !sk) throw new Error('Malformed disbursement result id');
    return loadItem<DisbursementRecord>(this.db, 'funding', { pk: allocationKey(allocationId).pk, sk });
  }
}

/** The request repeats an earlier one with the same key: its result, not an error. */
class ReplayedRequest extends ConflictError {
  constructor(readonly resultId: string) {
    super('Replayed request');
  }
}

export const newId = (prefix: string) => `${prefix}-${randomUUID()}`;
