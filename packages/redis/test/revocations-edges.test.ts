import { describe, expect, it } from 'vitest';
import { AbandonedLocks, ABANDONED_FOR_MS, SHORT_WAIT_MS } from '../src/shared-cache/abandoned-locks.js';
import { MAX_REMEMBERED, REMEMBER_MS, Revocations } from '../src/shared-cache/revocations.js';
import { Wakeups } from '../src/shared-cache/wakeups.js';

// The memory one instance keeps beside the shared cache (src/shared-cache/): the invalidations it saw, the names
// whose lock looked abandoned, and who waits for which name. Pure bookkeeping, tested at its edges.
describe('Revocations: Redis time', () => {
  it('estimates Redis time from the last reading, this clock before any, and ignores a reading that is no number', () => {
    const revocations = new Revocations();
    expect(revocations.redisNow(1_000)).toBe(1_000);
    revocations.observeRedisTime(5_000, 1_000);
    expect(revocations.redisNow(2_000)).toBe(6_000);
    revocations.observeRedisTime(Number.NaN, 1_000);
    revocations.observeRedisTime(Infinity, 1_000);
    expect(revocations.redisNow(2_000)).toBe(6_000);
    revocations.observeRedisTime(500, 1_000);
    expect(revocations.redisNow(1_000)).toBe(500);
  });

  it('believes a note up to 5 s past Redis clock, not further, and any time before a first reading', () => {
    const unread = new Revocations();
    unread.note({ all: true }, 1e12, 0);
    expect(unread.refuses('n', undefined, 1e12, 0)).toBe(true);

    const revocations = new Revocations();
    revocations.observeRedisTime(10_000, 0);
    revocations.note({ name: 'n' }, 15_000, 0);
    expect(revocations.refuses('n', undefined, 15_000, 0)).toBe(true);
    revocations.note({ name: 'm' }, 15_001, 0);
    expect(revocations.refuses('m', undefined, 15_000, 0)).toBe(true);
    expect(revocations.refuses('m', undefined, 15_001, 0)).toBe(false);
    revocations.refuseUntil(99_999, 0);
    expect(revocations.refuses('x', undefined, 15_000, 0)).toBe(true);
    expect(revocations.refuses('x', undefined, 15_001, 0)).toBe(false);
  });
});

describe('Revocations: what is refused', () => {
  it('refuseUntil refuses every answer asked for at or before it, and never lowers the floor', () => {
    const revocations = new Revocations();
    expect(revocations.refuses('n', 'k', Number.MIN_SAFE_INTEGER, 0)).toBe(false);
    revocations.refuseUntil(2_000, 0);
    revocations.refuseUntil(1_000, 0);
    revocations.note({ all: true }, 1_500, 0);
    expect(revocations.refuses('n', 'k', 2_000, 0)).toBe(true);
    expect(revocations.refuses('n', 'k', 2_001, 0)).toBe(false);
  });

  it('keeps the later time of a target noted twice, whatever order the notes came in', () => {
    const revocations = new Revocations();
    revocations.note({ keyId: 'k' }, 3_000, 0);
    revocations.note({ keyId: 'k' }, 2_000, 1);
    expect(revocations.refuses('n', 'k', 3_000, 1)).toBe(true);
    revocations.note({ name: 'n' }, 1_000, 0);
    revocations.note({ name: 'n' }, 4_000, 1);
    expect(revocations.refuses('n', undefined, 4_000, 1)).toBe(true);
    expect(revocations.refuses('n', undefined, 4_001, 1)).toBe(false);
  });

  it('a name and a key id are separate targets: one does not refuse the other', () => {
    const revocations = new Revocations();
    revocations.note({ name: 'same' }, 1_000, 0);
    expect(revocations.refuses('other', 'same', 1_000, 0)).toBe(false);
    revocations.note({ keyId: 'kid' }, 1_000, 0);
    expect(revocations.refuses('kid', undefined, 1_000, 0)).toBe(false);
    expect(revocations.refuses('x', 'kid', 1_000, 0)).toBe(true);
  });

  it('remembers a target for REMEMBER_MS after it was seen, refreshed when seen again', () => {
    const revocations = new Revocations();
    revocations.note({ name: 'n' }, 1_000, 0);
    revocations.note({ name: 'n' }, 1_000, 10_000);
    expect(revocations.refuses('other', undefined, 500, REMEMBER_MS + 5_000)).toBe(false);
    expect(revocations.size).toBe(1);
    expect(revocations.refuses('other', undefined, 500, 10_000 + REMEMBER_MS - 1)).toBe(false);
    expect(revocations.size).toBe(1);
    expect(revocations.refuses('other', undefined, 500, 10_000 + REMEMBER_MS)).toBe(true);
    expect(revocations.size).toBe(0);
  });

  it('prunes key ids too, and only the ones past their time (the map is in the order they were seen)', () => {
    const revocations = new Revocations();
    revocations.note({ keyId: 'old' }, 1_000, 0);
    revocations.note({ keyId: 'new' }, 2_000, 30_000);
    revocations.refuses('n', undefined, 0, REMEMBER_MS);
    expect(revocations.size).toBe(1);
    expect(revocations.refuses('n', 'new', 2_000, REMEMBER_MS)).toBe(true);
    expect(revocations.refuses('n', 'old', 1_001, REMEMBER_MS)).toBe(false);
  });

  it('folds the oldest target into the floor once MAX_REMEMBERED is passed, exactly at the bound', () => {
    const revocations = new Revocations();
    for (let index = 0; index < MAX_REMEMBERED; index++) revocations.note({ keyId: `k${index}` }, 100 + index, 0);
    expect(revocations.size).toBe(MAX_REMEMBERED);
    expect(revocations.refuses('n', 'k9', 0, 0)).toBe(true);
    expect(revocations.refuses('n', 'k1', 102, 0)).toBe(false);
    revocations.note({ keyId: 'one-more' }, 50, 0);
    expect(revocations.size).toBe(MAX_REMEMBERED);
    // k0 (time 100) was forgotten into the floor: everything asked for at or before 100 is refused now.
    expect(revocations.refuses('n', 'unknown', 100, 0)).toBe(true);
    expect(revocations.refuses('n', 'unknown', 101, 0)).toBe(false);
  });
});

