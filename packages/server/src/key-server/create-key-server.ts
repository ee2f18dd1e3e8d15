import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureAuditLog } from '../audit/audit-log.js';
import { DEFAULT_AUDIT_RETENTION } from '../audit/retention.js';
import { KeyVault } from '../crypto/encryption.js';
import { KeyServerOptionError, KeyServerStoppedError, UnknownApiError } from './errors.js';
import { DEFAULT_MAX_BODY_BYTES } from '../http/body.js';
import { DEFAULT_DISCARD_TIMEOUT_MS, DEFAULT_MAX_DISCARD_BYTES } from '../http/discard.js';
import type { RequestHandler } from '../http/request-handler.js';
import { createServiceHandler } from './http-handler.js';
import { openDatabase } from '../store/database.js';
import type { RequestQuota } from '../store/types.js';
import { Store } from '../store/store.js';
import { bootstrapStore, issueRootKey } from './bootstrap.js';
import {
  clerkJwtPublicKey,
  createClerkMachine,
  createClerkOAuthAccessToken,
  type ClerkMachine,
  type ClerkMachineOptions,
  type ClerkOAuthAccessToken,
  type ClerkOAuthAccessTokenOptions,
} from './machine-auth.js';
import { OperationLabels } from '../observability/operation-label.js';
import { observeRequests } from '../observability/observe-requests.js';
import { ServiceMetrics } from '../observability/service-metrics.js';
import { countVerifications } from '../observability/verification-outcomes.js';
import { openVerificationFeed } from '../observability/verification-feed.js';
import { createDashboard, type Dashboard } from '../dashboard/route.js';
import { DEFAULT_DASHBOARD_PATH } from '../dashboard/options.js';
import { silentLogger } from './console-logger.js';
import { defaultMetricsAccess, hasRootKey } from './metrics-access.js';
import type { Bootstrap, KeyServerOptions } from './options.js';
import { isUsableRequestQuota, REQUEST_QUOTA_REQUIREMENT, validateOptions } from './validate-options.js';

/** A running (or ready) local key service: what `createKeyServer()` answers. */
export interface KeyServer {
  /** The request handler, to mount the service in another `node:http` server. */
  readonly handler: RequestHandler;
  /** `http://host:port` once started. */
  readonly url: string | undefined;
  /** Bootstraps (see `bootstrap`) and listens. */
  start(): Promise<{ url: string; port: number }>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. Idempotent. */
  stop(): Promise<void>;
  /**
   * Creates the workspace, a root key with every permission and a Clerk secret key (for `/v1/api_keys`) on first
   * use; generated keys are returned once.
   */
  bootstrap(): Bootstrap;
  /** A new root key of the workspace with exactly these permissions (e.g. for 403 tests). */
  createRootKey(permissions: readonly string[]): string;
  /** Turns delete protection of an API on or off (there is no v2 endpoint for it; Unkey sets it in its dashboard). */
  setDeleteProtection(apiId: string, enabled: boolean): void;
  /** Disables (or re-enables) the workspace: its keys then verify as FORBIDDEN. */
  setWorkspaceEnabled(enabled: boolean): void;
  /** Sets (or, with `undefined`, removes) the workspace's request quota (see the `requestQuota` option). */
  setRequestQuota(quota: RequestQuota | undefined): void;
  /**
   * Creates a machine for Clerk's M2M tokens (as `POST /v1/machines`); its secret key (`ak_…`) is returned once.
   * @throws KeyServerOptionError when an option is unusable or names an unknown machine.
   */
  createMachine(options: ClerkMachineOptions): ClerkMachine;
  /**
   * Creates an opaque OAuth access token (`oat_…`) to verify at `/oauth_applications/access_tokens/verify`; Clerk
   * mints these in its OAuth flows and has no endpoint for it.
   * @throws KeyServerOptionError when an option is unusable.
   */
  createOAuthAccessToken(options: ClerkOAuthAccessTokenOptions): ClerkOAuthAccessToken;
  /**
   * The public key (PEM, SPKI) of the workspace's RS256 key that signs M2M JWTs: `jwtKey` of `@clerk/backend` for
   * verification without a JWKS request (also at `GET /v1/jwks`). Made on first use.
   */
  clerkJwtPublicKey(): string;
}

class LocalKeyServer implements KeyServer {
  readonly handler: RequestHandler;
  private readonly store: Store;
  private readonly options: KeyServerOptions;
  private readonly clock: () => number;
  private readonly vault: KeyVault;
  private server: Server | undefined;
  private address: { url: string; port: number } | undefined;
  private bootstrapped: Bootstrap | undefined;
  private stopping: Promise<void> | undefined;
  private inFlight = 0;
  private readonly dashboard: Dashboard | undefined;

