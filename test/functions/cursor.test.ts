import { describe, expect, it } from 'vitest';
import { Cursors, pageSize } from '../../functions/shared/cursor.js';
import { BadUserInputError } from '../../functions/shared/errors.js';

const cursors = new Cursors('k'.repeat(40));

describe('cursors', () => {
  it('round-trip the key of their list', () => {
    const key = { pk: 'MEASURE#a', sk: 'REPORT#2012', n: 3 };
    expect(cursors.decode('list-a', cursors.encode('list-a', key))).toEqual(key);
  });

  it('refuse a cursor of another list', () => {
    const cursor = cursors.encode('list-a', { pk: 'x' });
    expect(() => cursors.decode('list-b', cursor)).toThrow(BadUserInputError);
  });

  it('refuse an altered cursor', () => {
    const cursor = cursors.encode('list-a', { pk: 'MEASURE#a' });
    const [body, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ pk: 'MEASURE#b' })).toString('base64url');
    expect(() => cursors.decode('list-a', `${forged}.${mac}`)).toThrow(/not valid/);
    expect(() => cursors.decode('list-a', `${body}.${mac}x`)).toThrow(/not valid/);
    expect(() => cursors.decode('list-a', 'garbage')).toThrow(/not valid/);
  });

  it('refuse a cursor signed with another key', () => {
    const other = new Cursors('o'.repeat(40));
    expect(() => cursors.decode('list-a', other.encode('list-a', { pk: 'x' }))).toThrow(/not valid/);
  });
});

describe('cursors across a key rotation', () => {
  const before = 'b'.repeat(40);
  const after = 'a'.repeat(40);

  it('accept a cursor signed with the previous key, and sign new ones with the current key', () => {
    // Prepare: a cursor handed out before the rotation.
    const old = new Cursors(before).encode('list-a', { pk: 'MEASURE#a' });

    // Act
    const rotated = new Cursors(after, [before]);
    const fresh = rotated.encode('list-a', { pk: 'MEASURE#a' });

    // Assess
    expect(rotated.decode('list-a', old)).toEqual({ pk: 'MEASURE#a' });
    expect(new Cursors(after).decode('list-a', fresh)).toEqual({ pk: 'MEASURE#a' });
    expect(() => new Cursors(before).decode('list-a', fresh)).toThrow(/not valid/);
  });

  it('refuse a cursor signed with a key older than the previous one', () => {
    const ancient = new Cursors('o'.repeat(40)).encode('list-a', { pk: 'x' });
    expect(() => new Cursors(after, [before]).decode('list-a', ancient)).toThrow(BadUserInputError);
  });

  it('refuse a cursor of another list with the previous key too', () => {
    const old = new Cursors(before).encode('list-a', { pk: 'x' });
    expect(() => new Cursors(after, [before]).decode('list-b', old)).toThrow(/not valid/);
  });
});

describe('page size', () => {
  it('defaults to 20 and accepts 1 to 100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
  });

  it.each([0, -1, 101, 1.5])('refuses %s', (n) => {
    expect(() => pageSize(n)).toThrow(BadUserInputError);
  });
});
