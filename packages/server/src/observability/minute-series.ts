/** The per-minute counts cover this many minutes, ending with the current one. */
export const HISTORY_MINUTES = 60;
const MINUTE_MS = 60_000;

/** The codes counted per minute, one slot each; any other code counts as OTHER. */
export const COUNTED_CODES = [
  'VALID',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
  'INSUFFICIENT_PERMISSIONS',
  'EXPIRED',
  'DISABLED',
  'FORBIDDEN',
  'NOT_FOUND',
  'OTHER',
] as const;
const SLOT: Readonly<Record<string, number>> = Object.fromEntries(COUNTED_CODES.map((code, index) => [code, index]));
const OTHER = COUNTED_CODES.length - 1;

/** The minute (since the epoch) a Unix-ms time falls in. */
export const minuteOf = (time: number): number => Math.floor(time / MINUTE_MS);

/** The slot a code is counted in (computed once per verification, for every series it goes into). */
export const slotOf = (code: string): number => SLOT[code] ?? OTHER;

/** One minute's verifications by outcome code; codes with none are left out. */
export interface MinuteCounts {
  /** Unix ms of the minute's start. */
  start: number;
  counts: Record<string, number>;
}

/**
 * Counts by outcome for each of the last HISTORY_MINUTES minutes, in two typed arrays: counting allocates nothing,
 * and a series is a fixed 2.6 kB however busy its key or API is.
 */
export class MinuteSeries {
  private readonly minutes = new Float64Array(HISTORY_MINUTES).fill(-1);
  private readonly counts = new Uint32Array(HISTORY_MINUTES * COUNTED_CODES.length);

  /** Counts one verification of `minute` (minuteOf) with the code of `codeSlot` (slotOf). */
  add(minute: number, codeSlot: number): void {
    const slot = minute % HISTORY_MINUTES;
    const base = slot * COUNTED_CODES.length;
    // A slot last used an hour (or more) ago is this minute's now: its old counts are out of the window.
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.counts.fill(0, base, base + COUNTED_CODES.length);
    }
    this.counts[base + codeSlot]!++;
  }

  /** Forgets every count (the series is reused for another key or API). */
  clear(): void {
    this.minutes.fill(-1);
  }

  /** The minutes with verifications among the last HISTORY_MINUTES up to `now`, oldest first. */
  read(now: number): MinuteCounts[] {
    const last = Math.floor(now / MINUTE_MS);
    const out: MinuteCounts[] = [];
    for (let minute = last - HISTORY_MINUTES + 1; minute <= last; minute++) {
      const slot = minute % HISTORY_MINUTES;
      if (this.minutes[slot] !== minute) continue;
      const counts: Record<string, number> = {};
      const base = slot * COUNTED_CODES.length;
      COUNTED_CODES.forEach((code, index) => {
        const n = this.counts[base + index]!;
        if (n > 0) counts[code] = n;
      });
      out.push({ start: minute * MINUTE_MS, counts });
    }
    return out;
  }
}
