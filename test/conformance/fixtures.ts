import type { Server } from 'node:http';
import { LoopbackServer } from '../support/loopback-server.js';
import type { ProviderConfig } from '../support/provider-config.js';

export { verifierFor } from '../support/provider-config.js';
export type { CoreBuild, ProviderConfig } from '../support/provider-config.js';

/**
 * The contract of a conformance harness: one small file in ./harnesses/ whose default export is a `Harness`.
 * Started once per run, it serves, through its adapter and over real HTTP on loopback:
 *
 * - `GET /protected`: a key is required;
 * - `GET /optional`: the adapter's `optional` setting, so anonymous callers get through (a bad key does not);
 * - `GET /guarded`: a key is required and must satisfy the permission query `GUARD_QUERY`.
 * - `GET /machines`: the adapter's per-route `accepts` set to `MACHINE_KINDS` (M2M tokens only), answering
 *   `passedKind(apiKey)`;
 * - `GET /api-keys`: the same with `API_KEY_KINDS` (API keys only), and the permission query `GUARD_QUERY`.
 *
 * - every route of `RATE_LIMITED_ROUTES` (rate-limit-routes.ts): the adapter's `rateLimit()` with
 *   `rateLimitOptionsFor(route, backend)`, after the adapter's keyguard when the route says `afterKeyguard`, `backend`
 *   being a `memoryRateLimitBackend()` made on each start.
 *
 * Each route answers 200 with `{ "apiKey": <the verified key's id, or null> }` as JSON. The harness verifies keys
 * with `verifierFor(config)`, keyguard's options otherwise at their defaults. `config` describes the key service
 * (Unkey or Clerk) as plain data, so a harness may pass it to another process; harnesses never look inside it.
 */
export interface Harness {
  /** Names the adapter in test titles (`express`, `fastify`, `next-route`, …). */
  name: string;
  start(config: ProviderConfig): Promise<RunningHarness>;
}

export interface RunningHarness {
  /** Origin to send requests to, e.g. `http://127.0.0.1:34567`. */
  url: string;
  close(): Promise<void>;
}

export const GUARD_QUERY = 'docs.write';

/** `accepts` of `GET /machines`: a route for machines (Clerk's M2M tokens) only. */
export const MACHINE_KINDS = ['m2m_token'] as const;
/** `accepts` of `GET /api-keys`: a route for API keys only. */
export const API_KEY_KINDS = ['api_key'] as const;

/** What `/machines` and `/api-keys` answer: the key's id and the kind it was verified as. */
export const passedKind = (apiKey: { id: string; kind?: string } | undefined) => ({
  apiKey: apiKey?.id ?? null,
  kind: apiKey?.kind ?? null,
});

/** What every harness route answers when it lets a request through. */
export const passed = (apiKey: { id: string } | undefined) => ({ apiKey: apiKey?.id ?? null });

/** Listens on a free loopback port and closes the server, its keep-alive connections and `cleanup` together. */
export async function listen(server: Server, cleanup?: () => Promise<void>): Promise<RunningHarness> {
  const loopback = new LoopbackServer(server);
  return {
    url: await loopback.start(),
    async close() {
      await loopback.stop();
      await cleanup?.();
    },
  };
}
