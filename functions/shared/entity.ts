import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainError } from './errors.js';
import type { TableId } from './tables.js';

/**
 * The building blocks of the entities: one module per stored item type (functions/<domain>/entities/)
 * owns its key, its index keys, `toItem(record)` and `parse(item)`, and the transaction items that
 * change it with their conditions. Repositories, one per table, read and write through them; nobody
 * else composes a key or looks inside an item.
 */

/** An item as the document client gives it: attribute names to JS values (a Number past 2^53 is a bigint). */
export type Item = Readonly<Record<string, unknown>>;

export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** An item of a table whose shape its entity does not recognise: a programming or migration error, never the caller's. */
export class StoredItemError extends Error {
  constructor(entity: string, field: string, expected: string) {
    super(`Stored ${entity} item: ${field} is not ${expected}`);
    this.name = 'StoredItemError';
  }
}

/**
 * Reads the fields of one stored item, each checked against the type its entity expects, so a
 * parsed record is what its type says without a cast.
 */
export class Fields {
  constructor(
    private readonly item: Item,
    private readonly entity: string,
  ) {}

  private fail(name: string, expected: string): never {
    throw new StoredItemError(this.entity, name, expected);
  }

  has(name: string): boolean {
    return this.item[name] !== undefined && this.item[name] !== null;
  }

