import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { IndicatorRecord, MilestoneRecord } from '../plans.model.js';
import { indicatorDirections } from '../plans.model.js';

/** The measure a milestone or indicator id names: ids are `<measureId>#M#<n>` and `<measureId>#I#<n>`. */
export function measureIdOf(id: string, kind: 'M' | 'I'): string | null {
  const at = id.lastIndexOf(`#${kind}#`);
  return at > 0 ? id.slice(0, at) : null;
}

/** A version condition on an item read at `version`, NOT_FOUND when it is gone, CONFLICT when it moved on. */
function atVersion(item: Item, version: number, what: string, idField: string): TxItem {
  return {
    table: 'measures',
    op: {
      Put: {
        Item: item,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': version },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (stored) =>
      stored
        ? new ConflictError(`The ${what} has changed since version ${version}; it is now at version ${String(stored.version)}.`, {
            field: 'expectedVersion',
            currentVersion: stored.version,
          })
        : new NotFoundError(`There is no ${what} ${String(item.id)}.`, idField),
  };
}

/** A milestone of a measure (`MEASURE#<id>` / `MILESTONE#<milestoneId>`), in the measure's item collection. */
export const milestoneEntity = {
  table: 'measures',
  key: (measureId: string, id: string) => ({ pk: `MEASURE#${measureId}`, sk: `MILESTONE#${id}` }),
  prefix: 'MILESTONE#',

  toItem(m: MilestoneRecord): Item {
    return {
      ...milestoneEntity.key(m.measureId, m.id),
      id: m.id,
      measureId: m.measureId,
      planId: m.planId,
      title: m.title,
      dueDate: m.dueDate,
      ...(m.doneOn !== null ? { doneOn: m.doneOn } : {}),
      addedOn: m.addedOn,
      version: m.version,
      updatedAt: m.updatedAt,
    };
  },

  parse(item: Item): MilestoneRecord {
    const f = new Fields(item, 'milestone');
    return {
      id: f.string('id'),
      measureId: f.string('measureId'),
      planId: f.string('planId'),
      title: f.string('title'),
      dueDate: f.string('dueDate'),
      doneOn: f.nullableString('doneOn'),
      addedOn: f.string('addedOn'),
      version: f.int('version'),
      updatedAt: f.string('updatedAt'),
    };
  },

  create(m: MilestoneRecord): TxItem {
    return putNew('measures', milestoneEntity.toItem(m), () => new ConflictError(`A milestone with id ${m.id} exists.`, { field: 'id' }));
  },

  replace(current: MilestoneRecord, next: MilestoneRecord): TxItem {
    return atVersion(milestoneEntity.toItem(next), current.version, 'milestone', 'id');
  },
} as const;

/** An indicator of a measure with its values (`MEASURE#<id>` / `INDICATOR#<indicatorId>`); its values are bounded by the plan's periods. */
export const indicatorEntity = {
  table: 'measures',
  key: (measureId: string, id: string) => ({ pk: `MEASURE#${measureId}`, sk: `INDICATOR#${id}` }),
  prefix: 'INDICATOR#',

  toItem(i: IndicatorRecord): Item {
    return {
      ...indicatorEntity.key(i.measureId, i.id),
      id: i.id,
      measureId: i.measureId,
      planId: i.planId,
      name: i.name,
      unit: i.unit,
      baseline: i.baseline,
      target: i.target,
      direction: i.direction,
      values: i.values.map((v) => ({ period: v.period, value: v.value, ...(v.comment !== null ? { comment: v.comment } : {}) })),
      version: i.version,
      createdAt: i.createdAt,
    };
  },

  parse(item: Item): IndicatorRecord {
    const f = new Fields(item, 'indicator');
    return {
      id: f.string('id'),
      measureId: f.string('measureId'),
      planId: f.string('planId'),
      name: f.string('name'),
      unit: f.string('unit'),
      baseline: f.number('baseline'),
      target: f.number('target'),
      direction: f.oneOf('direction', indicatorDirections),
      values: f.objects('values', (v) => ({ period: v.string('period'), value: v.number('value'), comment: v.nullableString('comment') })),
      version: f.int('version'),
      createdAt: f.string('createdAt'),
    };
  },

  create(i: IndicatorRecord): TxItem {
    return putNew('measures', indicatorEntity.toItem(i), () => new ConflictError(`An indicator with id ${i.id} exists.`, { field: 'id' }));
  },

  replace(current: IndicatorRecord, next: IndicatorRecord): TxItem {
    return atVersion(indicatorEntity.toItem(next), current.version, 'indicator', 'indicatorId');
  },
} as const;
