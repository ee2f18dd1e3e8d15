import type { Invalidation } from '@keyguard/core/service';
import type { RedisLink } from '../connection/link.js';
import type { Layout } from '../keys/layout.js';
import { SYNC, type RedisClient } from '../keys/scripts.js';
import { parseAnswered, parseMessage, type BusMessage } from './message.js';
import { newBusId } from './publisher.js';

/** Why memory must be dropped whole. */
export interface Missed {
  /** The first subscription of this fleet object: it had nothing to miss, but knows nothing either. */
  first: boolean;
  /** Redis's time by which the missed invalidations happened (undefined when Redis could not say). */
  redisAt: number | undefined;
}

export interface BusHandlers {
  /** An invalidation from another fleet object. */
  received(invalidation: Invalidation, message: BusMessage): void;
  /** Every invalidation on the bus, this fleet object's own included (the shared cache remembers them all). */
  seen(message: BusMessage): void;
  /** Another instance's answer for this name was written (or its lock released): whoever waits for it may read. */
  answered(name: string): void;
  /** Invalidations may have been missed (first subscription, a reconnect after some were published, a gap): drop everything. */
  missed(missed: Missed): void;
}

/**
 * The subscribing side of the bus. Every message carries its bus id and number; the subscription remembers the last
 * ones and, each time it (re)subscribes, reads the current ones: anything published while it was not listening (or a
 * Redis that lost its data) shows as a difference, and then memory is dropped as a whole. A reconnect during which
 * nothing was published costs nothing.
 */
export class BusSubscription {
  /**
   * The bus id, number and Redis time of the last invalidation known, undefined when not known (then anything may be
   * missed). The time tells apart two invalidations a lossy failover gave the same number (see SYNC).
   */
  private last: Position | undefined;
  private subscribed = false;
  /** Subscribed and compared at least once: from then on a difference means something was missed. */
  private synced = false;
  private closed = false;
  private readonly waiting: (() => void)[] = [];
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly link: RedisLink,
    private readonly layout: Layout,
    private readonly origin: string,
    private readonly handlers: BusHandlers,
    private readonly retryMs: number,
  ) {}

  start(): void {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.layout.channel) this.onMessage(text);
    });
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  /**
   * Resolves once the bus listens and knows the number of the last invalidation (so a gap from then on is noticed).
   * Verification does not wait for it.
   */
  ready(): Promise<void> {
    if (this.subscribed && this.last) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.retry);
  }

  private async subscribe(): Promise<void> {
    if (this.closed) return;
    try {
      await this.subscriber.subscribe(this.layout.channel);
    } catch {
      // Not subscribed: the connection drops and comes back ready, or we try again shortly.
      setTimeout(() => void this.subscribe(), this.retryMs).unref();
      return;
    }
    // Read the number only now that we listen: whatever is published from here on reaches us.
    const current = await this.readPosition();
    if (!current.position || !sameInvalidation(current.position, this.last))
      this.handlers.missed({ first: !this.synced, redisAt: current.redisAt });
    this.synced = true;
    this.last = current.position;
    this.subscribed = true;
    if (current.position) this.positionKnown();
    else this.learnPosition();
  }

  /** Where the bus stands (undefined when Redis could not say: the command connection not ready yet, or failing). */
  private async readPosition(): Promise<{ position: Position | undefined; redisAt: number | undefined }> {
    const synced = await this.link.attempt((client) =>
      SYNC.run(client, this.layout.anchor, [this.layout.root, newBusId()]),
    );
    const [bus, seq, redisAt, at] = (synced?.value ?? []) as [string?, number?, number?, string?];
    const position = bus !== undefined && seq !== undefined ? { bus, seq, at: String(at ?? '0') } : undefined;
    return { position, redisAt };
  }

  /**
   * The number could not be read when subscribing: the command connection connects on its own and may be ready after
   * this one (or Redis failed). Memory was dropped as for a difference; the number is read again until known (or a
   * message tells it), so that a gap in the messages from then on is noticed. Listening all along, nothing published
   * since the drop was missed: the number read is where this subscription stands.
   */
  private learnPosition(): void {
    if (this.retry) return;
    this.retry = setTimeout(
      () => {
        this.retry = undefined;
        if (this.closed || !this.subscribed || this.last) return;
        void this.readPosition().then(({ position }) => {
          if (this.closed || !this.subscribed || this.last) return;
          if (!position) return this.learnPosition();
          this.last = position;
          this.positionKnown();
        });
      },
      Math.min(this.retryMs, POSITION_RETRY_MS),
    ).unref();
  }

  private positionKnown(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private onMessage(text: string): void {
    // Not numbered: losing one costs a waiter its fallback poll, never an invalidation.
    const answered = parseAnswered(text);
    if (answered !== undefined) return this.handlers.answered(answered);
    const message = parseMessage(text);
    if (!message) return;
    const last = this.last;
    if (last && (message.bus !== last.bus || message.seq > last.seq + 1))
      this.handlers.missed({ first: false, redisAt: message.redisAt });
    if (!last || message.bus !== last.bus || message.seq > last.seq)
      this.last = { bus: message.bus, seq: message.seq, at: String(message.redisAt) };
    if (!last && this.subscribed) this.positionKnown();
    this.handlers.seen(message);
    if (message.origin !== this.origin) this.handlers.received(message.invalidation, message);
  }
}

/** How often the number is read again while it is not known; cheap: a link not ready answers at once. */
const POSITION_RETRY_MS = 100;

/** The bus id, number and Redis time of an invalidation. */
interface Position {
  bus: string;
  seq: number;
  at: string;
}

/** The same last invalidation: same bus, same number, and (when both know it) noted at the same Redis time. */
function sameInvalidation(current: Position, last: Position | undefined): boolean {
  if (!last || current.bus !== last.bus || current.seq !== last.seq) return false;
  // '0': a bus written before the time was noted (an older version published the last one): the number alone decides.
  return current.at === '0' || last.at === '0' || current.at === last.at;
}
