import { failedCheckOf, type FailedCheck } from './verification-feed.js';

/** A verification as the history serves it: ids, code and failed check, never a key. */
export interface HistoryEvent {
  id: number;
  /** Unix ms. */
  time: number;
  format: 'unkey' | 'clerk';
  code: string;
  keyId?: string;
  apiId?: string;
  failedCheck?: FailedCheck;
}

/**
 * The latest verifications, oldest overwritten first, kept in columns (typed arrays and arrays of the strings the
 * verification already had): recording one allocates nothing and keeps no object alive for the garbage collector to
 * promote.
 */
export class EventRing {
  private readonly ids: Float64Array;
  private readonly times: Float64Array;
  private readonly formats: ('unkey' | 'clerk')[];
  private readonly codes: string[];
  private readonly keyIds: (string | undefined)[] = [];
  private readonly apiIds: (string | undefined)[] = [];
  private next = 0;
  private filled = 0;

  /**
   * `withIds`: whether each event's key id and API are kept; a key's own ring leaves them out (they are the key's), and
   * `read` is given them instead.
   */
  constructor(
    readonly capacity: number,
    private readonly withIds = true,
  ) {
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.formats = new Array<'unkey' | 'clerk'>(capacity).fill('unkey');
    this.codes = new Array<string>(capacity).fill('');
    if (withIds) {
      this.keyIds = new Array<string | undefined>(capacity).fill(undefined);
      this.apiIds = new Array<string | undefined>(capacity).fill(undefined);
    }
  }

  push(id: number, time: number, format: 'unkey' | 'clerk', code: string, keyId?: string, apiId?: string): void {
    const at = this.next;
    this.ids[at] = id;
    this.times[at] = time;
    this.formats[at] = format;
    this.codes[at] = code;
    if (this.withIds) {
      this.keyIds[at] = keyId;
      this.apiIds[at] = apiId;
    }
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.filled < this.capacity) this.filled++;
  }

  get size(): number {
    return this.filled;
  }

  /**
   * Forgets every event (the ring is reused for another key). The columns are left as they are, to be overwritten:
   * clearing them cost more than the rest of an eviction, and what they hold stays bounded by the capacity.
   */
  clear(): void {
    this.next = 0;
    this.filled = 0;
  }

  /** The events `keep` accepts (by API), oldest first; `of` names the key and API of a ring kept without ids. */
  read(
    keep: (apiId: string | undefined) => boolean = () => true,
    of?: { keyId: string; apiId?: string },
  ): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    const first = (this.next - this.filled + this.capacity) % this.capacity;
    for (let index = 0; index < this.filled; index++) {
      const at = (first + index) % this.capacity;
      const apiId = this.withIds ? this.apiIds[at] : of?.apiId;
      if (!keep(apiId)) continue;
      const code = this.codes[at]!;
      const event: HistoryEvent = { id: this.ids[at]!, time: this.times[at]!, format: this.formats[at]!, code };
      const keyId = this.withIds ? this.keyIds[at] : of?.keyId;
      const failedCheck = failedCheckOf(code);
      if (keyId !== undefined) event.keyId = keyId;
      if (apiId !== undefined) event.apiId = apiId;
      if (failedCheck) event.failedCheck = failedCheck;
      out.push(event);
    }
    return out;
  }
}
