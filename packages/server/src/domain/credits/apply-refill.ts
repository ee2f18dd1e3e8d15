import type { Store } from '../../store/store.js';
import type { KeyRecord } from '../../store/types.js';
import { refillDue } from './refill.js';

/** Refills the key's credits (set to the refill amount, as Unkey does) when a refill moment passed since the last one. */
export function applyRefill(store: Store, key: KeyRecord, now: number): KeyRecord {
  if (!key.refill || !refillDue(key.refill, key.lastRefillAt, now)) return key;
  store.keys.setCredits(key.id, key.refill.amount, now);
  return { ...key, creditsRemaining: key.refill.amount, lastRefillAt: now };
}
