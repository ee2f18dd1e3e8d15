import type { Store } from '../store/store.js';
import type { ServiceMetrics } from './service-metrics.js';
import { publishVerification, type VerificationDetail } from './verification-feed.js';

// The verify operations report their outcome through the store they already get: the service's metrics hang off
// its store here, so that no operation context or request pipeline needs a field for them.
const metricsByStore = new WeakMap<Store, ServiceMetrics>();

/** Counts the verifications answered over `store` in `metrics` (a server does this once, for its own store). */
export function countVerifications(store: Store, metrics: ServiceMetrics): void {
  metricsByStore.set(store, metrics);
}

/**
 * A verify operation answered `code` (Unkey's codes; Clerk's verify is VALID or NOT_FOUND). The rest (the key's id
 * and rate limits, its workspace, the permission query sent; never the key) is for the dashboard's live feed, read
 * only when someone listens.
 */
export function verificationAnswered(
  store: Store,
  format: 'unkey' | 'clerk',
  code: string,
  detail?: VerificationDetail,
  workspaceId?: string,
  query?: string,
): void {
  metricsByStore.get(store)?.verified(format, code);
  publishVerification(store, format, code, detail, workspaceId, query);
}
