import { describe, expect, it } from 'vitest';
import { MAX_REMEMBERED, REMEMBER_MS, Revocations } from '../src/shared-cache/revocations.js';

// What an instance remembers of the invalidations it has seen: bounded, and forgetting refuses more, never less.
describe('the invalidations an instance remembers', () => {
  it('refuses an answer asked for at or before an invalidation of its name, its key id or everything', () => {
    const revocations = new Revocations();
    revocations.note({ name: 'n1' }, 1_000, 0);
    revocations.note({ keyId: 'key_1' }, 2_000, 0);
    expect(revocations.refuses('n1', undefined, 1_000, 0)).toBe(true);
    expect(revocations.refuses('n1', undefined, 1_001, 0)).toBe(false);
    expect(revocations.refuses('n2', 'key_1', 2_000, 0)).toBe(true);
    expect(revocations.refuses('n2', 'key_2', 2_000, 0)).toBe(false);
    revocations.note({ all: true }, 3_000, 0);
    expect(revocations.refuses('n2', 'key_2', 3_000, 0)).toBe(true);
    expect(revocations.refuses('n2', 'key_2', 3_001, 0)).toBe(false);
  });

  it('forgets a target after REMEMBER_MS, and still refuses what was asked for before it', () => {
    const revocations = new Revocations();
    revocations.note({ keyId: 'key_1' }, 5_000, 0);
    expect(revocations.size).toBe(1);
    expect(revocations.refuses('n', 'key_1', 4_000, REMEMBER_MS + 1)).toBe(true);
    expect(revocations.size).toBe(0);
    // Forgotten, its time became the floor: older answers of any key are refused, newer ones are not.
    expect(revocations.refuses('n', 'key_9', 5_000, REMEMBER_MS + 1)).toBe(true);
    expect(revocations.refuses('n', 'key_1', 5_001, REMEMBER_MS + 1)).toBe(false);
  });

  it('remembers at most MAX_REMEMBERED targets of a kind: a flood only refuses more', () => {
    const revocations = new Revocations();
    revocations.note({ name: 'revoked' }, 10, 0);
    for (let index = 0; index < MAX_REMEMBERED * 2; index++) revocations.note({ name: `flood${index}` }, 20, 0);
    expect(revocations.size).toBe(MAX_REMEMBERED);
    expect(revocations.refuses('revoked', undefined, 10, 0)).toBe(true);
  });

  it('does not believe a time far past Redis clock (a forged message would keep refusing every answer)', () => {
    const revocations = new Revocations();
    revocations.observeRedisTime(1_000_000, 0);
    revocations.note({ all: true }, 9_999_999_999, 0);
    expect(revocations.refuses('n', undefined, 1_000_000 + 60_000, 60_000)).toBe(false);
    expect(revocations.refuses('n', undefined, 1_000_000, 60_000)).toBe(true);
  });
});
