import type { KeyMeter } from './key-meter.js';

/** The window of a rate limit as one answer described it. */
export interface LimitWindow {
  limit: number;
  duration?: number;
  /** Unix ms at which the window ends. */
  reset: number;
}

/**
 * One thing that runs out: a key's credits, or one rate limit (shared by every key of an identity when it is the
 * identity's). What is left is estimated from the newest upstream answer minus what this instance admitted since:
 * admissions not yet sent (`pending`) and spends sent but not yet answered (`inFlight`). A spend in flight may or may
 * not be inside the newest answer already; it is subtracted anyway, so the estimate errs low, never high.
 */
export class Budget {
  /** What the newest answer said was left. */
  base = 0;
  /** Sequence number of the call that answered `base` (calls are numbered as they are sent). */
  private baseSeq = -1;
  /** Admitted here, not yet sent upstream. */
  pending = 0;
  /** Sent upstream (settlements and per-request verifications), not yet answered. */
  inFlight = 0;
  limit?: number;
  duration?: number;
  /** When the window of `base` ends (unix ms); credits do not reset. */
  reset = Number.POSITIVE_INFINITY;
  /** The meters of the keys that spend it (several for an identity's limit). */
  readonly spenders = new Set<KeyMeter>();

  constructor(
    /** Registry id: `credits:<keyId>`, or `limit:<provider's limit id>`. */
    readonly id: string,
    /** The limit's name at the provider (what a settlement names); '' for credits. */
    public name: string,
    /** The provider's own id of the limit, when it gave one. */
    public providerId?: string,
  ) {}

  estimate(): number {
    return this.base - this.pending - this.inFlight;
  }

  unsettled(): number {
    return this.pending + this.inFlight;
  }

  /**
   * Takes what an answer says is left. The answer of the latest-sent call wins (it may announce a new window, a changed
   * limit, a refill); an older call answering late can only lower the estimate within the same window.
   */
  observe(remaining: number, seq: number, window?: LimitWindow): void {
    if (seq > this.baseSeq) {
      this.base = remaining;
      this.baseSeq = seq;
      if (window) {
        this.limit = window.limit;
        this.duration = window.duration;
        this.reset = window.reset;
      }
      return;
    }
    const sameWindow = !window || (window.reset === this.reset && window.limit === this.limit);
    if (sameWindow) this.base = Math.min(this.base, remaining);
  }

  /** Nothing refers to it and nothing is counted on it: it can be dropped. */
  get idle(): boolean {
    return this.spenders.size === 0 && this.pending === 0 && this.inFlight === 0;
  }
}
