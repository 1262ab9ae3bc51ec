import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { roles } from '../../shared/viewer.js';
import type { AuditRecord } from '../audit.model.js';

/**
 * An append-only audit entry: once in the entity's trail (`ENTITY#<id>`), and once in each owner
 * agency's view of that trail (`ENTITY#<id>#OWNER#<agency>`), so that an agency pages through
 * exactly the entries about its own entities. The sort key begins with the instant: read
 * backwards, newest first.
 */
export const auditEntryEntity = {
  table: 'audit',
  trailPk: (entityId: string) => `ENTITY#${entityId}`,
  ownerTrailPk: (entityId: string, agencyId: string) => `ENTITY#${entityId}#OWNER#${agencyId}`,
  sk: (at: string, id: string) => `${at}#${id}`,

  /** The entry's items, each put only where none is (entries are never replaced). */
  append(record: AuditRecord): TxItem[] {
    const sk = auditEntryEntity.sk(record.at, record.id);
    const pks = [
      auditEntryEntity.trailPk(record.entityId),
      ...record.ownerAgencyIds.map((o) => auditEntryEntity.ownerTrailPk(record.entityId, o)),
    ];
    return pks.map((pk) => putNew('audit', { pk, sk, ...auditEntryEntity.fields(record) }));
  },

  fields(r: AuditRecord): Item {
    return {
      id: r.id,
      at: r.at,
      actor: { subject: r.actor.subject, roles: [...r.actor.roles], agencyId: r.actor.agencyId },
      action: r.action,
      entityId: r.entityId,
      changes: r.changes,
      ownerAgencyIds: [...r.ownerAgencyIds],
      ...(r.facts ? { facts: { ...r.facts } } : {}),
    };
  },

  parse(item: Item): AuditRecord {
    const f = new Fields(item, 'audit entry');
    const actor = f.optionalObject('actor', (a) => ({
      subject: a.string('subject'),
      roles: a.oneOfList('roles', roles),
      agencyId: a.nullableString('agencyId'),
    }));
    if (!actor) throw new Error('Stored audit entry without an actor');
    return {
      id: f.string('id'),
      at: f.string('at'),
      actor,
      action: f.string('action'),
      entityId: f.string('entityId'),
      changes: f.nullableString('changes'),
      ownerAgencyIds: f.strings('ownerAgencyIds'),
      ...(f.has('facts') ? { facts: f.facts('facts') } : {}),
    };
  },
} as const;
