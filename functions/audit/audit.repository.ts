import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, queryPage, tableName } from '../shared/db.js';
import type { TxItem } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import { type AuditRecord, auditEntityPk, auditSk } from './audit.model.js';

/** Field values that an audit diff must never hold: it records that they changed, not what they are. */
export const CONFIDENTIAL = '[confidential]';

export interface AuditInput {
  readonly action: string;
  readonly entityId: string;
  readonly actor: Viewer;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly ownerAgencyIds: readonly string[];
  /** Field names whose values are replaced by a marker in the diff. */
  readonly confidential?: readonly string[];
  readonly at: string;
}

/**
 * The changed fields, before and after, as JSON; null when nothing changed. Fields named
 * confidential appear with a marker only, so an address never reaches the audit table.
 */
export function diff(input: Pick<AuditInput, 'before' | 'after' | 'confidential'>): string | null {
  const fields = new Set([...Object.keys(input.before ?? {}), ...Object.keys(input.after ?? {})]);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of [...fields].sort()) {
    const b = input.before?.[field];
    const a = input.after?.[field];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    const hide = input.confidential?.includes(field);
    before[field] = hide && b !== undefined && b !== null ? CONFIDENTIAL : (b ?? null);
    after[field] = hide && a !== undefined && a !== null ? CONFIDENTIAL : (a ?? null);
  }
  return Object.keys(after).length === 0 ? null : JSON.stringify({ before, after });
}

/** Reads and appends the audit trail. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** The transaction item that appends one entry; it goes into the same transaction as the write. */
  entry(input: AuditInput): TxItem {
    const id = randomUUID();
    const record: AuditRecord = {
      id,
      at: input.at,
      actor: { subject: input.actor.subject, roles: input.actor.roles, agencyId: input.actor.agencyId },
      action: input.action,
      entityId: input.entityId,
      changes: diff(input),
      ownerAgencyIds: [...new Set(input.ownerAgencyIds)],
    };
    return {
      item: {
        Put: {
          TableName: tableName(this.db, 'audit'),
          Item: { pk: auditEntityPk(input.entityId), sk: auditSk(input.at, id), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    };
  }

  /** Appends one entry on its own, for an audited read (a write appends its entry in its own transaction). */
  async append(input: AuditInput): Promise<void> {
    const put = this.entry(input).item.Put;
    if (!put) throw new Error('An audit entry is a Put');
    await this.db.client.send(new PutCommand({ TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression }));
  }

  /**
   * A page of an entity's entries, newest first; with `ownerAgencyId`, only the entries about that
   * agency's own entities (the filter runs in DynamoDB, and the page is filled past it).
   */
  trail(entityId: string, ownerAgencyId: string | null, first: number | null | undefined, after: string | null | undefined) {
    return queryPage<AuditRecord>(this.db, {
      table: 'audit',
      keyCondition: 'pk = :pk',
      values: { ':pk': auditEntityPk(entityId) },
      forward: false,
      scope: `audit:${entityId}:${ownerAgencyId ?? '*'}`,
      first,
      after,
      ...(ownerAgencyId ? { filter: { expression: 'contains(ownerAgencyIds, :owner)', values: { ':owner': ownerAgencyId } } } : {}),
    });
  }
}
