import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { type Db, queryPage } from '../shared/db.js';
import type { TxItem } from '../shared/entity.js';
import { sendTransaction } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import type { AuditRecord } from './audit.model.js';
import { auditEntryEntity } from './entities/audit-entry.js';

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
  /** What identifies the change whether or not it changed (AuditRecord.facts): ids and public values only. */
  readonly facts?: Readonly<Record<string, string | number>>;
}

/**
 * The changed fields, before and after, as JSON; null when nothing changed. Fields named
 * confidential appear with a marker only, so an address never reaches the audit table; and they
 * appear whenever the entity exists on that side, changed or not, empty or not, so that the entry
 * does not tell a reader of the trail whether a confidential value changed (docs/privacy.md).
 */
export function diff(input: Pick<AuditInput, 'before' | 'after' | 'confidential'>): string | null {
  const fields = new Set([...Object.keys(input.before ?? {}), ...Object.keys(input.after ?? {})]);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const side = (record: Readonly<Record<string, unknown>> | null, field: string, hide: boolean) =>
    hide ? (record !== null && Object.hasOwn(record, field) ? CONFIDENTIAL : null) : (record?.[field] ?? null);
  for (const field of [...fields].sort()) {
    const hide = input.confidential?.includes(field) ?? false;
    if (!hide && JSON.stringify(input.before?.[field]) === JSON.stringify(input.after?.[field])) continue;
    before[field] = side(input.before, field, hide);
    after[field] = side(input.after, field, hide);
  }
  return Object.keys(after).length === 0 ? null : JSON.stringify({ before, after });
}

/** A TransactWriteItems holds at most 100 items: an entry is one item plus one per owner. */
const MAX_TRANSACTION_ITEMS = 100;

/** The audit table: writers append through `entry` in their own transactions; reads page through a trail. */
export class AuditRepository {
  /**
   * Entries of audited reads (an address read) asked for in one tick of a request are written
   * together, one transaction for a whole list of shelters rather than one per item.
   */
  private readonly reads: DataLoader<AuditInput, void>;

  constructor(private readonly db: Db) {
    this.reads = new DataLoader(
      async (inputs) => {
        const chunks: TxItem[][] = [[]];
        for (const input of inputs) {
          const items = this.entry(input);
          if ((chunks.at(-1)?.length ?? 0) + items.length > MAX_TRANSACTION_ITEMS) chunks.push([]);
          chunks.at(-1)?.push(...items);
        }
        for (const chunk of chunks) if (chunk.length > 0) await sendTransaction(this.db, chunk);
        return inputs.map(() => undefined);
      },
      { cache: false },
    );
  }

  /** The transaction items that append one entry, for a write to hold in its own transaction. */
  entry(input: AuditInput): TxItem[] {
    const record: AuditRecord = {
      id: randomUUID(),
      at: input.at,
      actor: { subject: input.actor.subject, roles: input.actor.roles, agencyId: input.actor.agencyId },
      action: input.action,
      entityId: input.entityId,
      changes: diff(input),
      ownerAgencyIds: [...new Set(input.ownerAgencyIds)],
      ...(input.facts ? { facts: input.facts } : {}),
    };
    return auditEntryEntity.append(record);
  }

  /** Appends the entry of an audited read; the entries of one tick share one transaction. */
  appendRead(input: AuditInput): Promise<void> {
    return this.reads.load(input);
  }

  /**
   * A page of an entity's entries, newest first; with `ownerAgencyId`, only the entries about that
   * agency's own entities, read from its own view: one Query a page, however many entries it may not see.
   */
  trail(entityId: string, ownerAgencyId: string | null, first: number | null | undefined, after: string | null | undefined) {
    return queryPage(this.db, {
      table: 'audit',
      keyCondition: 'pk = :pk',
      values: { ':pk': ownerAgencyId ? auditEntryEntity.ownerTrailPk(entityId, ownerAgencyId) : auditEntryEntity.trailPk(entityId) },
      forward: false,
      scope: `audit:${entityId}:${ownerAgencyId ?? '*'}`,
      first,
      after,
      parse: auditEntryEntity.parse,
    });
  }
}
