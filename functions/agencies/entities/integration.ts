import { type Cap, countUp, Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { roles, scopes } from '../../shared/viewer.js';
import { type IntegrationRecord, integrationStatuses } from '../integrations.model.js';

/**
 * An entry of the integrations registry (`INTEGRATION#<clientId>` / `INTEGRATION`), beside the agency directory in
 * the responsibilities table. Active entries are listed by name in gsi2 under `INTEGRATIONS`; a revoked one keeps
 * its item (its audit trail and its refusal stay) but leaves the listing and the count that holds it to its cap.
 */
export const integrationEntity = {
  table: 'responsibilities',
  key: (clientId: string) => ({ pk: `INTEGRATION#${clientId}`, sk: 'INTEGRATION' }),
  directoryPk: 'INTEGRATIONS',

  toItem(r: IntegrationRecord): Item {
    return {
      ...integrationEntity.key(r.clientId),
      ...(r.status === 'ACTIVE' ? { gsi2pk: integrationEntity.directoryPk, gsi2sk: `${r.name}#${r.clientId}` } : {}),
      clientId: r.clientId,
      name: r.name,
      role: r.role,
      ...(r.agencyId !== null ? { agencyId: r.agencyId } : {}),
      scopes: [...r.scopes],
      status: r.status,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      ...provenanceAttribute(r.provenance),
    };
  },

  parse(item: Item): IntegrationRecord {
    const f = new Fields(item, 'integration');
    return {
      clientId: f.string('clientId'),
      name: f.string('name'),
      role: f.oneOf('role', roles),
      agencyId: f.nullableString('agencyId'),
      scopes: f.oneOfList('scopes', scopes),
      status: f.oneOf('status', integrationStatuses),
      version: f.int('version'),
      createdAt: f.string('createdAt'),
      updatedAt: f.string('updatedAt'),
      ...readProvenance(f),
    };
  },

  /** The count of active entries (`INTEGRATIONS` / `COUNT`, attribute `n`), raised by each registration and held to a cap. */
  countKey: { pk: 'INTEGRATIONS', sk: 'COUNT' },
  counted(cap?: Cap): TxItem {
    return countUp('responsibilities', integrationEntity.countKey, cap);
  },
  /** A revocation frees its place under the cap. */
  uncounted(): TxItem {
    return {
      table: 'responsibilities',
      op: {
        Update: {
          Key: integrationEntity.countKey,
          UpdateExpression: 'SET n = if_not_exists(n, :one) - :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    };
  },

  create(r: IntegrationRecord): TxItem {
    return putNew(
      'responsibilities',
      integrationEntity.toItem(r),
      () => new ConflictError(`The client ${r.clientId} is registered already.`, { field: 'clientId' }),
    );
  },

  /** Replaces an entry read at `current.version`; another change in between is a CONFLICT naming the version now stored. */
  replace(current: IntegrationRecord, next: IntegrationRecord): TxItem {
    return {
      table: 'responsibilities',
      op: {
        Put: {
          Item: integrationEntity.toItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored
          ? new ConflictError(`The integration has changed since version ${current.version}; read it again.`, {
              field: 'expectedVersion',
              currentVersion: stored.version ?? current.version,
            })
          : new NotFoundError(`There is no integration ${current.clientId}.`, 'clientId'),
    };
  },
} as const;
