import { LRUCache } from 'lru-cache';
import type { Verification } from '../types.js';
import type { Retention } from './cache-policy.js';
import type { CacheSettings } from './options.js';

/** A valid key's answer and the times that bound how it may be served (the cache policy's, see cache-policy.ts). */
export interface ValidEntry extends Extract<Retention, { kind: 'valid' }> {
  hit: Verification;
  stale: Verification;
  /** Set when a background refresh started: a stale entry is refreshed once, not on every request. */
  refreshing: boolean;
}

/** A key whose verification spends credits or tokens: remembered only so that it is never coalesced. */
export type MeteredEntry = Extract<Retention, { kind: 'metered' }>;

/** A rate-limited key, turned away from memory until its window resets. */
export interface RateLimitedEntry {
  kind: 'rate_limited';
  keyId?: string;
  until: number;
  hit: Verification;
}

export type KeyEntry = ValidEntry | MeteredEntry | RateLimitedEntry;

/** Unknown, expired, disabled or out-of-credit keys, kept apart so a flood of them cannot evict real keys. */
export interface NegativeEntry {
  keyId?: string;
  until: number;
  hit: Verification;
}

/** Two bounded LRUs keyed by the key's digest, and an index from key id to digests for revocation by id. */
export class VerificationCache {
  readonly settings: CacheSettings;
  private readonly keys: LRUCache<string, KeyEntry>;
  private readonly negatives: LRUCache<string, NegativeEntry>;
  private readonly digestsByKeyId = new Map<string, Set<string>>();

  constructor(settings: CacheSettings) {
    this.settings = settings;
    const unindex = (entry: { keyId?: string }, digest: string, reason: LRUCache.DisposeReason) => {
      if (reason !== 'set') this.unindex(entry.keyId, digest);
    };
    this.keys = new LRUCache<string, KeyEntry>({ max: this.settings.maxEntries, dispose: unindex });
    this.negatives = new LRUCache<string, NegativeEntry>({ max: this.settings.maxNegativeEntries, dispose: unindex });
  }

  getKey(digest: string): KeyEntry | undefined {
    return this.keys.get(digest);
  }

  getNegative(digest: string): NegativeEntry | undefined {
    return this.negatives.get(digest);
  }

  setKey(digest: string, entry: KeyEntry): void {
    this.negatives.delete(digest);
    this.keys.set(digest, entry);
    this.index(entry.keyId, digest);
  }

  setNegative(digest: string, entry: NegativeEntry): void {
    this.keys.delete(digest);
    this.negatives.set(digest, entry);
    this.index(entry.keyId, digest);
  }

  delete(digest: string): void {
    this.keys.delete(digest);
    this.negatives.delete(digest);
  }

  deleteKeyId(keyId: string): void {
    const digests = this.digestsByKeyId.get(keyId);
    if (!digests) return;
    for (const digest of [...digests]) this.delete(digest);
    this.digestsByKeyId.delete(keyId);
  }

  get size(): number {
    return this.keys.size;
  }

  get negativeSize(): number {
    return this.negatives.size;
  }

  clear(): void {
    this.keys.clear();
    this.negatives.clear();
    this.digestsByKeyId.clear();
  }

  private index(keyId: string | undefined, digest: string): void {
    if (keyId === undefined) return;
    let digests = this.digestsByKeyId.get(keyId);
    if (!digests) {
      digests = new Set();
      this.digestsByKeyId.set(keyId, digests);
    }
    digests.add(digest);
  }

  private unindex(keyId: string | undefined, digest: string): void {
    if (keyId === undefined) return;
    const digests = this.digestsByKeyId.get(keyId);
    if (!digests) return;
    digests.delete(digest);
    if (digests.size === 0) this.digestsByKeyId.delete(keyId);
  }
}
