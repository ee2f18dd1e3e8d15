import { randomBytes } from 'node:crypto';
import { ConfigurationError, type Fleet } from '@keyguard/core';
import type { FleetMember, FleetMembership, Invalidation } from '@keyguard/core/service';
import { preciseNow } from './bus/message.js';
import { BusPublisher } from './bus/publisher.js';
import { BusSubscription } from './bus/subscription.js';
import { Availability } from './connection/availability.js';
import { closeConnection, openConnections, type Connections } from './connection/clients.js';
import { RedisLink } from './connection/link.js';
import { EntryCodec } from './keys/entry.js';
import { layoutFor, type Layout } from './keys/layout.js';
import { resolveOptions, type RedisFleetOptions, type ResolvedOptions } from './options.js';
import { SharedMetering, type SharedMeteringCounts } from './metering/shared-metering.js';
import { Revocations } from './shared-cache/revocations.js';
import { SharedCache } from './shared-cache/shared-cache.js';

export interface RedisFleetStats {
  /** Memory misses answered from what another instance shared. */
  sharedHits: number;
  /** Memory misses this instance took to the provider. */
  providerCalls: number;
  /** Memory misses that waited for another instance asking the provider about the same new key. */
  waits: number;
  /** Memory misses answered without Redis (down, slow, or left alone for `retryMs` after a failure). */
  withoutRedis: number;
  /** Invalidations sent on the bus. */
  published: number;
  /** Invalidations not sent yet (Redis unreachable): sent when it is back. */
  unsent: number;
  /** Invalidations received from other instances. */
  received: number;
  /** Times memory was dropped whole because invalidations may have been missed. */
  resyncs: number;
  /** The command connection is up and in use. */
  connected: boolean;
  /** The bus listens. */
  subscribed: boolean;
  /** Batched metering shared by this fleet's verifiers (all zero without `metering: { mode: 'batched' }`). */
  metering: {
    /** Round trips that wrote this instance's unconfirmed admissions and read the others'. */
    trips: number;
    /** Round trips that could not reach Redis: the others' counts then read as zero (each instance on its own). */
    withoutRedis: number;
    /** Budgets (a key's credits, a rate limit) whose counts are shared now. */
    budgets: number;
    /** The other instances' unconfirmed admissions, summed over those budgets, as last read. */
    othersUnconfirmed: number;
    /** Fields of the shared counts that held no count an instance writes (someone else wrote them): ignored, dropped. */
    garbage: number;
  };
}

/**
 * A fleet of verifiers on Redis: pass it as `createVerifier({ fleet })` on every instance. It opens two connections
 * (commands, and the bus subscriber) and closes them when the last verifier using it closes, or with `close()`.
 */
export class RedisFleet implements Fleet {
  private readonly options: ResolvedOptions;
  private readonly connections: Connections;
  private readonly members = new Set<FleetMember>();
  private readonly cache: SharedCache;
  private readonly publisher: BusPublisher;
  private readonly subscription: BusSubscription;
  private readonly link: RedisLink;
  private readonly metering = new Set<SharedMetering>();
  private readonly meteringCounts: SharedMeteringCounts = { trips: 0, withoutRedis: 0, garbage: 0 };
  private joined = 0;
  private readonly origin: string;
  private readonly layout: Layout;
  private readonly codec: EntryCodec;
  private readonly revocations: Revocations;
  private received = 0;
  private resyncs = 0;
  private closing: Promise<void> | undefined;
  private readonly detachFromCommand: () => void;

  constructor(options: RedisFleetOptions) {
    this.options = resolveOptions(options);
    const { prefix, timeoutMs, retryMs, lockMs, logger, secret } = this.options;
    const origin = randomBytes(8).toString('hex');
    const layout = layoutFor(prefix);
    this.origin = origin;
    this.layout = layout;
    const codec = new EntryCodec(secret);
    this.connections = openConnections(this.options.redis, timeoutMs);
    const { command, subscriber } = this.connections;
    const availability = new Availability(command, retryMs, logger, prefix);
    // Connection errors are expected while Redis is away: they reach the one warning, never an unhandled 'error'.
    const onError = (error: unknown) => availability.failed(error);
    command.on('error', onError);
    subscriber.on('error', () => {});
    this.link = new RedisLink(command, availability, timeoutMs);
    const revocations = (this.revocations = new Revocations());
    this.codec = codec;
    this.cache = new SharedCache(
      this.link,
      codec,
      layout,
      lockMs,
      origin,
      revocations,
      () => this.subscription.isSubscribed,
    );
    this.publisher = new BusPublisher(this.link, codec, layout, origin, retryMs);
    const onReady = () => {
      availability.reconnected();
      void this.publisher.flush();
    };
    command.on('ready', onReady);
    // A client the app passed in outlives the fleet: it must not keep the fleet's listeners.
    this.detachFromCommand = () => {
      command.off('error', onError);
      command.off('ready', onReady);
    };
    this.subscription = new BusSubscription(
      subscriber,
      this.link,
      layout,
      origin,
      {
        received: (invalidation, message) => {
          this.received += 1;
          this.drop(invalidation);
          this.options.onInvalidation?.({
            kind:
              message.invalidation.digest !== undefined
                ? 'digest'
                : message.invalidation.keyId !== undefined
                  ? 'keyId'
                  : 'all',
            publishedAt: message.publishedAt,
            droppedAt: preciseNow(),
          });
        },
        answered: (name) => this.cache.answered(name),
        seen: ({ invalidation, redisAt }) => this.remember(invalidation, redisAt),
        missed: ({ first, redisAt }) => {
          this.resyncs += 1;
          if (redisAt !== undefined) revocations.observeRedisTime(redisAt);
          // Whatever was missed happened before now: shared answers asked for until then are not trusted either.
          if (!first) revocations.refuseUntil(redisAt ?? revocations.redisNow());
          this.drop({ all: true });
        },
      },
      retryMs,
    );
    this.subscription.start();
  }

