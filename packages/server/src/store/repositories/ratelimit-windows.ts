import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { WindowOutcome } from '../types.js';
import type { WindowRecord, WriteBehind } from '../write-behind.js';

interface WindowRow {
  window_start: number;
  duration: number;
  used: number;
}

/** The window a spend at some time falls in: when it started and how much of it is used. */
export interface WindowState {
  windowStart: number;
  used: number;
}

/**
 * Fixed windows anchored at the first request of each window: a window opens at the first request after the
 * previous one ended and lasts `duration` ms, so at most `limit` units are admitted per window, exactly.
 * Windows are read once and then kept in memory, where every check-and-spend happens (synchronously, so atomically);
 * the store writes them back a moment later (write-behind.ts).
 */
export class RatelimitWindowRepository {
  private calls = 0;

  constructor(
    private readonly db: Db,
    private readonly usage: WriteBehind,
  ) {}

  /** The window of `bucket` at `now` (a new, empty one when the last ended or its duration changed). */
  current(bucket: string, duration: number, now: number): WindowState {
    const row = this.usage.windowOf(bucket, () => this.stored(bucket));
    if (!row || row.duration !== duration || now >= row.windowStart + row.duration)
      return { windowStart: now, used: 0 };
    return { windowStart: row.windowStart, used: row.used };
  }

  /** Stores what a window has used. */
  record(bucket: string, duration: number, window: WindowState, now: number): void {
    this.usage.setWindow(bucket, { windowStart: window.windowStart, duration, used: window.used });
    if (++this.calls % 10_000 === 0) this.purge(now);
  }

  /** Spends `cost` when it fits (a cost of 0 fits while the window is not over its limit). */
  consume(bucket: string, limit: number, duration: number, cost: number, now: number): WindowOutcome {
    const window = this.current(bucket, duration, now);
    const success = window.used + cost <= limit;
    if (success) window.used += cost;
    this.record(bucket, duration, window, now);
    return {
      success,
      limit,
      remaining: success ? Math.max(0, limit - window.used) : 0,
      reset: window.windowStart + duration,
    };
  }

  /** Drops windows that ended (they would be reset on next use anyway). */
  purge(now: number): number {
    const purged = prepare(this.db, 'DELETE FROM ratelimit_windows WHERE window_start + duration <= ?').run(
      now,
    ).changes;
    this.usage.forgetEndedWindows(now);
    return purged;
  }

  private stored(bucket: string): WindowRecord | undefined {
    const row = prepare(this.db, 'SELECT window_start, duration, used FROM ratelimit_windows WHERE bucket = ?').get(
      bucket,
    ) as WindowRow | undefined;
    return row && { windowStart: row.window_start, duration: row.duration, used: row.used };
  }
}
