import { Fields, type Item, keyOf, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { assistanceServices, type CapacityFigures, type ShelterRecord, targetGroups } from '../shelters.model.js';
import { shelterListingEntity } from './shelter-listing.js';

const readFigures = (f: Fields): CapacityFigures => ({
  date: f.string('date'),
  capacity: f.int('capacity'),
  occupied: f.int('occupied'),
  revision: f.int('revision'),
});

const stale = () => new ConflictError('The shelter changed while this was being stored; please retry.', { retryable: true });

/**
 * A shelter's profile (`SHELTER#<id>` / `PROFILE`), with its most recent capacity report kept on it
 * (`latest`) by the report's own transaction. Found through its listing items.
 */
export const shelterEntity = {
  table: 'shelters',
  key: (id: string) => ({ pk: `SHELTER#${id}`, sk: 'PROFILE' }),

  toItem(s: ShelterRecord): Item {
    return {
      ...shelterEntity.key(s.id),
      id: s.id,
      name: s.name,
      operatorId: s.operatorId,
      region: s.region,
      municipality: s.municipality,
      address: s.address,
      targetGroups: [...s.targetGroups],
      services: [...s.services],
      measureIds: [...s.measureIds],
      version: s.version,
      updatedAt: s.updatedAt,
      ...(s.latest ? { latest: { ...s.latest } } : {}),
      ...(s.source !== undefined ? { source: s.source } : {}),
      ...provenanceAttribute(s.provenance),
    };
  },

  /** Whether a stored item is a shelter's profile (for jobs that read the whole table). */
  isProfile(item: Item): boolean {
    return keyOf(item).sk === 'PROFILE';
  },

  parse(item: Item): ShelterRecord {
    const f = new Fields(item, 'shelter');
    const latest = f.optionalObject('latest', readFigures);
    const source = f.optionalString('source');
    return {
      id: f.string('id'),
      name: f.string('name'),
      operatorId: f.string('operatorId'),
      region: f.string('region'),
      municipality: f.nullableString('municipality'),
      address: f.nullableString('address'),
      targetGroups: f.oneOfList('targetGroups', targetGroups),
      services: f.oneOfList('services', assistanceServices),
      measureIds: f.strings('measureIds'),
      version: f.int('version'),
      updatedAt: f.string('updatedAt'),
      ...(latest ? { latest } : {}),
      ...(source !== undefined ? { source } : {}),
      ...readProvenance(f),
    };
  },

  /** A new shelter with its listing items. */
  register(s: ShelterRecord): TxItem[] {
    return [
      putNew('shelters', shelterEntity.toItem(s), () => new ConflictError(`A shelter with id ${s.id} exists.`)),
      ...shelterListingEntity.replace(null, s),
    ];
  },

  /**
   * Replaces a profile read at `expectedVersion`, and its listing items. The profile's own fields
   * only: `latest` belongs to capacity reports, which do not bump the version, so a Put of the
   * profile as read could put back an older report.
   */
  update(current: ShelterRecord, next: ShelterRecord, expectedVersion: number): TxItem[] {
    const profile: TxItem = {
      table: 'shelters',
      op: {
        Update: {
          Key: shelterEntity.key(next.id),
          UpdateExpression:
            'SET #name = :name, municipality = :municipality, address = :address, targetGroups = :targets, services = :services, measureIds = :measures, version = :version, updatedAt = :at',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': next.name,
            ':municipality': next.municipality,
            ':address': next.address,
            ':targets': [...next.targetGroups],
            ':services': [...next.services],
            ':measures': [...next.measureIds],
            ':version': next.version,
            ':at': next.updatedAt,
            ':expected': expectedVersion,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) =>
        stored
          ? new ConflictError(`The shelter has changed since version ${expectedVersion}; it is now at version ${String(stored.version)}.`, {
              field: 'expectedVersion',
              currentVersion: stored.version,
            })
          : new NotFoundError(`There is no shelter ${next.id}.`, 'id'),
    };
    return [profile, ...shelterListingEntity.replace(current, next)];
  },

  /**
   * Makes a report the profile's latest when it is for the latest day, else only checks the
   * operator. Either way the profile must still hold what was read, so a racing report retries.
   */
  reportOn(shelter: ShelterRecord, figures: CapacityFigures): TxItem {
    const latest = shelter.latest;
    const key = shelterEntity.key(shelter.id);
    if (latest && figures.date < latest.date) {
      return {
        table: 'shelters',
        op: {
          ConditionCheck: {
            Key: key,
            ConditionExpression: 'operatorId = :operator',
            ExpressionAttributeValues: { ':operator': shelter.operatorId },
          },
        },
        onConditionFailed: stale,
      };
    }
    return {
      table: 'shelters',
      op: {
        Update: {
          Key: key,
          UpdateExpression: 'SET latest = :latest',
          ConditionExpression: `operatorId = :operator AND ${latest ? 'latest.#date = :readDate AND latest.revision = :readRev' : 'attribute_not_exists(latest)'}`,
          ...(latest ? { ExpressionAttributeNames: { '#date': 'date' } } : {}),
          ExpressionAttributeValues: {
            ':latest': { date: figures.date, capacity: figures.capacity, occupied: figures.occupied, revision: figures.revision },
            ':operator': shelter.operatorId,
            ...(latest ? { ':readDate': latest.date, ':readRev': latest.revision } : {}),
          },
        },
      },
      onConditionFailed: stale,
    };
  },

  /** The profile as a report leaves it. */
  afterReport(shelter: ShelterRecord, figures: CapacityFigures): ShelterRecord {
    return shelter.latest && figures.date < shelter.latest.date ? shelter : { ...shelter, latest: figures };
  },

  stale,
} as const;

export { readFigures };