  string(name: string): string {
    const v = this.item[name];
    return typeof v === 'string' ? v : this.fail(name, 'a string');
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  nullableString(name: string): string | null {
    return this.has(name) ? this.string(name) : null;
  }

  int(name: string): number {
    const v = this.item[name];
    return typeof v === 'number' && Number.isInteger(v) ? v : this.fail(name, 'an integer');
  }

  /** A finite number (an indicator's value). */
  number(name: string): number {
    const v = this.item[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(name, 'a number');
  }

  nullableInt(name: string): number | null {
    return this.has(name) ? this.int(name) : null;
  }

  /** A count kept by ADD: absent until first moved, which is zero. */
  count(name: string): number {
    return this.has(name) ? this.int(name) : 0;
  }

  /** Money in øre: exact whatever its size (the client gives a bigint past 2^53); absent is zero. */
  ore(name: string): bigint {
    const v = this.item[name];
    if (v === undefined || v === null) return 0n;
    if (typeof v === 'bigint') return v;
    return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : this.fail(name, 'an amount in øre');
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const v = this.item[name];
    const found = values.find((x) => x === v);
    return found ?? this.fail(name, `one of ${values.join(', ')}`);
  }

  strings(name: string): string[] {
    return this.list(name).map((v) => (typeof v === 'string' ? v : this.fail(name, 'a list of strings')));
  }

  ints(name: string): number[] {
    return this.list(name).map((v) => (typeof v === 'number' && Number.isInteger(v) ? v : this.fail(name, 'a list of integers')));
  }

  oneOfList<T extends string>(name: string, values: readonly T[]): T[] {
    return this.list(name).map((v) => values.find((x) => x === v) ?? this.fail(name, `a list of ${values.join(', ')}`));
  }

  /** A list of maps, each read by `read`. */
  objects<T>(name: string, read: (fields: Fields) => T): T[] {
    return this.list(name).map((v) => read(new Fields(this.mapValue(name, v), `${this.entity}.${name}`)));
  }

  /** A map read by `read`; undefined when absent. */
  optionalObject<T>(name: string, read: (fields: Fields) => T): T | undefined {
    return this.has(name) ? read(new Fields(this.mapValue(name, this.item[name]), `${this.entity}.${name}`)) : undefined;
  }

  /**
   * A map of string keys to values of a known set, e.g. agency id → role. Its keys are ids, and ids
   * index it: the map has no prototype, so `map.constructor` is nothing and a key `__proto__` is a key.
   */
  mapOf<T extends string>(name: string, values: readonly T[]): Record<string, T> {
    const map = this.has(name) ? this.mapValue(name, this.item[name]) : {};
    const out: Record<string, T> = Object.create(null);
    for (const [k, v] of Object.entries(map)) out[k] = values.find((x) => x === v) ?? this.fail(`${name}.${k}`, values.join(' | '));
    return out;
  }

  /** A map of string keys to integers, e.g. counters; without a prototype, as `mapOf`. */
  counts(name: string): Record<string, number> {
    const map = this.has(name) ? this.mapValue(name, this.item[name]) : {};
    const out: Record<string, number> = Object.create(null);
    for (const [k, v] of Object.entries(map))
      out[k] = typeof v === 'number' && Number.isInteger(v) ? v : this.fail(`${name}.${k}`, 'an integer');
    return out;
  }

  /** A map of string keys to strings or numbers (an audit entry's facts); without a prototype, as `mapOf`. */
  facts(name: string): Record<string, string | number> {
    const map = this.has(name) ? this.mapValue(name, this.item[name]) : {};
    const out: Record<string, string | number> = Object.create(null);
    for (const [k, v] of Object.entries(map))
      out[k] = typeof v === 'string' || typeof v === 'number' ? v : this.fail(`${name}.${k}`, 'a string or a number');
    return out;
  }

  /** A map of string keys to days (YYYY-MM-DD), e.g. agency id → day assigned; without a prototype, as `mapOf`. */
  dates(name: string): Record<string, string> {
    const map = this.has(name) ? this.mapValue(name, this.item[name]) : {};
    const out: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(map))
      out[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : this.fail(`${name}.${k}`, 'a day');
    return out;
  }

  private list(name: string): readonly unknown[] {
    const v = this.item[name];
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : this.fail(name, 'a list');
  }

  private mapValue(name: string, v: unknown): Item {
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Item) : this.fail(name, 'a map');
  }
}

type Native = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type WithoutTable<T> = Omit<NonNullable<T>, 'TableName'>;

/** One operation of a write transaction, without its table's physical name (the repository knows it). */
export type TxOp =
  | { readonly Put: WithoutTable<Native['Put']> }
  | { readonly Update: WithoutTable<Native['Update']> }
  | { readonly Delete: WithoutTable<Native['Delete']> }
  | { readonly ConditionCheck: WithoutTable<Native['ConditionCheck']> };

/** One item of a write transaction, and the domain error to raise when its condition fails. */
export interface TxItem {
  readonly table: TableId;
  readonly op: TxOp;
  /** Given the item as stored (when the operation asked for it), the error its failed condition means. */
  readonly onConditionFailed?: (stored: Item | undefined) => DomainError;
}

/** Puts an item only where none is: the condition of every "create". */
export function putNew(table: TableId, item: Item, onConditionFailed?: (stored: Item | undefined) => DomainError): TxItem {
  return {
    table,
    op: { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}

/** A counter that a write raises by one, held below `max`: the write fails with `error` at the cap. */
export interface Cap {
  readonly max: number;
  readonly error: () => DomainError;
}

/**
 * Raises a counter item's `n` by one, in the transaction of the write that adds what it counts; with a cap, its
 * condition holds `n` below the maximum, so racing writers at the cap minus one land one of them. An item not yet
 * stored counts from 0 (a migration sets counters for data stored before them).
 */
export function countUp(table: TableId, key: Key, cap?: Cap): TxItem {
  return {
    table,
    op: {
      Update: {
        Key: key,
        UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ...(cap ? { ':max': cap.max } : {}) },
        ...(cap ? { ConditionExpression: 'attribute_not_exists(n) OR n < :max' } : {}),
      },
    },
    ...(cap ? { onConditionFailed: () => cap.error() } : {}),
  };
}

/** Sets a counter item's `n` outright (a migration's recount). */
export function countSet(table: TableId, key: Key, n: number): TxItem {
  return { table, op: { Put: { Item: { ...key, n } } } };
}

/** Puts an item whatever is there. */
export function put(table: TableId, item: Item): TxItem {
  return { table, op: { Put: { Item: item } } };
}

export function remove(table: TableId, key: Key): TxItem {
  return { table, op: { Delete: { Key: key } } };
}

/** The part of an item that is its key. */
export function keyOf(item: Item): Key {
  const { pk, sk } = item;
  if (typeof pk !== 'string' || typeof sk !== 'string') throw new StoredItemError('item', 'pk/sk', 'a string key');
  return { pk, sk };
}

/**
 * The condition that an item is stored as read: at `version`, or, for an item read without one (stored
 * before it could change), still without one.
 */
export function atStoredVersion(version: number | undefined) {
  return version === undefined
    ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' }
    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } };
}
