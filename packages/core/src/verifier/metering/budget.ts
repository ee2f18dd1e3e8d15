import type { FleetMetering } from '../types.js';
import type { ProviderAnswer, VerifiedKey } from '../../types.js';

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
 *
 * In a fleet that shares metering counts, the other instances' unconfirmed admissions (as last read) are subtracted
 * too, and so are the decreases seen in them since the call of the newest answer was sent (`released`): a settlement
 * of another instance that its count no longer shows may not be in that answer yet.
 */
export class Budget {
  /** What the newest answer said was left. */
  base = 0;
  /** Sequence number of the call that answered `base` (calls are numbered as they are sent). */
  private baseSeq = -1;
  private pendingUnits = 0;
  private inFlightUnits = 0;
  /** The others' `released` total when the call of the newest answer was sent (undefined until an answer came). */
  private releasedAtBase: number | undefined;
  limit?: number;
  duration?: number;
  /** When the window of `base` ends (unix ms); credits do not reset. */
  reset = Number.POSITIVE_INFINITY;
  /** The meters of the keys that spend it (several for an identity's limit). */
  readonly spenders = new Set<KeyMeter>();

  constructor(
    /** Registry id: `credits:<keyId>`, or `limit:<provider's limit id>` (key and limit ids, never a key). */
    readonly id: string,
    /** The limit's name at the provider (what a settlement names); '' for credits. */
    public name: string,
    /** The provider's own id of the limit, when it gave one. */
    public providerId?: string,
    /** The fleet's shared metering counts, when there is one. */
    private readonly shared?: FleetMetering,
  ) {}

  /** Admitted here, not yet sent upstream. */
  get pending(): number {
    return this.pendingUnits;
  }

  set pending(units: number) {
    this.pendingUnits = units;
    this.shared?.share(this.id, this.reset, units + this.inFlightUnits);
  }

  /** Sent upstream (settlements and per-request verifications), not yet answered. */
  get inFlight(): number {
    return this.inFlightUnits;
  }

  set inFlight(units: number) {
    this.inFlightUnits = units;
    this.shared?.share(this.id, this.reset, this.pendingUnits + units);
  }

  estimate(): number {
    return this.base - this.pendingUnits - this.inFlightUnits - this.othersUnconfirmed();
  }

  unsettled(): number {
    return this.pendingUnits + this.inFlightUnits;
  }

  /**
   * What the other instances of the fleet hold unconfirmed, as last read, plus what they settled since the newest
   * answer's call was sent. A settlement already inside `base` and still in another's count (its answer, or the count
   * without it, not read yet) is subtracted twice: that only makes the estimate low for a refresh, never high.
   */
  private othersUnconfirmed(): number {
    if (!this.shared) return 0;
    const seen = this.shared.others(this.id, this.reset);
    const others = seen.unconfirmed + Math.max(0, seen.released - (this.releasedAtBase ?? seen.released));
    // A fleet's numbers come from outside the process. NaN (Infinity released, say) would make every comparison with
    // the estimate false, which admits from memory without end; an unreadable number leaves no room instead, so
    // requests are verified upstream, exactly.
    return others >= 0 && others < Number.POSITIVE_INFINITY ? others : Number.POSITIVE_INFINITY;
  }

  /** What the other instances hold unconfirmed, as last read. */
  othersHold(): number {
    return this.shared?.others(this.id, this.reset).unconfirmed ?? 0;
  }

  /** The others' `released` total now: what a call sent now records, to hand back to `observe` with its answer. */
  releasedNow(): number {
    return this.shared?.others(this.id, this.reset).released ?? 0;
  }

  /**
   * Takes what an answer says is left. The answer of the latest-sent call wins (it may announce a new window, a changed
   * limit, a refill); an older call answering late can only lower the estimate within the same window. `releasedAtSend`
   * is `releasedNow()` when the call was sent; unknown (the call did not spend this budget: a key's first
   * verification), the one of an earlier answer stands, which errs low (calls are numbered as they are sent).
   */
  observe(remaining: number, seq: number, window?: LimitWindow, releasedAtSend?: number): void {
    if (seq > this.baseSeq) {
      this.base = remaining;
      this.baseSeq = seq;
      const newWindow = window !== undefined && window.reset !== this.reset;
      // The counts shared for the window that ended are no one's concern any more; the unconfirmed go with the new one.
      if (newWindow) this.shared?.share(this.id, this.reset, 0);
      if (window) {
        this.limit = window.limit;
        this.duration = window.duration;
        this.reset = window.reset;
      }
      if (!this.shared) return;
      if (newWindow) {
        this.shared.share(this.id, this.reset, this.unsettled());
        this.releasedAtBase = this.releasedNow();
      } else if (releasedAtSend !== undefined) {
        this.releasedAtBase = releasedAtSend;
      } else {
        this.releasedAtBase ??= this.releasedNow();
      }
      return;
    }
    const sameWindow = !window || (window.reset === this.reset && window.limit === this.limit);
    if (sameWindow) this.base = Math.min(this.base, remaining);
  }

  /** Nothing refers to it and nothing is counted on it: it can be dropped. */
  get idle(): boolean {
    return this.spenders.size === 0 && this.pendingUnits === 0 && this.inFlightUnits === 0;
  }
}

/** A valid answer: what a locally admitted request is answered from. */
export type ValidAnswer = ProviderAnswer & { valid: true; key: VerifiedKey };

/** What batched metering knows about one metered key (by digest). */
export class KeyMeter {
  /**
   * The key itself, needed to settle: held only while admissions of it wait to be settled, and never logged. (Memory
   * otherwise keeps keys only as digests.)
   */
  key: string | undefined;
  /** The answer requests are admitted from; undefined while they must be verified upstream. */
  answer: ValidAnswer | undefined;
  /** Local admission ends at this time (the cache's fresh window, or the key's expiry), until a newer answer. */
  admitUntil = 0;
  credits: Budget | undefined;
  limits: Budget[] = [];
  /** Admissions not yet sent upstream. */
  pending = 0;
  /** Settlements under way. */
  readonly settling = new Set<Promise<unknown>>();
  /** Upstream calls about this key under way (settlements and per-request verifications). */
  openCalls = 0;
  /**
   * Sequence number of the call whose outcome last set `answer` (or cleared it): an older call answering late does not
   * overrule a newer one.
   */
  stateSeq = -1;
  /** The next settlement is due (maxDelayMs after the oldest pending admission). */
  timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Cleared when the service refused a settlement naming the key's limits (a limit was deleted upstream): the next one
   * names none, until an answer lists the limits again.
   */
  nameLimits = true;

  constructor(
    readonly digest: string,
    public keyId: string,
  ) {}

  budgets(): Budget[] {
    return this.credits ? [this.credits, ...this.limits] : this.limits;
  }

  /** Nothing waits on it: no admission to settle, no call under way. */
  get quiet(): boolean {
    return this.pending === 0 && this.openCalls === 0;
  }
}
