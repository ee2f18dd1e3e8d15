/** How long waits for a name stay short after a whole `lockMs` passed with its lock held and no answer written. */
export const ABANDONED_FOR_MS = 30_000;
/** The wait for such a name: enough for an answer on its way, far short of `lockMs`. */
export const SHORT_WAIT_MS = 100;
/** Names remembered at most; past it the oldest are forgotten (their next wait is a whole `lockMs` again). */
const MAX_NAMES = 10_000;

/**
 * Names whose lock looked abandoned: the instance holding it neither wrote an answer nor released it within `lockMs`
 * (it died, or someone who can write to Redis holds the lock keys while dropping memories over the bus). The first
 * wait for such a name costs `lockMs`; the next ones, for ABANDONED_FOR_MS, cost SHORT_WAIT_MS, then the waiter asks
 * the provider itself. A lock holder that answers, or releases, within its wait never puts its name here.
 */
export class AbandonedLocks {
  private readonly until = new Map<string, number>();

  constructor(private readonly lockMs: number) {}

  /** How long to wait for the one asking about `name`. */
  waitMs(name: string, now = Date.now()): number {
    const until = this.until.get(name);
    if (until === undefined) return this.lockMs;
    if (until > now) return Math.min(this.lockMs, SHORT_WAIT_MS);
    this.until.delete(name);
    return this.lockMs;
  }

  /** A wait for `name` ran to its end without an answer. */
  waitedInVain(name: string, now = Date.now()): void {
    this.until.delete(name);
    this.until.set(name, now + ABANDONED_FOR_MS);
    for (const oldest of this.until.keys()) {
      if (this.until.size <= MAX_NAMES) break;
      this.until.delete(oldest);
    }
  }
}
