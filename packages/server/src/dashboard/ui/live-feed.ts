import { historyClient } from './history-client.js';
import type { CountRow, Verification, VerificationBatch } from './types.js';

/** Verifications kept whole in the page (oldest dropped first): the feed's memory is bounded in the browser too. */
export const KEPT_EVENTS = 5000;
/** Counts kept: the key's and API's charts show an hour; rows past either bound go first. */
const KEPT_COUNTS_MS = 65 * 60_000;
const KEPT_COUNT_ROWS = 100_000;

/** A number of verifications of one key and code at one time: what the charts count. */
export interface Counted {
  time: number;
  code: string;
  count: number;
  apiId?: string;
  keyId?: string;
}

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

// Beside the script, under the dashboard's path: `<path>/assets/app-….js` → `<path>/events`.
const EVENTS_URL = new URL('../events', import.meta.url).href;

/** Splits server-sent events (WHATWG HTML §9.2) out of the text read so far; answers what is left unfinished. */
export function parseEvents(text: string, onEvent: (event: string, data: string) => void): string {
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) onEvent(event, data.join('\n'));
  }
  return rest;
}

/**
 * The live verifications, read from `<path>/events` with `fetch` so that the root key goes in the Authorization
 * header: `EventSource` cannot send headers, and a key in its URL would reach logs and history.
 */
export class LiveFeed {
  /** The verifications seen whole: the history's latest, then the stream's samples. */
  readonly events: Verification[] = [];
  /** Every verification of the stream, counted by key and code per batch, oldest first. */
  readonly counts: CountRow[] = [];
  /** Verifications the stream counted, and how many of them it did not send whole (a high rate's sampling). */
  counted = 0;
  sampledOut = 0;
  status: FeedStatus = 'connecting';
  dropped = 0;
  /**
   * The feed's latest id when the stream first opened: the stream counts every verification after it, the history
   * those up to it. Kept on reconnecting, when the stream's samples since are in `events` too.
   */
  private startId: number | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly controller = new AbortController();
  private notifying = false;

  constructor(private readonly rootKey: string) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    void this.run();
    void this.seed();
  }

  stop(): void {
    this.controller.abort();
    this.setStatus('closed');
  }

  private async run(): Promise<void> {
    while (!this.controller.signal.aborted) {
      try {
        await this.read();
      } catch {
        // Reconnects below: the server restarted, or the connection dropped.
      }
      if (this.controller.signal.aborted) return;
      this.setStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  private async read(): Promise<void> {
    const response = await fetch(EVENTS_URL, {
      headers: { Authorization: `Bearer ${this.rootKey}`, Accept: 'text/event-stream' },
      credentials: 'omit',
      cache: 'no-store',
      signal: this.controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    this.setStatus('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      pending = parseEvents(pending + value, (event, data) => this.receive(event, data));
    }
  }

  /**
   * Puts the service's latest verifications (its history) before those of the stream, by id and each once: the page
   * shows what happened before it opened. Without them (an older service, an error) it shows the stream alone.
   */
  private async seed(): Promise<void> {
    const history = await historyClient(this.rootKey)({}).catch(() => undefined);
    if (!history || this.controller.signal.aborted) return;
    const known = new Set(this.events.map((event) => event.id));
    const merged = [...history.events.filter((event) => !known.has(event.id)), ...this.events];
    merged.sort((a, b) => a.id - b.id);
    this.events.splice(0, this.events.length, ...merged.slice(-KEPT_EVENTS));
    this.notify();
  }

  /**
   * Every verification the page knows of, for charts: the stream's counts, and the history's verifications from
   * before the stream opened, one each.
   */
  countedAll(): Counted[] {
    const startId = this.startId ?? 0;
    const before = this.events.filter((event) => event.id <= startId).map((event) => ({ ...event, count: 1 }));
    return [...before, ...this.counts];
  }

  private receive(event: string, data: string): void {
    if (event === 'verifications') this.add(JSON.parse(data) as VerificationBatch);
    else if (event === 'start') this.startId ??= (JSON.parse(data) as { lastId: number }).lastId;
    else if (event === 'dropped') {
      this.dropped += (JSON.parse(data) as { count: number }).count;
    }
    this.notify();
  }

  private add(batch: VerificationBatch): void {
    const { firstId, lastId, time } = batch;
    for (const count of batch.counts) {
      this.counts.push({ ...count, time, firstId, lastId });
      this.counted += count.count;
    }
    this.sampledOut += batch.sampledOut;
    const cutoff = time - KEPT_COUNTS_MS;
    let old = Math.max(0, this.counts.length - KEPT_COUNT_ROWS);
    while (old < this.counts.length && this.counts[old]!.time < cutoff) old++;
    if (old > 0) this.counts.splice(0, old);
    this.events.push(...batch.events);
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
  }

  private setStatus(status: FeedStatus): void {
    this.status = status;
    this.notify();
  }

  // Many verifications a second re-render the page at most ten times a second. Not requestAnimationFrame: it
  // stops in a hidden tab, and a headless browser may not run it while nothing else asks for a frame.
  private notify(): void {
    if (this.notifying) return;
    this.notifying = true;
    setTimeout(() => {
      this.notifying = false;
      for (const listener of this.listeners) listener();
    }, 100);
  }
}
