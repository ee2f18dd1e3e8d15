import type { Store } from '../../store/store.js';
import type { KeyRecord } from '../../store/types.js';
import type { CreditState } from '../../store/write-behind.js';
import { refillDue } from './refill.js';

/** Refills the key's credits (set to the refill amount, as Unkey does) when a refill moment passed since the last one. */
export function applyRefill(store: Store, key: KeyRecord, now: number): KeyRecord {
  if (!key.refill || !refillDue(key.refill, key.lastRefillAt, now)) return key;
  store.keys.setCredits(key.id, key.refill.amount, now);
  return { ...key, creditsRemaining: key.refill.amount, lastRefillAt: now };
}

/**
 * The key's credits as a verification spends them: the exact copy in memory (store.usage), refilled there when a
 * refill moment passed since the last one. Written back with the store's other held-back writes.
 */
export function creditsToSpend(store: Store, key: KeyRecord, now: number): CreditState {
  const state = store.usage.creditsOf(key.id, { remaining: key.creditsRemaining, lastRefillAt: key.lastRefillAt });
  if (!key.refill || !refillDue(key.refill, state.lastRefillAt, now)) return state;
  const refilled = { remaining: key.refill.amount, lastRefillAt: now };
  store.usage.setCredits(key.id, refilled);
  return refilled;
}
