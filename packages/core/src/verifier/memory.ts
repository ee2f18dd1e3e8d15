import type { ProviderAnswer, Verification } from '../types.js';
import type { ValidEntry, VerificationCache } from './cache.js';
import { retentionOf } from './cache-policy.js';
import type { BatchedMeter } from './metering/batched-meter.js';
import type { VerifierStats } from './stats.js';
import type { WaitUntil } from './types.js';
import { verificationOf } from './verification.js';

/** What the verifier counts itself; `stats()` adds the cache's entry counts. */
export type Counters = Omit<VerifierStats, 'entries' | 'negativeEntries' | 'metering'>;

/** Starts a background refresh of a stale entry (the request path's, which coalesces it with other calls). */
export type Refresh = (key: string, digest: string, entry: ValidEntry, waitUntil: WaitUntil | undefined) => void;

/**
 * The verifier's memory: what it answers without the provider (the cached path, run on every request: keep it cheap),
 * and what it keeps of each provider answer, as the cache policy says.
 */
export class Memory {
  constructor(
    readonly cache: VerificationCache | undefined,
    private readonly counters: Counters,
    private readonly metering: BatchedMeter | undefined,
    private readonly refresh: Refresh,
  ) {}

  /** The answer memory can give for a digest, or undefined when the provider must be asked. */
  lookup(key: string, digest: string, waitUntil: WaitUntil | undefined): Verification | undefined {
    const cache = this.cache;
    if (!cache) return undefined;
    const now = Date.now();
    // Real keys first: a digest is never in both caches, and valid keys are the common case.
    const entry = cache.getKey(digest);
    if (entry?.kind === 'valid' && now < entry.expiresAt) {
      if (now < entry.freshUntil) {
        this.counters.hits += 1;
        return entry.hit;
      }
      if (now < entry.staleUntil) {
        this.counters.staleHits += 1;
        this.refresh(key, digest, entry, waitUntil);
        return entry.stale;
      }
    } else if (entry?.kind === 'metered' && this.metering) {
      const admitted = this.metering.admit(key, digest, now);
      if (admitted) {
        this.counters.hits += 1;
        return admitted;
      }
    } else if (entry?.kind === 'rate_limited' && now < entry.until) {
      this.counters.hits += 1;
      return entry.hit;
    }
    if (entry) return undefined;
    const negative = cache.getNegative(digest);
    if (negative && now < negative.until) {
      this.counters.negativeHits += 1;
      return negative.hit;
    }
    return undefined;
  }

  /** Keeps an answer as the cache policy says (`retentionOf`), the same policy the fleet shares by. */
  store(digest: string, answer: ProviderAnswer, now: number): void {
    const cache = this.cache;
    if (!cache) return;
    const kept = retentionOf(answer, cache.settings, now);
    switch (kept?.kind) {
      case 'valid': {
        const { keyId, freshUntil, staleUntil, staleIfErrorUntil, expiresAt } = kept;
        const [hit, stale] = [
          Object.freeze(verificationOf(answer, 'cache')),
          Object.freeze(verificationOf(answer, 'stale')),
        ];
        cache.setKey(digest, {
          kind: 'valid',
          keyId,
          freshUntil,
          staleUntil,
          staleIfErrorUntil,
          expiresAt,
          hit,
          stale,
          refreshing: false,
        });
        return;
      }
      case 'metered':
        cache.setKey(digest, { kind: 'metered', keyId: kept.keyId });
        return;
      case 'rate_limited':
        cache.setKey(digest, {
          kind: 'rate_limited',
          keyId: kept.keyId,
          until: kept.until,
          hit: Object.freeze({ ...verificationOf(answer, 'cache'), retryAt: kept.until }),
        });
        return;
      case 'negative':
        cache.setNegative(digest, {
          keyId: kept.keyId,
          until: kept.until,
          hit: Object.freeze(verificationOf(answer, 'cache')),
        });
        return;
      default:
    }
  }

  /** Whether memory holds the digest as a metered key (its requests are never coalesced). */
  isMetered(digest: string): boolean {
    return this.cache?.getKey(digest)?.kind === 'metered';
  }
}
