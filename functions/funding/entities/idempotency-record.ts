import { Fields, type Item, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';
import type { IdempotencyRecord } from '../funding.model.js';

export type IdempotentWrite = 'allocateFunds' | 'recordDisbursement';

/** Idempotency records outlive any client's retries by far; TTL then removes them. */
const TTL_SECONDS = 400 * 24 * 3600;

/** The request repeats an earlier one with the same key: its result, not an error. */
export class ReplayedRequest extends ConflictError {
  constructor(readonly resultId: string) {
    super('Replayed request');
  }
}

/**
 * The first result of a money write under a client's key (`IDEMPOTENCY#<scope>#<write>#<key>`),
 * put in the write's own transaction only where none is: a repeated key writes nothing.
 */
export const idempotencyRecordEntity = {
  table: 'funding',
  key: (scope: string, write: IdempotentWrite, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${write}#${key}`, sk: 'IDEMPOTENCY' }),

  parse(item: Item): IdempotencyRecord {
    const f = new Fields(item, 'idempotency record');
    return { requestHash: f.string('requestHash'), resultId: f.string('resultId') };
  },

  /** Claims a key for a request; the same request again is a ReplayedRequest, another one CONFLICT. */
  claim(scope: string, write: IdempotentWrite, key: string, record: IdempotencyRecord, at: string): TxItem {
    return {
      table: 'funding',
      op: {
        Put: {
          Item: {
            ...idempotencyRecordEntity.key(scope, write, key),
            requestHash: record.requestHash,
            resultId: record.resultId,
            expiresAt: Math.floor(Date.parse(at) / 1000) + TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored?.requestHash === record.requestHash && typeof stored.resultId === 'string'
          ? new ReplayedRequest(stored.resultId)
          : new ConflictError('This idempotency key was used for a different request.', { field: 'idempotencyKey' }),
    };
  },
} as const;
