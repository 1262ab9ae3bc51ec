import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { type MeasureRecord, type MeasureStatus, measureOrderKey, measureStatuses, responsibilityRoles } from '../plans.model.js';
import { measureGoalEntity } from './measure-goal.js';
import { measureNumberEntity } from './measure-number.js';
import { type CounterCap, counterDeltas, mergeDeltas, planStatsEntity } from './plan-stats.js';

export const planMeasuresPk = (planId: string) => `PLAN#${planId}#M`;
export const planMeasuresByStatusPk = (planId: string, status: MeasureStatus) => `PLAN#${planId}#M#S#${status}`;
export const planNoLeadPk = (planId: string) => `PLAN#${planId}#NOLEAD`;

/** How a replacement whose version condition failed is reported. */
export interface ReplaceOptions {
  /** The version the caller read; the stored one must still be it. */
  readonly expectedVersion: number;
  /** A LEAD assignment: the condition also demands that no other agency leads. */
  readonly claimsLead?: boolean;
  /**
   * `expectedVersion`: the client's version is stale (CONFLICT naming it). `retry`: the server's own
   * read went stale under a racing writer (a retryable CONFLICT; the resolver reads again).
   */
  readonly stale: 'expectedVersion' | 'retry';
  /** The input field that named the measure, for NOT_FOUND. */
  readonly idField: string;
  /** More of the plan's counters to move in the same update of its stats item (one item is written once per transaction). */
  readonly counters?: readonly (readonly [string, number])[];
}

/**
 * A measure (`MEASURE#<id>` / `MEASURE`): in its plan's listing (gsi1) and the listing by status
 * (gsi2) in plan order, and, while no agency leads it, in the sparse gap list (gsi3). It carries
 * its responsibilities, so the LEAD is unique by a condition on this one item.
 */
export const measureEntity = {
  table: 'measures',
  key: (id: string) => ({ pk: `MEASURE#${id}`, sk: 'MEASURE' }),

  /** The index keys, derived from the fields so that they can never disagree with them. */
  indexKeys(m: Pick<MeasureRecord, 'id' | 'planId' | 'number' | 'status' | 'leadAgencyId'>) {
    const order = measureOrderKey(m.number, m.id);
    return {
      gsi1pk: planMeasuresPk(m.planId),
      gsi1sk: order,
      gsi2pk: planMeasuresByStatusPk(m.planId, m.status),
      gsi2sk: order,
      ...(m.leadAgencyId ? {} : { gsi3pk: planNoLeadPk(m.planId), gsi3sk: order }),
    };
  },

  toItem(m: MeasureRecord): Item {
    return {
      ...measureEntity.key(m.id),
      ...measureEntity.indexKeys(m),
      id: m.id,
      planId: m.planId,
      number: m.number,
      title: m.title,
      description: m.description,
      status: m.status,
      version: m.version,
      updatedAt: m.updatedAt,
      goalNumbers: [...m.goalNumbers],
      ...(m.leadAgencyId ? { leadAgencyId: m.leadAgencyId } : {}),
      responsibilities: { ...m.responsibilities },
      ...(m.continues ? { continues: m.continues } : {}),
      ...(m.assignedOn && Object.keys(m.assignedOn).length > 0 ? { assignedOn: { ...m.assignedOn } } : {}),
      ...(m.source !== undefined ? { source: m.source } : {}),
      ...provenanceAttribute(m.provenance),
    };
  },

  parse(item: Item): MeasureRecord {
    const f = new Fields(item, 'measure');
    const leadAgencyId = f.optionalString('leadAgencyId');
    const source = f.optionalString('source');
    return {
      id: f.string('id'),
      planId: f.string('planId'),
      number: f.nullableInt('number'),
      title: f.string('title'),
      description: f.nullableString('description'),
      status: f.oneOf('status', measureStatuses),
      version: f.int('version'),
      updatedAt: f.string('updatedAt'),
      goalNumbers: f.ints('goalNumbers'),
      ...(leadAgencyId !== undefined ? { leadAgencyId } : {}),
      responsibilities: f.mapOf('responsibilities', responsibilityRoles),
      ...(f.has('continues') ? { continues: f.string('continues') } : {}),
      ...(f.has('assignedOn') ? { assignedOn: f.dates('assignedOn') } : {}),
      ...(source !== undefined ? { source } : {}),
      ...readProvenance(f),
    };
  },

  /** A new measure with its goal links, its number's uniqueness marker and the plan's counters (held to `caps`). */
  create(m: MeasureRecord, caps: readonly CounterCap[] = []): TxItem[] {
    return [
      putNew('measures', measureEntity.toItem(m), () => new ConflictError(`A measure with id ${m.id} exists.`, { field: 'id' })),
      ...m.goalNumbers.map((g) => measureGoalEntity.put(m, g)),
      ...(m.number === null ? [] : [measureNumberEntity.claim(m.planId, m.number, m.id)]),
      ...[planStatsEntity.move(m.planId, counterDeltas(null, m), caps)].filter((i) => i !== null),
    ];
  },

  /**
   * Replaces a measure read at `expectedVersion` by `next`, with its goal links and the plan's
   * counters. The version condition makes the state read the one replaced, so the links and counters
   * computed from it are exact. Every writer of a measure (plans, responsibilities, reports) uses this.
   */
  replace(current: MeasureRecord, next: MeasureRecord, options: ReplaceOptions): TxItem[] {
    const removedGoals = current.goalNumbers.filter((g) => !next.goalNumbers.includes(g));
    const statusChanged = current.status !== next.status;
    const keptOrAdded = next.goalNumbers.filter((g) => statusChanged || !current.goalNumbers.includes(g));
    const lead = options.claimsLead ? ' AND (attribute_not_exists(leadAgencyId) OR leadAgencyId = :agency)' : '';
    const measure: TxItem = {
      table: 'measures',
      op: {
        Put: {
          Item: measureEntity.toItem(next),
          ConditionExpression: `version = :expected${lead}`,
          ExpressionAttributeValues: {
            ':expected': options.expectedVersion,
            ...(options.claimsLead ? { ':agency': next.leadAgencyId } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no measure ${next.id}.`, options.idField);
        const other = stored.leadAgencyId;
        if (options.claimsLead && typeof other === 'string' && other !== next.leadAgencyId) {
          return new ConflictError(`The measure already has a LEAD (${other}); make it SHARED or remove it first.`, {
            field: 'role',
            leadAgencyId: other,
          });
        }
        return options.stale === 'retry'
          ? new ConflictError('The measure changed while this was being stored; please retry.', {
              retryable: true,
              currentVersion: stored.version,
            })
          : new ConflictError(
              `The measure has changed since version ${options.expectedVersion}; it is now at version ${String(stored.version)}.`,
              { field: 'expectedVersion', currentVersion: stored.version },
            );
      },
    };
    return [
      measure,
      ...removedGoals.map((g) => measureGoalEntity.remove(next.id, g)),
      ...keptOrAdded.map((g) => measureGoalEntity.put(next, g)),
      ...[planStatsEntity.move(next.planId, mergeDeltas([...counterDeltas(current, next), ...(options.counters ?? [])]))].filter(
        (i) => i !== null,
      ),
    ];
  },

  /** Holds the transaction to the measure as read: a racing change makes the write retry from a fresh read. */
  unchanged(m: MeasureRecord): TxItem {
    return {
      table: 'measures',
      op: {
        ConditionCheck: {
          Key: measureEntity.key(m.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': m.version },
        },
      },
      onConditionFailed: () => new ConflictError('The measure changed while this was being stored; please retry.', { retryable: true }),
    };
  },
} as const;