  constructor(options: KeyServerOptions) {
    validateOptions(options);
    this.options = options;
    this.clock = options.clock ?? Date.now;
    const logger = options.logger ?? silentLogger;
    this.store = new Store(openDatabase(options.database ?? ':memory:'));
    configureAuditLog(this.store, {
      maxEntries: options.auditMaxEntries ?? DEFAULT_AUDIT_RETENTION.maxEntries,
      maxAgeMs: options.auditMaxAgeMs ?? DEFAULT_AUDIT_RETENTION.maxAgeMs,
    });
    if (options.secret === undefined && options.database && options.database !== ':memory:') {
      logger.warn(
        'no secret given (KEYGUARD_SECRET for keyguard serve, the secret option in code): recoverable keys and Clerk API key secrets created now cannot be shown again after a restart',
      );
    }
    const shared = {
      store: this.store,
      vault: (this.vault = new KeyVault(options.secret ?? randomBytes(32).toString('base64'))),
      logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      discard: {
        maxBytes: options.maxDiscardBytes ?? DEFAULT_MAX_DISCARD_BYTES,
        timeoutMs: options.discardTimeoutMs ?? DEFAULT_DISCARD_TIMEOUT_MS,
      },
      clock: this.clock,
    };
    // `/metrics`, request counts and durations, and a log line per request: around the service, not inside it.
    const metrics = options.metrics === false ? undefined : new ServiceMetrics();
    if (metrics) countVerifications(this.store, metrics);
    const metricsAccess = options.metricsAccess ?? defaultMetricsAccess(options.host ?? '127.0.0.1');
    const service = observeRequests(createServiceHandler(shared), {
      labels: new OperationLabels(),
      metrics,
      logger,
      ...(metricsAccess === 'root-key' ? { mayReadMetrics: (request) => hasRootKey(request, this.store) } : {}),
    });
    this.dashboard =
      options.dashboard === false
        ? undefined
        : createDashboard(service, {
            path: options.dashboard?.path ?? DEFAULT_DASHBOARD_PATH,
            store: this.store,
            feed: openVerificationFeed(this.store, this.clock),
          });
    const served = this.dashboard?.handler ?? service;
    this.handler = (request, response) => {
      this.inFlight++;
      let counted = true;
      response.once('close', () => {
        if (counted) this.inFlight--;
        counted = false;
        if (this.stopping) setImmediate(() => this.server?.closeIdleConnections());
      });
      if (this.stopping) response.setHeader('Connection', 'close');
      served(request, response);
    };
  }

  get url(): string | undefined {
    return this.address?.url;
  }

  bootstrap(): Bootstrap {
    if (this.bootstrapped) return { workspaceId: this.bootstrapped.workspaceId };
    this.bootstrapped = bootstrapStore(this.store, this.clock(), {
      rootKey: this.options.rootKey,
      clerkSecretKey: this.options.clerkSecretKey,
    });
    if (this.options.requestQuota !== undefined)
      this.store.workspaces.setRequestQuota(this.bootstrapped.workspaceId, this.options.requestQuota);
    return this.bootstrapped;
  }

  createRootKey(permissions: readonly string[]): string {
    const { workspaceId } = this.bootstrap();
    return this.store.transaction(() => issueRootKey(this.store, workspaceId, permissions, this.clock()).key);
  }

  setDeleteProtection(apiId: string, enabled: boolean): void {
    if (!this.store.apis.setDeleteProtection(apiId, enabled)) throw new UnknownApiError(apiId);
  }

  setWorkspaceEnabled(enabled: boolean): void {
    this.store.workspaces.setEnabled(this.bootstrap().workspaceId, enabled);
  }

  setRequestQuota(quota: RequestQuota | undefined): void {
    if (quota !== undefined && !isUsableRequestQuota(quota))
      throw new KeyServerOptionError('requestQuota', REQUEST_QUOTA_REQUIREMENT);
    this.store.workspaces.setRequestQuota(this.bootstrap().workspaceId, quota);
  }

  createMachine(options: ClerkMachineOptions): ClerkMachine {
    return createClerkMachine(this.machineAuthScope(), options);
  }

  createOAuthAccessToken(options: ClerkOAuthAccessTokenOptions): ClerkOAuthAccessToken {
    return createClerkOAuthAccessToken(this.machineAuthScope(), options);
  }

  clerkJwtPublicKey(): string {
    return clerkJwtPublicKey(this.machineAuthScope());
  }

  private machineAuthScope() {
    return { store: this.store, vault: this.vault, workspaceId: this.bootstrap().workspaceId, now: this.clock() };
  }

  async start(): Promise<{ url: string; port: number }> {
    if (this.address) return this.address;
    if (this.stopping) throw new KeyServerStoppedError();
    this.bootstrap();
    const server = createServer({ keepAliveTimeout: 5_000 }, this.handler);
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.address = { url: `http://${shownHost}:${port}`, port };
    return this.address;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.dashboard?.close();
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), this.options.stopTimeoutMs ?? 10_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    }
    // Mounted handlers have no server to wait for: wait for their in-flight requests directly.
    const deadline = Date.now() + (this.options.stopTimeoutMs ?? 10_000);
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    this.store.close();
  }
}

/**
 * The local key service: SQLite store + HTTP server in Unkey's v2 wire format (`/v2/…`) and Clerk's API-key endpoints
 * (`/v1/api_keys…`). The database opens (and migrates) now.
 *
 * @param options - Where the data lives, where to listen, and the limits it enforces; every one has a default.
 * @returns The server, not yet listening: `start()` listens, `handler` mounts it in another server.
 * @throws KeyServerOptionError when an option is unusable, SchemaTooNewError when the database is newer than this version.
 *
 * @example
 * ```ts
 * import { createKeyServer } from '@keyguard/server';
 *
 * const server = createKeyServer({ database: ':memory:', port: 0 });
 * const { rootKey } = server.bootstrap(); // a root key with every permission, returned once
 * const { url } = await server.start();
 * // point unkey({ rootKey, baseUrl: url }) or UnkeyClient at it, then:
 * await server.stop();
 * ```
 */
export function createKeyServer(options: KeyServerOptions = {}): KeyServer {
  return new LocalKeyServer(options);
}