  join(member: FleetMember): FleetMembership {
    if (this.closing) throw new ConfigurationError('this Redis fleet is closed: create a new one with redisFleet()');
    this.members.add(member);
    // Each verifier is an instance of its own in the counts, even beside others on this fleet object.
    const metering = member.metering
      ? new SharedMetering(
          this.link,
          this.layout,
          `${this.origin}:${(this.joined += 1)}`,
          member.metering.refreshMs,
          this.meteringCounts,
        )
      : undefined;
    if (metering) this.metering.add(metering);
    return {
      resolve: (digest, ask) => this.cache.resolve(member, digest, ask),
      publish: (invalidation) => {
        // Remembered at once: until the INVALIDATE script has run, Redis still holds the answer being revoked, and a
        // request on this instance must not take it back into memory.
        this.remember(invalidation, this.revocations.redisNow());
        this.drop(invalidation, member);
        this.publisher.send(invalidation);
      },
      leave: async () => {
        if (metering) {
          await metering.close();
          this.metering.delete(metering);
        }
        this.members.delete(member);
        if (this.members.size === 0) await this.close();
      },
      metering,
    };
  }

  /**
   * Resolves once the bus listens and knows the last invalidation's number (so any gap from then on is noticed).
   * Verification does not wait for it; tests and start-up checks may.
   */
  ready(): Promise<void> {
    return this.subscription.ready();
  }

  /**
   * Resolves once every invalidation published so far is sent, or could not be (then `stats().unsent` counts it), and
   * batched metering's counts are written and the others' read.
   */
  async flush(): Promise<void> {
    await Promise.all([this.publisher.flush(), ...[...this.metering].map((metering) => metering.flush())]);
  }

  /**
   * What the fleet did so far: the shared cache's hits, provider calls and waits, the bus's invalidations (published,
   * unsent, received, resyncs), whether Redis and the bus are up now, and batched metering's shared counts. Counters
   * only, never a key: fit for a metrics endpoint.
   */
  stats(): RedisFleetStats {
    let budgets = 0;
    let othersUnconfirmed = 0;
    for (const metering of this.metering) {
      const view = metering.view();
      budgets += view.budgets;
      othersUnconfirmed += view.othersUnconfirmed;
    }
    return {
      ...this.cache.stats,
      published: this.publisher.published,
      unsent: this.publisher.unsent,
      received: this.received,
      resyncs: this.resyncs,
      connected: this.link.availability.usable(),
      subscribed: this.subscription.isSubscribed,
      metering: { ...this.meteringCounts, budgets, othersUnconfirmed },
    };
  }

  /** Sends what it can of the unsent invalidations, and closes the connections it opened. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.subscription.stop();
      await Promise.all([...this.metering].map((metering) => metering.close()));
      await this.publisher.flush();
      await this.cache.settle();
      const { command, subscriber, ownsCommand } = this.connections;
      if (!ownsCommand) this.detachFromCommand();
      await Promise.all([
        closeConnection(subscriber, this.options.timeoutMs),
        ownsCommand ? closeConnection(command, this.options.timeoutMs) : undefined,
      ]);
    })();
    return this.closing;
  }

  /** Remembers an invalidation (Redis time) so that shared answers asked for before it are refused. */
  private remember({ digest, keyId }: Invalidation, redisAt: number): void {
    const target =
      digest !== undefined
        ? { name: this.codec.name(digest) }
        : keyId !== undefined
          ? { keyId }
          : { all: true as const };
    this.revocations.note(target, redisAt);
  }

  /** Drops from the memory of every member of this process but `except` (the one that invalidated). */
  private drop(invalidation: Invalidation, except?: FleetMember): void {
    for (const member of this.members) if (member !== except) member.drop(invalidation);
  }
}

/** A fleet of verifiers sharing a second-level cache and an invalidation bus on Redis (or Valkey). */
export function redisFleet(options: RedisFleetOptions): RedisFleet {
  return new RedisFleet(options);
}
