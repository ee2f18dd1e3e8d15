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
  /** Counts up from 1 per feed: a page reading both the history and the stream drops what it has already. */
  id: number;
  /** Unix ms. */
  time: number;
  format: 'unkey' | 'clerk';
  code: string;
  keyId?: string;
  apiId?: string;
  failedCheck?: FailedCheck;
  /** The permission query, on INSUFFICIENT_PERMISSIONS. */
  permissions?: string;
  /**
   * The rate limits checked and what they have left (the exceeded ones made it RATE_LIMITED): the verify answer's
   * own objects, which may carry more fields than these (see feedRatelimits).
   */
  ratelimits?: readonly FeedRatelimit[];
}

/** The fields of FeedRatelimit alone, for sending: an answer's rate limits carry more. */
export const feedRatelimits = (ratelimits: readonly FeedRatelimit[]): FeedRatelimit[] =>
  ratelimits.map(({ name, limit, remaining, reset, exceeded }) => ({ name, limit, remaining, reset, exceeded }));

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

/** The check a code failed on, if it is a failure. */
export const failedCheckOf = (code: string): FailedCheck | undefined => FAILED_CHECKS[code];

/**
 * Keeps every verification (observability/verification-history.ts): given plain values rather than an event, so
 * that a verification with no one watching the stream allocates nothing for it.
 */
export interface VerificationRecorder {
  /** The API of a key the recorder has seen, so that the store is asked once per key. */
  apiIdOf(keyId: string): string | undefined;
  record(id: number, time: number, format: 'unkey' | 'clerk', code: string, keyId?: string, apiId?: string): void;
}

/**
 * The verifications a server answers, for whoever listens now and for one recorder that keeps a bounded past (the
 * dashboard's history). A listener must not block: each SSE client counts what it gets and keeps the latest whole,
 * sending them as one batch a few times a second (see dashboard/verification-batch.ts).
 */
export class VerificationFeed {
  private readonly listeners = new Set<VerificationListener>();
  private recorder: VerificationRecorder | undefined;
  private last = 0;

  /** `clock`: the server's (Unix ms), read for each event's time and by the history for "the last hour". */
  constructor(readonly clock: () => number) {}

  /** Listens until the answered function is called. */
  subscribe(listener: VerificationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands every verification from now on to `recorder` (one per feed: a later one replaces it). */
  keep(recorder: VerificationRecorder): void {
    this.recorder = recorder;
  }

  /** The id of the latest verification published (0 before the first). */
  get lastId(): number {
    return this.last;
  }

  get listening(): boolean {
    return this.listeners.size > 0 || this.recorder !== undefined;
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
    const id = ++this.last;
    const time = this.clock();
    const keyId = detail?.keyId || undefined;
    const apiId = keyId && workspaceId ? this.apiIdOf(store, workspaceId, keyId) : undefined;
    // The recorder's failure must not reach the verification it records, nor stop the live feed.
    try {
      this.recorder?.record(id, time, format, code, keyId, apiId);
    } catch {
      this.recorder = undefined;
    }
    if (this.listeners.size === 0) return;
    // One object literal with every field (undefined ones leave the JSON): one shape for every event, so reading it
    // stays cheap. The rate limits are the answer's own (not changed once answered); a batch copies the few it sends.
    const ratelimits = detail?.ratelimits;
    this.tell({
      id,
      time,
      format,
      code,
      keyId,
      apiId,
      failedCheck: FAILED_CHECKS[code],
      permissions: code === 'INSUFFICIENT_PERMISSIONS' ? query || undefined : undefined,
      ratelimits: ratelimits && ratelimits.length > 0 ? ratelimits : undefined,
    });
  }

  private apiIdOf(store: Store, workspaceId: string, keyId: string): string | undefined {
    return this.recorder?.apiIdOf(keyId) ?? store.keys.apiIdOf(workspaceId, keyId);
  }

  private tell(event: VerificationEvent): void {
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

/** Called on every verification: one lookup and one `if` when nobody listens (a server without a dashboard). */
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
