import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayOnApi } from '../domain/permissions/root-key-permissions.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import type { VerificationEvent, VerificationFeed } from '../observability/verification-feed.js';
import { SECURITY_HEADERS } from './headers.js';

/** Events one client may have waiting while its connection is slow; past it new ones are dropped and counted. */
export const MAX_QUEUED_EVENTS = 256;
/** A comment line this often keeps proxies from closing an idle stream, and rechecks that the root key lives. */
const HEARTBEAT_MS = 15_000;

/**
 * What a root key sees of the feed: verifications of keys of the APIs it may read keys of. Those of no API (a key
 * not found, a Clerk API key) only a root key that may read keys of every API sees.
 */
export function mayWatch(rootKey: RootKeyRecord, event: VerificationEvent): boolean {
  return mayWatchApi(rootKey, event.apiId);
}

/** Whether a root key sees the verifications of keys of `apiId` (of no API when undefined): see mayWatch. */
export function mayWatchApi(rootKey: RootKeyRecord, apiId: string | undefined): boolean {
  return apiId !== undefined ? mayOnApi(rootKey, 'read_key', apiId) : rootKey.permissions.has('api.*.read_key');
}

/**
 * One SSE client: events are written while the connection takes them and queued (at most MAX_QUEUED_EVENTS) while
 * it does not, so that a slow client costs the verify path one string and one array push, never a wait.
 */
export class EventStream {
  private readonly queue: string[] = [];
  private blocked = false;
  private dropped = 0;
  private corked = false;

  constructor(private readonly response: ServerResponse) {
    response.on('drain', () => this.flush());
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    if (!this.blocked) {
      this.coalesce();
      this.blocked = !this.response.write(text);
      return;
    }
    if (this.queue.length < MAX_QUEUED_EVENTS) this.queue.push(text);
    else this.dropped++;
  }

  comment(text: string): void {
    if (!this.blocked && !this.closed) this.blocked = !this.response.write(`: ${text}\n\n`);
  }

  /**
   * The events of one turn of the event loop go out in one socket write: one write per verification cost the verify
   * path about a third more CPU (bench/RESULTS.md, "The local key service's verifyKey").
   */
  private coalesce(): void {
    if (this.corked) return;
    this.corked = true;
    this.response.cork();
    setImmediate(() => {
      this.corked = false;
      this.response.uncork();
    });
  }

  // Ended or gone: a write now would only raise an error event on the response.
  private get closed(): boolean {
    return this.response.writableEnded || this.response.destroyed;
  }

  private flush(): void {
    this.blocked = false;
    while (this.queue.length > 0 && !this.blocked) this.blocked = !this.response.write(this.queue.shift()!);
    if (!this.blocked && this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      this.send('dropped', { count: dropped });
    }
  }
}

/** Opens `GET <path>/events` for an authenticated root key; answers until the client or the server closes it. */
export function openEventStream(
  request: IncomingMessage,
  response: ServerResponse,
  context: {
    store: Store;
    feed: VerificationFeed;
    rootKey: RootKeyRecord;
    rootKeyHash: string;
    streams: Set<ServerResponse>;
  },
): void {
  const { store, feed, rootKey, rootKeyHash, streams } = context;
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const stream = new EventStream(response);
  stream.comment('keyguard verifications');
  const unsubscribe = feed.subscribe((event) => {
    if (mayWatch(rootKey, event)) stream.send('verification', event);
  });
  const heartbeat = setInterval(() => {
    if (!store.rootKeys.findByHash(rootKeyHash)) response.end();
    else stream.comment('heartbeat');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  streams.add(response);
  const close = () => {
    unsubscribe();
    clearInterval(heartbeat);
    streams.delete(response);
  };
  response.once('close', close);
  request.once('close', () => response.end());
}
