import type { ProviderAnswer, VerifiedKey } from '../../types.js';
import type { Budget } from './budget.js';

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
