import type { RequestQuota } from '../store/types.js';
import type { DashboardOptions } from '../dashboard/options.js';
import type { KeyServerLogger } from './logger.js';

/** Who may read `GET /metrics`: anyone who can connect, or only a caller with a root key of the service. */
export type MetricsAccess = 'open' | 'root-key';

/** What `createKeyServer()` takes: where the data lives, where to listen, and the limits it enforces. */
export interface KeyServerOptions {
  /**
   * SQLite file path, or `':memory:'` (the default).
   * @default ':memory:'
   */
  database?: string;
  /**
   * Default `127.0.0.1`.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Default 0: a free port.
   * @default 0
   */
  port?: number;
  /**
   * Accept this root key (with every permission) instead of generating one on first start.
   * @default undefined (one is generated on first start)
   */
  rootKey?: string;
  /**
   * Accept this Clerk-style secret key (`sk_test_…` / `sk_live_…`) for the `/v1/api_keys` endpoints instead of
   * generating one on first start.
   * @default undefined (one is generated on first start)
   */
  clerkSecretKey?: string;
  /**
   * Seals the plaintext of `recoverable` keys and of Clerk API key secrets (AES-256-GCM). Without it a random per-process secret is used.
   * @default a random secret per process
   */
  secret?: string;
  /**
   * Request body cap, default 1 MiB; larger bodies get a 400 in the error envelope.
   * @default 1_048_576
   */
  maxBodyBytes?: number;
  /**
   * An answer given before a body was read (too large, bad credential…) waits until the rest of the body is read and
   * thrown away, so that a client still sending gets it instead of a reset connection: at most this many bytes
   * (default 16 MiB) and `discardTimeoutMs`. Past either the server answers and closes the connection.
   * @default 16_777_216
   */
  maxDiscardBytes?: number;
  /**
   * See `maxDiscardBytes`. Default 10 s.
   * @default 10_000
   */
  discardTimeoutMs?: number;
  /**
   * Default: silent. Lines carry ids and key starts only; `pinoLogger({ format })` gives JSON or readable lines.
   * @default silentLogger
   */
  logger?: KeyServerLogger;
  /**
   * `GET /metrics` in Prometheus' text format (requests, durations, verification outcomes). Default on; `false` turns it off.
   * @default true
   */
  metrics?: boolean;
  /**
   * Who may read `GET /metrics`: `'open'`, or `'root-key'` (`Authorization: Bearer <root key>`, any live root key;
   * others get 401). Default `'open'` when `host` is loopback (`127.0.0.1`, `::1`, `localhost`), else `'root-key'`.
   * @default 'open' on a loopback host, else 'root-key'
   */
  metricsAccess?: MetricsAccess;
  /**
   * How long `stop()` waits for in-flight requests before closing their connections. Default 10 s.
   * @default 10_000
   */
  stopTimeoutMs?: number;
  /**
   * A request quota for the workspace: at most `limit` requests to `/v2` operations per `duration` ms (≥ 1000), over
   * all its root keys; past it the operations answer 429 with `Retry-After`, as Unkey does for a workspace over its API
   * rate limit. Default: none. Stored with the workspace; `setRequestQuota` changes it.
   * @default undefined (no quota)
   */
  requestQuota?: RequestQuota;
  /**
   * The web dashboard, on the service's own port: `{ path }` (default `/dashboard`), or `false` for none. It signs in
   * with a root key typed into the page and sees what that key may see.
   * @default { path: '/dashboard' }
   */
  dashboard?: DashboardOptions | false;
  /**
   * The audit log of management operations keeps at most this many entries, the newest, over the whole database;
   * the oldest is deleted as a new one is written past it.
   * @default 10_000
   */
  auditMaxEntries?: number;
  /**
   * Audit entries older than this (ms) are deleted as new ones are written. Default 30 days.
   * @default 2_592_000_000
   */
  auditMaxAgeMs?: number;
  /**
   * The clock (unix ms), for tests.
   * @default Date.now
   */
  clock?: () => number;
}

/** What `bootstrap()` answers: the workspace, and the keys it generated (returned this once). */
export interface Bootstrap {
  /** The workspace's id. */
  workspaceId: string;
  /** Only when the server generated a new root key: shown once, never stored in plain text. */
  rootKey?: string;
  /** Only when the server generated a new Clerk secret key (for `/v1/api_keys`): shown once, stored by hash. */
  clerkSecretKey?: string;
}
