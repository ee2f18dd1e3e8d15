import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayOnApi } from '../domain/permissions/root-key-permissions.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import type { VerificationEvent, VerificationFeed } from '../observability/verification-feed.js';
import { SECURITY_HEADERS } from './headers.js';
import { FLUSH_MS, VerificationBatcher } from './verification-batch.js';

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
 * One SSE connection: events are written while the connection takes them and queued (at most MAX_QUEUED_EVENTS)
 * while it does not, so that a slow client never makes the server wait. The feed sends through it only while it is
 * `ready` (see openEventStream), so the queue is for what must not wait, and the drop count a last resort.
 */
export class EventStream {
  private readonly queue: string[] = [];
  private blocked = false;
  private dropped = 0;

  constructor(private readonly response: ServerResponse) {
    response.on('drain', () => this.flush());
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    if (!this.blocked) {
      this.blocked = !this.response.write(text);
      return;
    }
    if (this.queue.length < MAX_QUEUED_EVENTS) this.queue.push(text);
    else this.dropped++;
  }

  /** Whether a send now goes to the socket rather than to the queue. */
  get ready(): boolean {
    return !this.blocked && !this.closed;
  }

  comment(text: string): void {
    if (!this.blocked && !this.closed) this.blocked = !this.response.write(`: ${text}\n\n`);
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

/** An open feed client, as the dashboard keeps it: sends what it gathered now, or ends. */
export interface FeedClient {
  /** Sends the client's batch now: the history does this before it answers its `lastId` (see VerificationBatch). */
  flush(): void;
  end(): void;
}

/**
 * Opens `GET <path>/events` for an authenticated root key; answers until the client or the server closes it. First a
 * `start` event with the feed's latest id, then every FLUSH_MS a `verifications` batch (dashboard/verification-batch.ts)
 * while the connection takes them: a client that does not read holds one batch, which keeps counting.
 */
export function openEventStream(
  request: IncomingMessage,
  response: ServerResponse,
  context: {
    store: Store;
    feed: VerificationFeed;
    rootKey: RootKeyRecord;
    rootKeyHash: string;
    streams: Set<FeedClient>;
  },
): void {
  const { store, feed, rootKeyHash, streams } = context;
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const stream = new EventStream(response);
  stream.comment('keyguard verifications');
  stream.send('start', { lastId: feed.lastId });
  const batcher = new VerificationBatcher();
  const unsubscribe = feed.subscribe((event) => batcher.add(event));
  const client: FeedClient = {
    flush() {
      if (!stream.ready) return;
      // The store's cached record, dropped on every write to root keys: a permission taken away counts from now.
      const rootKey = store.rootKeys.findByHash(rootKeyHash);
      if (!rootKey) return void response.end();
      const batch = batcher.take((apiId) => mayWatchApi(rootKey, apiId));
      if (batch) stream.send('verifications', batch);
    },
    end: () => response.end(),
  };
  const flushing = setInterval(client.flush, FLUSH_MS);
  flushing.unref();
  const heartbeat = setInterval(() => {
    if (!store.rootKeys.findByHash(rootKeyHash)) response.end();
    else stream.comment('heartbeat');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  streams.add(client);
  const close = () => {
    unsubscribe();
    clearInterval(flushing);
    clearInterval(heartbeat);
    streams.delete(client);
  };
  response.once('close', close);
  request.once('close', () => response.end());
}
