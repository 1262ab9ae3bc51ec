import { describe, expect, it } from 'vitest';
import { measureEntity } from '../../functions/plans/entities/measure.js';
import { stageSettings } from '../../functions/shared/config.js';
import { Fields } from '../../functions/shared/entity.js';
import { fromAttributeValues } from '../../functions/shared/transact.js';

/** Maps read from DynamoDB whose keys are ids, and so are indexed by ids from tokens and requests. */
describe('maps keyed by ids', () => {
  // JSON.parse makes `__proto__` an own key, as DynamoDB holds it.
  const stored = JSON.parse('{"roles": {"__proto__": "LEAD", "nav": "SHARED"}, "counts": {"__proto__": 3, "all": 4}}');

  it('have no prototype: an id named after one of its properties finds nothing', () => {
    const roles = new Fields(stored, 'test').mapOf('roles', ['LEAD', 'SHARED']);
    const counts = new Fields(stored, 'test').counts('counts');
    for (const map of [roles, counts] as Record<string, unknown>[]) {
      expect(Object.getPrototypeOf(map)).toBeNull();
      for (const id of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(map[id], id).toBeUndefined();
    }
  });

  it('keep a key named __proto__ as a key, never as the prototype', () => {
    expect(Object.entries(new Fields(stored, 'test').mapOf('roles', ['LEAD', 'SHARED']))).toEqual([
      ['__proto__', 'LEAD'],
      ['nav', 'SHARED'],
    ]);
    expect(Object.entries(new Fields(stored, 'test').counts('counts'))).toEqual([
      ['__proto__', 3],
      ['all', 4],
    ]);
  });

  it("a measure's roles, and a stored item in a cancellation reason, read the same way", () => {
    const item = fromAttributeValues({
      pk: { S: 'MEASURE#m' },
      sk: { S: 'MEASURE' },
      id: { S: 'm' },
      planId: { S: 'p' },
      title: { S: 'T' },
      status: { S: 'PLANNED' },
      version: { N: '1' },
      updatedAt: { S: '2012-01-01T00:00:00.000Z' },
      goalNumbers: { L: [] },
      responsibilities: { M: JSON.parse('{"__proto__": {"S": "LEAD"}}') },
    });
    const measure = measureEntity.parse(item ?? {});
    expect(Object.entries(measure.responsibilities)).toEqual([['__proto__', 'LEAD']]);
    expect((measure.responsibilities as Record<string, unknown>).constructor).toBeUndefined();
  });
});

describe('stage settings', () => {
  it('are production for a stage named after a property of Object.prototype', () => {
    for (const stage of ['constructor', '__proto__', 'toString']) expect(stageSettings(stage), stage).toEqual(stageSettings('prod'));
  });
});
