import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { WindowOutcome } from '../types.js';

interface WindowRow {
  window_start: number;
  duration: number;
  used: number;
}

/**
 * Fixed windows anchored at the first request of each window: a window opens at the first request after the
 * previous one ended and lasts `duration` ms, so at most `limit` units are admitted per window, exactly.
 * Callers run this inside a transaction; better-sqlite3 is synchronous, so a check-and-spend is atomic.
 */
export class RatelimitWindowRepository {
  private calls = 0;

  constructor(private readonly db: Db) {}

  consume(bucket: string, limit: number, duration: number, cost: number, now: number): WindowOutcome {
    let row = prepare(this.db, 'SELECT window_start, duration, used FROM ratelimit_windows WHERE bucket = ?').get(bucket) as WindowRow | undefined;
    if (!row || row.duration !== duration || now >= row.window_start + row.duration) {
      row = { window_start: now, duration, used: 0 };
    }
    const reset = row.window_start + duration;
    const success = row.used + cost <= limit;
    const used = success ? row.used + cost : row.used;
    prepare(this.db, `INSERT INTO ratelimit_windows (bucket, window_start, duration, used) VALUES (?, ?, ?, ?)
         ON CONFLICT (bucket) DO UPDATE SET window_start = excluded.window_start, duration = excluded.duration, used = excluded.used`,
      )
      .run(bucket, row.window_start, duration, used);
    if (++this.calls % 10_000 === 0) this.purge(now);
    return { success, limit, remaining: Math.max(0, limit - used), reset };
  }

  /** Drops windows that ended (they would be reset on next use anyway). */
  purge(now: number): number {
    return prepare(this.db, 'DELETE FROM ratelimit_windows WHERE window_start + duration <= ?').run(now).changes;
  }
}
