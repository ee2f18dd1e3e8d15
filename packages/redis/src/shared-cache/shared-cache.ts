import type { ProviderAnswer } from '@keyguard/core';
import type { FleetAnswer, FleetMember } from '@keyguard/core/service';
import type { RedisLink } from '../connection/link.js';
import type { EntryCodec, SharedEntry } from '../keys/entry.js';
import type { Layout } from '../keys/layout.js';
import { READ, WRITE } from '../keys/scripts.js';
import { AbandonedLocks } from './abandoned-locks.js';
import type { Revocations } from './revocations.js';
import { Wakeups } from './wakeups.js';

/** How long a key stays marked metered in the shared cache (the mark only stops instances waiting for each other). */
export const METERED_MARK_MS = 60_000;
/**
 * How long an invalidation blocks sharing answers asked for before it. An answer whose provider call took longer
 * than half of it is not shared at all, so a tombstone always outlives the calls it has to stop.
 */
export const TOMBSTONE_MS = 60_000;
/**
 * Waiting for another instance's answer: the bus's "answered" message wakes the waiter; these reads are the fallback
 * for a message lost (after 50, 100, 200, then every 250 ms). While the bus does not listen, nothing wakes a waiter:
 * it looks again after 2, 4, 8, 16, then every 20 ms.
 */
const FALLBACK_MS = [50, 100, 200, 250];
const POLL_MS = [2, 4, 8, 16, 20];

export interface SharedCacheStats {
  sharedHits: number;
  providerCalls: number;
  waits: number;
  withoutRedis: number;
}

/** A missing entry is null (RESP2 and RESP3 alike), never anything but a string when present. */
type ReadResult = [string | null, number, number];

/**
 * The second level: on a memory miss, an answer another instance shared; else one instance takes a short lock and
 * asks the provider while the others wait for what it shares. Redis failing at any step means asking the provider
 * directly, never an error or a long wait.
 */
export class SharedCache {
  readonly stats: SharedCacheStats = { sharedHits: 0, providerCalls: 0, waits: 0, withoutRedis: 0 };
  private readonly writes = new Set<Promise<unknown>>();
  private tokens = 0;
  private readonly wakeups = new Wakeups();
  private readonly abandoned: AbandonedLocks;

  constructor(
    private readonly link: RedisLink,
    private readonly codec: EntryCodec,
    private readonly layout: Layout,
    private readonly lockMs: number,
    private readonly origin: string,
    private readonly revocations: Revocations,
    /** Whether the bus listens (then "answered" messages wake waiters). */
    private readonly listening: () => boolean,
  ) {
    this.abandoned = new AbandonedLocks(lockMs);
  }

  async resolve(member: FleetMember, digest: string, ask: () => Promise<ProviderAnswer>): Promise<FleetAnswer> {
    const name = this.codec.name(digest);
    const token = `${this.origin}:${(this.tokens += 1)}`;
    const deadline = Date.now() + this.abandoned.waitMs(name);
    for (let attempt = 0; ; attempt++) {
      const wakeup = this.wakeups.arm(name);
      try {
        const answered = await this.attempt(member, name, token, ask);
        if (answered) return answered;
        if (attempt === 0) this.stats.waits += 1;
        const left = deadline - Date.now();
        if (left <= 0) {
          this.abandoned.waitedInVain(name);
          return await this.askDirectly(ask);
        }
        const pause = this.listening() ? FALLBACK_MS : POLL_MS;
        await wakeup.wait(Math.min(left, pause[Math.min(attempt, pause.length - 1)]!));
      } finally {
        wakeup.disarm();
      }
    }
  }

  /** The bus says another instance answered `name` (or gave its lock up): its waiters read again now. */
  answered(name: string): void {
    this.wakeups.answered(name);
  }

  /** One read: the answer (shared, or asked for), or undefined when another instance is asking (wait for it). */
  private async attempt(
    member: FleetMember,
    name: string,
    token: string,
    ask: () => Promise<ProviderAnswer>,
  ): Promise<FleetAnswer | undefined> {
    const read = await this.read(name, token);
    if (!read) {
      this.stats.withoutRedis += 1;
      return this.askDirectly(ask);
    }
    const [value, locked, redisNow] = read;
    this.revocations.observeRedisTime(redisNow);
    const entry = typeof value === 'string' ? this.usable(name, value) : undefined;
    if (entry?.kind === 'answer') {
      this.stats.sharedHits += 1;
      return { answer: entry.answer, obtainedAt: entry.obtainedAt };
    }
    if (entry?.kind === 'metered') return this.askDirectly(ask);
    // Ours to ask, or an entry we cannot use (not signed with our secret, expired, revoked): ask and share the answer.
    if (locked === 1 || typeof value === 'string') return this.askAndShare(member, name, token, redisNow, ask);
    return undefined;
  }

  /** The entry, unless it is not ours, not intact, past its signed expiry, or asked for before an invalidation seen. */
  private usable(name: string, value: string): SharedEntry | undefined {
    const entry = this.codec.decode(name, value, Date.now());
    if (entry?.kind !== 'answer') return entry;
    const keyId = entry.answer.key?.id ?? entry.answer.keyId;
    return this.revocations.refuses(name, keyId, entry.askedAt) ? undefined : entry;
  }

  /** Lets pending writes finish (or time out) before the connection closes. */
  async settle(): Promise<void> {
    await Promise.all(this.writes);
  }

  private async read(name: string, token: string): Promise<ReadResult | undefined> {
    const result = await this.link.attempt((client) =>
      READ.run(client, this.layout.anchor, [this.layout.root, name, token, Math.ceil(this.lockMs)]),
    );
    return result?.value as ReadResult | undefined;
  }

  private async askDirectly(ask: () => Promise<ProviderAnswer>): Promise<FleetAnswer> {
    this.stats.providerCalls += 1;
    const answer = await ask();
    return { answer, obtainedAt: Date.now() };
  }

  private async askAndShare(
    member: FleetMember,
    name: string,
    token: string,
    askedAtRedis: number,
    ask: () => Promise<ProviderAnswer>,
  ): Promise<FleetAnswer> {
    this.stats.providerCalls += 1;
    const started = Date.now();
    let answer: ProviderAnswer;
    try {
      answer = await ask();
    } catch (error) {
      this.write(name, '', 0, '', askedAtRedis, token);
      throw error;
    }
    const now = Date.now();
    const shareMs = now - started < TOMBSTONE_MS / 2 ? member.shareMs(answer, now) : 0;
    const keyId = answer.key?.id ?? answer.keyId ?? '';
    if (shareMs > 0)
      this.write(
        name,
        keyId,
        shareMs,
        this.codec.encode(name, answer, shareMs, now, askedAtRedis),
        askedAtRedis,
        token,
      );
    else if (answer.metered)
      this.write(
        name,
        keyId,
        METERED_MARK_MS,
        this.codec.encode(name, undefined, METERED_MARK_MS, now, askedAtRedis),
        askedAtRedis,
        token,
      );
    else this.write(name, '', 0, '', askedAtRedis, token);
    return { answer, obtainedAt: now };
  }

  /** Shares an answer and releases the lock, in the background: the request does not wait for it. */
  private write(name: string, keyId: string, ttlMs: number, value: string, askedAtRedis: number, token: string): void {
    const write = this.link.attempt((client) =>
      WRITE.run(client, this.layout.anchor, [
        this.layout.root,
        name,
        keyId,
        Math.ceil(ttlMs),
        value,
        askedAtRedis,
        token,
        this.layout.channel,
      ]),
    );
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }
}
