import { describe, expect, it } from 'vitest';
import { MAX_SHARED_COUNT, parseCount, readCounts } from '../src/metering/counts.js';

// The others' counts as the SHARE_UNCONFIRMED script answers them (src/metering/counts.ts): anyone who can write to
// Redis can put anything there, and whatever is not a member's count must read as nothing, never as a number.
describe('parseCount', () => {
  it('takes whole numbers from 0 to MAX_SHARED_COUNT, as text or as an integer reply', () => {
    expect(parseCount('0')).toBe(0);
    expect(parseCount('7')).toBe(7);
    expect(parseCount(7)).toBe(7);
    expect(parseCount(String(MAX_SHARED_COUNT))).toBe(MAX_SHARED_COUNT);
    expect(parseCount(MAX_SHARED_COUNT)).toBe(MAX_SHARED_COUNT);
    expect(parseCount('0000000012')).toBe(12);
  });

  it.each([
    ['one past the largest', String(MAX_SHARED_COUNT + 1)],
    ['ten digits past it', '9999999999'],
    ['eleven digits', '12345678901'],
    ['negative', '-1'],
    ['fractional', '1.5'],
    ['exponent', '1e3'],
    ['empty', ''],
    ['a space', ' 1'],
    ['a trailing newline', '1\n'],
    ['text', 'lots'],
    ['Infinity', 'Infinity'],
  ])('refuses %s', (_name, text) => {
    expect(parseCount(text)).toBeUndefined();
  });

  it('refuses numbers that are no count, and values that are neither text nor number', () => {
    for (const value of [-1, 1.5, Infinity, Number.NaN, MAX_SHARED_COUNT + 1, null, undefined, {}, ['1'], true])
      expect(parseCount(value)).toBeUndefined();
  });
});

describe('readCounts', () => {
  it('sums the others by member, with the script’s own count of dropped fields first', () => {
    const counts = readCounts([2, 'a', '3', 'b', 4]);
    expect([...counts.byMember]).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
    expect(counts.unconfirmed).toBe(7);
    expect(counts.garbage).toBe(2);
  });

  it('is nothing, with no garbage, for a reply of only a zero', () => {
    expect(readCounts([0])).toEqual({ byMember: new Map(), unconfirmed: 0, garbage: 0 });
    expect(readCounts(['0'])).toEqual({ byMember: new Map(), unconfirmed: 0, garbage: 0 });
  });

  it('counts a reply that is no list, or whose first field is no count, as one garbage', () => {
    for (const reply of [undefined, null, 'text', 5, {}]) expect(readCounts(reply)).toMatchObject({ garbage: 1 });
    expect(readCounts([])).toEqual({ byMember: new Map(), unconfirmed: 0, garbage: 1 });
    expect(readCounts(['x', 'a', '1'])).toMatchObject({ unconfirmed: 1, garbage: 1 });
    expect(readCounts([-3, 'a', '1'])).toMatchObject({ unconfirmed: 1, garbage: 1 });
  });

  it('ignores (and counts) a field that is no count, a member that is no text, and a member given twice', () => {
    const counts = readCounts([0, 'a', '-1', 'b', 'Infinity', 7, '2', 'c', '5', 'c', '9', 'd', '1']);
    expect([...counts.byMember]).toEqual([
      ['c', 5],
      ['d', 1],
    ]);
    expect(counts.unconfirmed).toBe(6);
    expect(counts.garbage).toBe(4);
  });

  it('leaves a member without a count out, uncounted (a reply of odd length is cut short by Redis only)', () => {
    expect(readCounts([0, 'a', '2', 'b'])).toEqual({ byMember: new Map([['a', 2]]), unconfirmed: 2, garbage: 0 });
  });

  it('takes a count in range as it is, even the largest', () => {
    expect(readCounts([0, 'a', String(MAX_SHARED_COUNT), 'b', '1']).unconfirmed).toBe(MAX_SHARED_COUNT + 1);
  });
});
