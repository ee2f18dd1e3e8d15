import { feedRatelimits, type VerificationEvent } from '../observability/verification-feed.js';

/** Verifications one batch carries whole at most (the latest ones); every other one is counted only. */
export const SAMPLE_SIZE = 100;
/** How often an open feed sends what it gathered: a few times a second is live enough for people to read. */
export const FLUSH_MS = 200;

/** How many verifications of one key (or of no key found) ended with one code, within one batch. */
export interface VerificationCount {
  apiId?: string;
  keyId?: string;
  code: string;
  count: number;
}

/**
 * One `verifications` event of the dashboard's feed: every verification the root key may see among the feed's ids
 * `firstId`..`lastId`, counted by key and code, and the latest ones whole.
 */
export interface VerificationBatch {
  /** The first of the feed's ids this batch covers (ids of verifications the root key may not see included). */
  firstId: number;
  /** The last id it covers: with the history's `lastId`, a page knows which batches it has already counted. */
  lastId: number;
  /** Unix ms of the latest verification in it. */
  time: number;
  /** Every verification in it, by key and code: their sum is how many the root key may see. */
  counts: VerificationCount[];
  /** The latest of them (at most SAMPLE_SIZE), oldest first. */
  events: VerificationEvent[];
  /** How many were counted but are not in `events`. */
  sampledOut: number;
}

interface KeyCounts {
  apiId: string | undefined;
  keyId: string | undefined;
  byCode: Map<string, number>;
}

/**
 * What one feed client has not been sent yet. Adding a verification is a ring write and a count (no string, no
 * permission check); filtering and serialising happen once per batch, off the verify path.
 */
export class VerificationBatcher {
  private readonly ring: (VerificationEvent | undefined)[] = new Array<VerificationEvent | undefined>(SAMPLE_SIZE);
  private next = 0;
  private total = 0;
  private firstId = 0;
  private lastId = 0;
  private time = 0;
  private readonly byKey = new Map<string, KeyCounts>();

  add(event: VerificationEvent): void {
    if (this.total++ === 0) this.firstId = event.id;
    this.lastId = event.id;
    this.time = event.time;
    this.ring[this.next] = event;
    this.next = this.next === SAMPLE_SIZE - 1 ? 0 : this.next + 1;
    const id = event.keyId ?? '';
    let counts = this.byKey.get(id);
    if (!counts) {
      counts = { apiId: event.apiId, keyId: event.keyId, byCode: new Map() };
      this.byKey.set(id, counts);
    }
    counts.byCode.set(event.code, (counts.byCode.get(event.code) ?? 0) + 1);
  }

  /**
   * Empties the batcher into a batch of what `visible` lets through (asked once per API per batch); undefined when
   * nothing in it is visible.
   */
  take(visible: (apiId: string | undefined) => boolean): VerificationBatch | undefined {
    if (this.total === 0) return undefined;
    const decided = new Map<string | undefined, boolean>();
    const sees = (apiId: string | undefined): boolean => {
      let may = decided.get(apiId);
      if (may === undefined) decided.set(apiId, (may = visible(apiId)));
      return may;
    };
    const counts: VerificationCount[] = [];
    let counted = 0;
    for (const { apiId, keyId, byCode } of this.byKey.values()) {
      if (!sees(apiId)) continue;
      for (const [code, count] of byCode) {
        counts.push({ ...(apiId ? { apiId } : {}), ...(keyId ? { keyId } : {}), code, count });
        counted += count;
      }
    }
    const events: VerificationEvent[] = [];
    for (let index = 0; index < SAMPLE_SIZE; index++) {
      const event = this.ring[(this.next + index) % SAMPLE_SIZE];
      if (event && sees(event.apiId))
        events.push(event.ratelimits ? { ...event, ratelimits: feedRatelimits(event.ratelimits) } : event);
    }
    const batch = { firstId: this.firstId, lastId: this.lastId, time: this.time, counts, events };
    this.ring.fill(undefined);
    this.next = 0;
    this.total = 0;
    this.byKey.clear();
    return counted > 0 ? { ...batch, sampledOut: counted - events.length } : undefined;
  }
}
