import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { readBearer } from '../http/bearer.js';
import type { Store } from '../store/store.js';
import type { MetricsAccess } from './options.js';

/** Every `MetricsAccess`, for a command line's choices. */
/** Every `metricsAccess` value, for option checks and help texts. */
export const METRICS_ACCESS: readonly MetricsAccess[] = ['open', 'root-key'];

/** Hosts only this machine can reach: there, whoever can read `/metrics` can read the database file too. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * The default access: open on a loopback host, the root key elsewhere, since operation counts and verification
 * outcomes tell an outsider how the service is used.
 */
export const defaultMetricsAccess = (host: string): MetricsAccess => (isLoopbackHost(host) ? 'open' : 'root-key');

/** Whether the request carries `Authorization: Bearer <root key>` of a live root key. */
export function hasRootKey(request: IncomingMessage, store: Store): boolean {
  const bearer = readBearer(request);
  return bearer.kind === 'token' && store.rootKeys.findByHash(hashKey(bearer.token)) !== undefined;
}
