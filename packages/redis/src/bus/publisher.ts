import { randomBytes } from 'node:crypto';
import type { Invalidation } from '@keyguard/core/service';
import type { RedisLink } from '../connection/link.js';
import type { EntryCodec } from '../keys/entry.js';
import type { Layout } from '../keys/layout.js';
import { INVALIDATE, type RedisClient } from '../keys/scripts.js';
import { TOMBSTONE_MS } from '../shared-cache/shared-cache.js';
import { formatMessage, kindOf, preciseNow } from './message.js';

/** Past this many unsent invalidations, they are replaced by one "drop everything". */
const MAX_UNSENT = 1_000;

/** Drops the shared answers and publishes one invalidation, in one script: the bus never runs ahead of the cache. */
export function runInvalidation(
  client: RedisClient,
  layout: Layout,
  invalidation: Invalidation,
  target: string,
  message: string,
): Promise<unknown> {
  return INVALIDATE.run(client, layout.anchor, [
    layout.root,
    layout.channel,
    kindOf(invalidation),
    target,
    message,
    TOMBSTONE_MS,
    newBusId(),
  ]);
}

/** A bus id, should this invalidation be the first of a (new) Redis. */
export const newBusId = () => randomBytes(8).toString('hex');

/**
 * The publishing side of the bus. An invalidation that cannot be sent (Redis away) waits here, in order, and goes out
 * as soon as Redis is back, so an instance that revoked a key while Redis was down still tells the others.
 */
export class BusPublisher {
  published = 0;
  private readonly queue: Invalidation[] = [];
  private flushing: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly codec: EntryCodec,
    private readonly layout: Layout,
    private readonly origin: string,
    private readonly retryMs: number,
  ) {}

  get unsent(): number {
    return this.queue.length;
  }

  send(invalidation: Invalidation): void {
    if (this.queue.length >= MAX_UNSENT) this.queue.splice(0, this.queue.length, { all: true });
    else this.queue.push(invalidation);
    void this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.sendQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const invalidation = this.queue[0]!;
      const target =
        invalidation.digest !== undefined ? this.codec.name(invalidation.digest) : (invalidation.keyId ?? '');
      const message = formatMessage(this.origin, preciseNow(), invalidation);
      const sent = await this.link.attempt((client) =>
        runInvalidation(client, this.layout, invalidation, target, message),
      );
      if (!sent) {
        // Redis is away: the connection's next `ready` sends them, or this timer if it never dropped (a slow Redis).
        clearTimeout(this.retry);
        this.retry = setTimeout(() => void this.flush(), this.retryMs);
        this.retry.unref();
        return;
      }
      this.queue.shift();
      this.published += 1;
    }
  }
}