describe('AbandonedLocks', () => {
  it('waits a whole lockMs, then the shorter of lockMs and SHORT_WAIT_MS until ABANDONED_FOR_MS passed', () => {
    const locks = new AbandonedLocks(1_000);
    locks.waitedInVain('n', 100);
    expect(locks.waitMs('n', 100)).toBe(SHORT_WAIT_MS);
    expect(locks.waitMs('n', 100 + ABANDONED_FOR_MS - 1)).toBe(SHORT_WAIT_MS);
    expect(locks.waitMs('n', 100 + ABANDONED_FOR_MS)).toBe(1_000);
    // Forgotten once past: a later wait is whole again even if the clock were read back.
    expect(locks.waitMs('n', 100)).toBe(1_000);
    const quick = new AbandonedLocks(SHORT_WAIT_MS / 2);
    quick.waitedInVain('n', 0);
    expect(quick.waitMs('n', 0)).toBe(SHORT_WAIT_MS / 2);
  });

  it('a second wait in vain starts the period again', () => {
    const locks = new AbandonedLocks(1_000);
    locks.waitedInVain('n', 0);
    locks.waitedInVain('n', 20_000);
    expect(locks.waitMs('n', ABANDONED_FOR_MS + 1)).toBe(SHORT_WAIT_MS);
  });

  it('remembers at most 10 000 names, forgetting the oldest', () => {
    const locks = new AbandonedLocks(1_000);
    for (let index = 0; index <= 10_000; index++) locks.waitedInVain(`n${index}`, 0);
    expect(locks.waitMs('n0', 1)).toBe(1_000);
    expect(locks.waitMs('n1', 1)).toBe(SHORT_WAIT_MS);
    expect(locks.waitMs('n10000', 1)).toBe(SHORT_WAIT_MS);
  });
});

describe('Wakeups', () => {
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true));
    // A few turns of the event loop: a woken wait resolves in one.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    return done;
  };

  it('wakes every wait armed for the name, and none of another name', async () => {
    const wakeups = new Wakeups();
    const first = wakeups.arm('n');
    const second = wakeups.arm('n');
    const other = wakeups.arm('m');
    const waits = [first.wait(60_000), second.wait(60_000)];
    const otherWait = other.wait(60_000);
    wakeups.answered('n');
    expect(await settled(Promise.all(waits))).toBe(true);
    expect(await settled(otherWait)).toBe(false);
    wakeups.answered('m');
    expect(await settled(otherWait)).toBe(true);
    for (const wakeup of [first, second, other]) wakeup.disarm();
  });

  it('a message before the wait still wakes it (armed before the read), and a disarmed one is not woken', async () => {
    const wakeups = new Wakeups();
    const early = wakeups.arm('n');
    wakeups.answered('n');
    expect(await settled(early.wait(60_000))).toBe(true);
    early.disarm();

    const gone = wakeups.arm('n');
    const kept = wakeups.arm('n');
    gone.disarm();
    const goneWait = gone.wait(60_000);
    wakeups.answered('n');
    expect(await settled(kept.wait(60_000))).toBe(true);
    expect(await settled(goneWait)).toBe(false);
    kept.disarm();
  });

  it('a disarm after the name was answered and armed again leaves the new waiters in place', async () => {
    const wakeups = new Wakeups();
    const before = wakeups.arm('n');
    wakeups.answered('n');
    const after = wakeups.arm('n');
    before.disarm();
    wakeups.answered('n');
    expect(await settled(after.wait(60_000))).toBe(true);
    after.disarm();
  });

  it('an answer for a name nobody waits for is nothing; the last disarm forgets the name', async () => {
    const wakeups = new Wakeups();
    expect(() => wakeups.answered('nobody')).not.toThrow();
    const waiting = (wakeups as unknown as { waiting: Map<string, unknown> }).waiting;
    const first = wakeups.arm('n');
    const second = wakeups.arm('n');
    first.disarm();
    expect(waiting.has('n')).toBe(true);
    second.disarm();
    // Bounded by the waits in progress: a name whose waiters all left is not kept.
    expect(waiting.size).toBe(0);
  });

  it('a wait ends after its time without a message', async () => {
    const wakeups = new Wakeups();
    const wakeup = wakeups.arm('n');
    await wakeup.wait(5);
    wakeup.disarm();
  });
});
