import { describe, expect, it } from 'vitest';
import { EventRing } from '../../src/observability/event-ring.js';
import { HISTORY_MINUTES } from '../../src/observability/minute-series.js';
import { VerificationFeed, type VerificationEvent } from '../../src/observability/verification-feed.js';
import { DEFAULT_HISTORY_LIMITS, VerificationHistory } from '../../src/observability/verification-history.js';
import type { Store } from '../../src/store/store.js';

const MINUTE = 60_000;
let nextId = 0;
const event = (fields: { time: number; keyId?: string; apiId?: string; code?: string }) =>
  [++nextId, fields.time, 'unkey', fields.code ?? 'VALID', fields.keyId, fields.apiId] as const;

describe('the verification history', () => {
  it('keeps the latest of a ring, oldest first', () => {
    const ring = new EventRing(3);
    for (let n = 1; n <= 5; n++) ring.push(n, n * 10, 'unkey', n === 5 ? 'EXPIRED' : 'VALID', `key_${n}`);
    expect(ring.read()).toEqual([
      { id: 3, time: 30, format: 'unkey', code: 'VALID', keyId: 'key_3' },
      { id: 4, time: 40, format: 'unkey', code: 'VALID', keyId: 'key_4' },
      { id: 5, time: 50, format: 'unkey', code: 'EXPIRED', keyId: 'key_5', failedCheck: 'expired' },
    ]);
    expect(ring.size).toBe(3);
  });

  it('stays within its bounds under a flood of 100,000 distinct key ids over 100,000 distinct APIs', () => {
    const history = new VerificationHistory();
    for (let n = 0; n < 100_000; n++) history.record(...event({ time: n, keyId: `key_${n}`, apiId: `api_${n}` }));
    expect(history.sizes).toEqual({
      events: DEFAULT_HISTORY_LIMITS.events,
      keys: DEFAULT_HISTORY_LIMITS.keys,
      keyEvents: DEFAULT_HISTORY_LIMITS.keys,
      apis: DEFAULT_HISTORY_LIMITS.apis,
    });
    // The least recently used went first: the latest key is there, the first is gone.
    expect(history.ofKey('key_99999', 100_000).events).toHaveLength(1);
    expect(history.ofKey('key_0', 100_000).events).toEqual([]);
  });

  it('keeps per key only its latest verifications, and a key verified again is kept over a flood', () => {
    const history = new VerificationHistory({ events: 100, keys: 10, perKey: 5, apis: 10 });
    for (let n = 0; n < 8; n++)
      history.record(...event({ time: n, keyId: 'key_busy', code: n === 7 ? 'EXPIRED' : 'VALID' }));
    for (let n = 0; n < 20; n++) {
      history.record(...event({ time: 10 + n, keyId: `key_${n}` }));
      history.record(...event({ time: 10 + n, keyId: 'key_busy' }));
    }
    const busy = history.ofKey('key_busy', 100);
    expect(busy.events).toHaveLength(5);
    expect(busy.events.map((e) => e.time)).toEqual([25, 26, 27, 28, 29]);
    expect(busy.minutes).toEqual([{ start: 0, counts: { VALID: 27, EXPIRED: 1 } }]);
    expect(history.sizes.keys).toBe(10);
  });

  it('counts per minute by outcome for the last hour, per API and per key; an older minute leaves the window', () => {
    const history = new VerificationHistory();
    const at = (minute: number, code: string, apiId = 'api_a') =>
      history.record(...event({ time: minute * MINUTE + 5, keyId: 'key_a', apiId, code }));
    at(0, 'VALID');
    at(2, 'VALID');
    at(2, 'RATE_LIMITED');
    at(2, 'SOMETHING_NEW');
    at(3, 'VALID', 'api_b');
    expect(history.minutesOfApi('api_a', 2 * MINUTE)).toEqual([
      { start: 0, counts: { VALID: 1 } },
      { start: 2 * MINUTE, counts: { VALID: 1, RATE_LIMITED: 1, OTHER: 1 } },
    ]);
    expect(history.minutesOfApi('api_b', 3 * MINUTE)).toEqual([{ start: 3 * MINUTE, counts: { VALID: 1 } }]);
    expect(history.ofKey('key_a', 3 * MINUTE).minutes).toHaveLength(3);
    // An hour on, minute 0 is out of the window; minute 60 reuses its slot with fresh counts.
    expect(history.minutesOfApi('api_a', HISTORY_MINUTES * MINUTE).map((m) => m.start)).toEqual([2 * MINUTE]);
    at(HISTORY_MINUTES, 'EXPIRED');
    expect(history.minutesOfApi('api_a', HISTORY_MINUTES * MINUTE)).toEqual([
      { start: 2 * MINUTE, counts: { VALID: 1, RATE_LIMITED: 1, OTHER: 1 } },
      { start: HISTORY_MINUTES * MINUTE, counts: { EXPIRED: 1 } },
    ]);
    expect(history.minutesOfApi('api_unknown', 0)).toEqual([]);
  });

  it('never throws into a verification: a recorder that fails is dropped and the live feed goes on', () => {
    const feed = new VerificationFeed(() => 1);
    const seen: VerificationEvent[] = [];
    feed.subscribe((event) => seen.push(event));
    feed.keep({
      apiIdOf: () => undefined,
      record: () => {
        throw new Error('broken recorder');
      },
    });
    const store = { keys: { apiIdOf: () => 'api_a' } } as unknown as Store;
    expect(() => feed.publish(store, 'unkey', 'VALID', { keyId: 'key_a' }, 'ws_a')).not.toThrow();
    feed.publish(store, 'unkey', 'EXPIRED', { keyId: 'key_a' }, 'ws_a');
    expect(seen.map(({ id, code, apiId }) => ({ id, code, apiId }))).toEqual([
      { id: 1, code: 'VALID', apiId: 'api_a' },
      { id: 2, code: 'EXPIRED', apiId: 'api_a' },
    ]);
  });
});
