import { EventRing, type HistoryEvent } from './event-ring.js';
import { ClockCache, type ClockEntry } from './clock-cache.js';
import { MinuteSeries, minuteOf, slotOf, type MinuteCounts } from './minute-series.js';
import type { VerificationFeed, VerificationRecorder } from './verification-feed.js';

/** How much of the past the history keeps; every structure is bounded, whatever the traffic. */
export interface HistoryLimits {
  /** The latest verifications of all keys. */
  events: number;
  /** Keys whose latest verifications (and per-minute counts) are kept; one not verified lately goes first. */
  keys: number;
  /** The latest verifications kept per key. */
  perKey: number;
  /** APIs whose per-minute counts are kept; one not verified lately goes first. */
  apis: number;
}

/** What a server keeps: at most about 7 MB (1,000 keys of 50 events and 60 minutes each, 1,000 APIs' minutes). */
export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = { events: 2000, keys: 1000, perKey: 50, apis: 1000 };

/** A key's latest verifications and per-minute counts, and its API (a key never changes API; none for Clerk's). */
interface KeyEntry extends ClockEntry {
  apiId: string | undefined;
  /** Its API's entry when last seen, checked by id before use (it may have been reused for another API since). */
  api: ApiEntry | undefined;
  events: EventRing;
  minutes: MinuteSeries;
}

interface ApiEntry extends ClockEntry {
  minutes: MinuteSeries;
}

/** An entry found without its cache's touch(): marked used as touch() would. */
function hit<E extends ClockEntry>(entry: E): E {
  entry.used = true;
  return entry;
}

/**
 * The recent verifications a server answered, for the dashboard: the latest of all keys, the latest per key, and
 * per-minute counts by outcome per key and per API for the last hour. In memory only (gone on restart), bounded by
 * `limits`, holding ids, codes and times: never a key.
 */
export class VerificationHistory implements VerificationRecorder {
  private readonly latest: EventRing;
  private readonly keys: ClockCache<KeyEntry>;
  private readonly apis: ClockCache<ApiEntry>;

  constructor(readonly limits: Readonly<HistoryLimits> = DEFAULT_HISTORY_LIMITS) {
    this.latest = new EventRing(limits.events);
    this.keys = new ClockCache<KeyEntry>(
      limits.keys,
      (id) => ({
        id,
        used: false,
        apiId: undefined,
        api: undefined,
        events: new EventRing(limits.perKey, false),
        minutes: new MinuteSeries(),
      }),
      (entry) => {
        entry.apiId = undefined;
        entry.api = undefined;
        entry.events.clear();
        entry.minutes.clear();
      },
    );
    this.apis = new ClockCache<ApiEntry>(
      limits.apis,
      (id) => ({ id, used: false, minutes: new MinuteSeries() }),
      (entry) => entry.minutes.clear(),
    );
  }

  // The feed asks for a key's API just before recording its verification: the entry found is kept for record().
  private looked: KeyEntry | undefined;

  apiIdOf(keyId: string): string | undefined {
    this.looked = this.keys.get(keyId);
    return this.looked?.apiId;
  }

  /** Called by the feed for every verification, with what the feed knows of it. */
  record(id: number, time: number, format: 'unkey' | 'clerk', code: string, keyId?: string, apiId?: string): void {
    this.latest.push(id, time, format, code, keyId, apiId);
    const minute = minuteOf(time);
    const codeSlot = slotOf(code);
    const looked = this.looked;
    this.looked = undefined;
    if (keyId === undefined) {
      if (apiId !== undefined) this.apis.touch(apiId).minutes.add(minute, codeSlot);
      return;
    }
    const entry = looked !== undefined && looked.id === keyId ? hit(looked) : this.keys.touch(keyId);
    if (apiId !== undefined) {
      entry.apiId = apiId;
      entry.api = entry.api !== undefined && entry.api.id === apiId ? hit(entry.api) : this.apis.touch(apiId);
      entry.api.minutes.add(minute, codeSlot);
    }
    entry.events.push(id, time, format, code);
    entry.minutes.add(minute, codeSlot);
  }

  /** The latest verifications of all keys whose API `keep` accepts, oldest first. */
  latestEvents(keep?: (apiId: string | undefined) => boolean): HistoryEvent[] {
    return this.latest.read(keep);
  }

  /** A key's latest verifications (oldest first), its API and its per-minute counts; none if unseen. */
  ofKey(keyId: string, now: number): { apiId?: string; events: HistoryEvent[]; minutes: MinuteCounts[] } {
    const entry = this.keys.get(keyId);
    if (!entry) return { events: [], minutes: [] };
    return {
      ...(entry.apiId !== undefined ? { apiId: entry.apiId } : {}),
      events: entry.events.read(undefined, { keyId, ...(entry.apiId !== undefined ? { apiId: entry.apiId } : {}) }),
      minutes: entry.minutes.read(now),
    };
  }

  /** An API's per-minute counts over the last hour. */
  minutesOfApi(apiId: string, now: number): MinuteCounts[] {
    return this.apis.get(apiId)?.minutes.read(now) ?? [];
  }

  /** How many entries each structure holds now (for tests and sizing). */
  get sizes(): { events: number; keys: number; keyEvents: number; apis: number } {
    let keyEvents = 0;
    for (const entry of this.keys.values()) keyEvents += entry.events.size;
    return { events: this.latest.size, keys: this.keys.size, keyEvents, apis: this.apis.size };
  }
}

const historyByFeed = new WeakMap<VerificationFeed, VerificationHistory>();

/** The history of a feed, made and handed to it on first use (a server with a dashboard does this once). */
export function openVerificationHistory(feed: VerificationFeed): VerificationHistory {
  let history = historyByFeed.get(feed);
  if (!history) {
    history = new VerificationHistory();
    feed.keep(history);
    historyByFeed.set(feed, history);
  }
  return history;
}
