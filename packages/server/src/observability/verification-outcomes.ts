import type { Store } from '../store/store.js';
import type { ServiceMetrics } from './service-metrics.js';

// The verify operations report their outcome through the store they already get: the service's metrics hang off
// its store here, so that no operation context or request pipeline needs a field for them.
const metricsByStore = new WeakMap<Store, ServiceMetrics>();

/** Counts the verifications answered over `store` in `metrics` (a server does this once, for its own store). */
export function countVerifications(store: Store, metrics: ServiceMetrics): void {
  metricsByStore.set(store, metrics);
}

/** A verify operation answered `code` (Unkey's codes; Clerk's verify is VALID or NOT_FOUND). */
export function verificationAnswered(store: Store, format: 'unkey' | 'clerk', code: string): void {
  metricsByStore.get(store)?.verified(format, code);
}
