import type { Store } from '../store/store.js';

/** The check a verification failed on, named for people reading a feed; absent on VALID. */
export type FailedCheck =
  'not_found' | 'workspace_disabled' | 'disabled' | 'expired' | 'permissions' | 'rate_limit' | 'credits';

/**
 * What the verify operations tell the feed beside their code: ids and names only, never the key. Unkey's verify
 * passes its answer's `data` as it is (no object made per verification for the feed).
 */
export interface VerificationDetail {
  /** The key's id, when the key was found. */
  keyId?: string;
  /** The rate limits checked, as answered. */
  ratelimits?: readonly FeedRatelimit[];
}

/** A rate limit as a verification left it. */
export interface FeedRatelimit {
  name: string;
  limit: number;
  remaining: number;
  /** Unix ms. */
  reset: number;
  exceeded: boolean;
}

/** One verification as the dashboard's live feed shows it. */
export interface VerificationEvent {
  /** Unix ms. */
  time: number;
  format: 'unkey' | 'clerk';
  code: string;
  keyId?: string;
  apiId?: string;
  failedCheck?: FailedCheck;
  /** The permission query, on INSUFFICIENT_PERMISSIONS. */
  permissions?: string;
  /** The rate limits checked and what they have left (the exceeded ones made it RATE_LIMITED). */
  ratelimits?: FeedRatelimit[];
}

const FAILED_CHECKS: Readonly<Record<string, FailedCheck>> = {
  NOT_FOUND: 'not_found',
  FORBIDDEN: 'workspace_disabled',
  DISABLED: 'disabled',
  EXPIRED: 'expired',
  INSUFFICIENT_PERMISSIONS: 'permissions',
  RATE_LIMITED: 'rate_limit',
  USAGE_EXCEEDED: 'credits',
};

export type VerificationListener = (event: VerificationEvent) => void;

/**
 * The verifications a server answers, for whoever listens now: nothing is kept. A listener must not block: each
 * SSE client queues what it gets in a bounded buffer of its own (see dashboard/event-stream.ts).
 */
export class VerificationFeed {
  private readonly listeners = new Set<VerificationListener>();

  constructor(private readonly clock: () => number) {}

  /** Listens until the answered function is called. */
  subscribe(listener: VerificationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** `workspaceId` (Unkey): the key's API is looked up by id within it, only here, while someone listens. */
  publish(
    store: Store,
    format: 'unkey' | 'clerk',
    code: string,
    detail?: VerificationDetail,
    workspaceId?: string,
    query?: string,
  ): void {
    const event: VerificationEvent = { time: this.clock(), format, code };
    const failedCheck = FAILED_CHECKS[code];
    if (failedCheck) event.failedCheck = failedCheck;
    if (detail?.keyId) {
      event.keyId = detail.keyId;
      const apiId = workspaceId ? store.keys.apiIdOf(workspaceId, detail.keyId) : undefined;
      if (apiId) event.apiId = apiId;
    }
    if (code === 'INSUFFICIENT_PERMISSIONS' && query) event.permissions = query;
    if (detail?.ratelimits && detail.ratelimits.length > 0)
      event.ratelimits = detail.ratelimits.map(({ name, limit, remaining, reset, exceeded }) => ({
        name,
        limit,
        remaining,
        reset,
        exceeded,
      }));
    // A listener's failure is its own: the verification it watches has been answered either way.
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}

const feedByStore = new WeakMap<Store, VerificationFeed>();

/** Opens the feed of a server's store (a server with a dashboard does this once). */
export function openVerificationFeed(store: Store, clock: () => number): VerificationFeed {
  let feed = feedByStore.get(store);
  if (!feed) {
    feed = new VerificationFeed(clock);
    feedByStore.set(store, feed);
  }
  return feed;
}

/** Called on every verification: one lookup and one `if` when nobody listens. */
export function publishVerification(
  store: Store,
  format: 'unkey' | 'clerk',
  code: string,
  detail?: VerificationDetail,
  workspaceId?: string,
  query?: string,
): void {
  const feed = feedByStore.get(store);
  if (feed?.listening) feed.publish(store, format, code, detail, workspaceId, query);
}
