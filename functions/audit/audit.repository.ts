import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, queryPage, tableName } from '../shared/db.js';
import type { TxItem } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import { type AuditRecord, auditEntityPk, auditOwnerPk, auditSk } from './audit.model.js';

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

  /**
   * The transaction items that append one entry: the entry in the entity's trail, and a copy in each
   * owner agency's view of that trail, so an agency pages through exactly its own entries.
   */
  entry(input: AuditInput): TxItem[] {
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
    const sk = auditSk(input.at, id);
    return [auditEntityPk(input.entityId), ...record.ownerAgencyIds.map((owner) => auditOwnerPk(input.entityId, owner))].map((pk) => ({
      item: {
        Put: { TableName: tableName(this.db, 'audit'), Item: { pk, sk, ...record }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
    }));
  }

  /** Appends one entry on its own, for an audited read (a write appends its entry in its own transaction). */
  async append(input: AuditInput): Promise<void> {
    await this.db.client.send(new TransactWriteCommand({ TransactItems: this.entry(input).map((i) => i.item) }));
  }

  /**
   * A page of an entity's entries, newest first; with `ownerAgencyId`, only the entries about that
   * agency's own entities, read from its own view: one Query a page, however many entries it may not see.
   */
  trail(entityId: string, ownerAgencyId: string | null, first: number | null | undefined, after: string | null | undefined) {
    return queryPage<AuditRecord>(this.db, {
      table: 'audit',
      keyCondition: 'pk = :pk',
      values: { ':pk': ownerAgencyId ? auditOwnerPk(entityId, ownerAgencyId) : auditEntityPk(entityId) },
      forward: false,
      scope: `audit:${entityId}:${ownerAgencyId ?? '*'}`,
      first,
      after,
    });
  }
}
