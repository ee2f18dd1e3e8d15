import type { SqliteDatabase, SqliteStatement } from './sqlite/types.js';

/** A key's credits as verification spends them. */
export interface CreditState {
  remaining: number | null;
  lastRefillAt: number | null;
}

/** A rate-limit window as stored: when it opened, its length, and what it used. */
export interface WindowRecord {
  windowStart: number;
  duration: number;
  used: number;
}

/** How long a write may be held back (ms): the most a crash of the process can lose. */
export const WRITE_BEHIND_MS = 100;

/**
 * What verifications change on every call (credits, rate-limit windows, last-used times), kept in memory, where it is
 * exact (both SQLite drivers are synchronous and the store has one connection), and written in one transaction a
 * short moment later, before any other statement of the store runs (so every reader sees it), and at close. A
 * verification then costs no transaction of its own.
 */
export class WriteBehind {
  private readonly credits = new Map<string, CreditState>();
  private readonly dirtyCredits = new Set<string>();
  private readonly lastUsed = new Map<string, number>();
  private readonly windows = new Map<string, WindowRecord>();
  private readonly dirtyWindows = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private statements: Record<'credits' | 'lastUsed' | 'window', SqliteStatement> | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  /** Whether anything waits to be written. */
  get pending(): boolean {
    return this.dirtyCredits.size > 0 || this.lastUsed.size > 0 || this.dirtyWindows.size > 0;
  }

  /** The key's credits: the copy in memory, else `stored` (as read with the key), which becomes the copy. */
  creditsOf(keyId: string, stored: CreditState): CreditState {
    let state = this.credits.get(keyId);
    if (!state) this.credits.set(keyId, (state = { remaining: stored.remaining, lastRefillAt: stored.lastRefillAt }));
    return state;
  }

  setCredits(keyId: string, state: CreditState): void {
    this.credits.set(keyId, state);
    this.dirtyCredits.add(keyId);
    this.schedule();
  }

  touch(keyId: string, now: number): void {
    this.lastUsed.set(keyId, now);
    this.schedule();
  }

  /** The window of `bucket` in memory, else `stored()` (read once; its answer becomes the copy). */
  windowOf(bucket: string, stored: () => WindowRecord | undefined): WindowRecord | undefined {
    const known = this.windows.get(bucket);
    if (known) return known;
    const row = stored();
    if (row) this.windows.set(bucket, row);
    return row;
  }

  setWindow(bucket: string, window: WindowRecord): void {
    this.windows.set(bucket, window);
    this.dirtyWindows.add(bucket);
    this.schedule();
  }

  /** Forgets copies of credits (written already): a write to the keys table may have changed them. */
  forgetCredits(): void {
    for (const keyId of this.credits.keys()) if (!this.dirtyCredits.has(keyId)) this.credits.delete(keyId);
  }

  /** Forgets windows that ended by `now` (a new one opens on next use anyway). */
  forgetEndedWindows(now: number): void {
    for (const [bucket, window] of this.windows)
      if (window.windowStart + window.duration <= now && !this.dirtyWindows.has(bucket)) this.windows.delete(bucket);
  }

  /** Writes everything held back, in one transaction. On failure it stays held back (and the error is thrown). */
  flush(): void {
    this.cancel();
    if (!this.pending || !this.db.open) return;
    const statements = (this.statements ??= this.prepare());
    this.db.transaction(() => {
      for (const keyId of this.dirtyCredits) {
        const state = this.credits.get(keyId)!;
        statements.credits.run(state.remaining, state.lastRefillAt, keyId);
      }
      for (const [keyId, at] of this.lastUsed) statements.lastUsed.run(at, keyId);
      for (const bucket of this.dirtyWindows) {
        const window = this.windows.get(bucket)!;
        statements.window.run(bucket, window.windowStart, window.duration, window.used);
      }
    });
    this.dirtyCredits.clear();
    this.lastUsed.clear();
    this.dirtyWindows.clear();
  }

  /** Stops the timer (the store flushes before it closes). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch {
        // Held back still (a busy or full disk): the next statement, the next timer or close writes it.
        this.schedule();
      }
    }, WRITE_BEHIND_MS);
    this.timer.unref();
  }

  private prepare(): Record<'credits' | 'lastUsed' | 'window', SqliteStatement> {
    return {
      credits: this.db.prepare('UPDATE keys SET credits_remaining = ?, last_refill_at = ? WHERE id = ?'),
      lastUsed: this.db.prepare('UPDATE keys SET last_used_at = ? WHERE id = ?'),
      window: this.db.prepare(
        `INSERT INTO ratelimit_windows (bucket, window_start, duration, used) VALUES (?, ?, ?, ?)
           ON CONFLICT (bucket) DO UPDATE SET window_start = excluded.window_start, duration = excluded.duration, used = excluded.used`,
      ),
    };
  }
}
