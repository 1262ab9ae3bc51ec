import { atStoredVersion, type Cap, countUp, Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { type AgencyRecord, agencyKinds } from '../agencies.model.js';

/** An agency of the directory (`AGENCY#<id>` / `AGENCY`), listed by name in gsi2 under `AGENCIES`. */
export const agencyEntity = {
  table: 'responsibilities',
  key: (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'AGENCY' }),
  directoryPk: 'AGENCIES',

  toItem(a: AgencyRecord): Item {
    return {
      ...agencyEntity.key(a.id),
      gsi2pk: agencyEntity.directoryPk,
      gsi2sk: `${a.name}#${a.id}`,
      id: a.id,
      name: a.name,
      kind: a.kind,
      ...(a.parentId !== undefined ? { parentId: a.parentId } : {}),
      ...(a.source !== undefined ? { source: a.source } : {}),
      ...(a.shortName ? { shortName: a.shortName } : {}),
      ...(a.organizationNumber ? { organizationNumber: a.organizationNumber } : {}),
      ...(a.contactEmail ? { contactEmail: a.contactEmail } : {}),
      ...(a.names ? { names: a.names.map((n) => ({ name: n.name, ...(n.validFrom ? { validFrom: n.validFrom } : {}) })) } : {}),
      ...(a.version !== undefined ? { version: a.version } : {}),
      ...provenanceAttribute(a.provenance),
    };
  },

  parse(item: Item): AgencyRecord {
    const f = new Fields(item, 'agency');
    const parentId = f.optionalString('parentId');
    const source = f.optionalString('source');
    const names = f.has('names')
      ? f.objects('names', (n) => ({ name: n.string('name'), validFrom: n.nullableString('validFrom') }))
      : undefined;
    return {
      id: f.string('id'),
      name: f.string('name'),
      kind: f.oneOf('kind', agencyKinds),
      ...(parentId !== undefined ? { parentId } : {}),
      ...(source !== undefined ? { source } : {}),
      shortName: f.nullableString('shortName'),
      organizationNumber: f.nullableString('organizationNumber'),
      contactEmail: f.nullableString('contactEmail'),
      ...(names !== undefined ? { names } : {}),
      ...(f.has('version') ? { version: f.int('version') } : {}),
      ...readProvenance(f),
    };
  },

  /** The count of the directory's agencies (`AGENCIES` / `COUNT`, attribute `n`), raised by each new agency and held to a cap. */
  countKey: { pk: 'AGENCIES', sk: 'COUNT' },
  counted(cap?: Cap): TxItem {
    return countUp('responsibilities', agencyEntity.countKey, cap);
  },

  create(a: AgencyRecord): TxItem {
    return putNew('responsibilities', agencyEntity.toItem(a), () => new ConflictError(`Agency ${a.id} exists.`, { field: 'id' }));
  },

  /** The condition that the agency is stored as read: at its version, or still without one (stored before agencies changed). */
  atVersion: (a: AgencyRecord) => atStoredVersion(a.version),

  /** Replaces an agency read at `current.version` (an agency stored without a version is at 1). */
  replace(current: AgencyRecord, next: AgencyRecord): TxItem {
    const version = current.version ?? 1;
    return {
      table: 'responsibilities',
      op: {
        Put: {
          Item: agencyEntity.toItem(next),
          ...agencyEntity.atVersion(current),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored
          ? new ConflictError(`The agency has changed since version ${version}; read it again.`, {
              field: 'expectedVersion',
              currentVersion: stored.version ?? 1,
            })
          : new NotFoundError(`There is no agency ${current.id}.`, 'id'),
    };
  },

  /** Holds the transaction to an ancestor as read, so two racing re-parentings cannot close a cycle. */
  unchanged(a: AgencyRecord): TxItem {
    return {
      table: 'responsibilities',
      op: { ConditionCheck: { Key: agencyEntity.key(a.id), ...agencyEntity.atVersion(a) } },
      onConditionFailed: () =>
        new ConflictError('An agency above this one changed while this was being stored; please retry.', { retryable: true }),
    };
  },
} as const;
