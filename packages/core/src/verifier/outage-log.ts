import type { ProviderError } from '../errors.js';
import type { Logger } from '../types.js';

/** How the first failure of an outage is described; timeouts, refused connections and 5xx "cannot be reached". */
const WHAT_HAPPENED: Readonly<Partial<Record<ProviderError['code'], string>>> = {
  PROVIDER_RATE_LIMITED: 'is rate limiting keyguard',
  PROVIDER_BAD_RESPONSE: 'gives no usable answer',
};

/**
 * Tells the operator when the key service stops answering and when it answers again: one line each, however many
 * requests fail in between, so an outage is visible without flooding the log. Lines name the service, the error
 * code and status, never a key. Misconfigurations (our own credentials refused) are logged elsewhere.
 */
export class OutageLog {
  /** When the current outage was noticed (unix ms); undefined while the service answers. */
  private since: number | undefined;
  private failedCalls = 0;

  constructor(
    private readonly logger: Logger,
    private readonly provider: string,
    /** What callers get meanwhile, for the first line. */
    private readonly consequence: string,
    /** The URL the provider calls (`Provider.endpoint`), so the line says which service to look at. */
    private readonly endpoint?: string,
  ) {}

  /** A call failed without an answer (down, timed out, rate limiting us, answering nonsense). */
  failed(error: ProviderError, now = Date.now()): void {
    this.failedCalls += 1;
    if (this.since !== undefined) return;
    this.since = now;
    this.logger.warn(
      `keyguard: the ${this.provider} key service ${WHAT_HAPPENED[error.code] ?? 'cannot be reached'} (${error.code})${this.endpoint ? ` at ${this.endpoint}` : ''}; ${this.consequence} until it is back`,
      {
        provider: this.provider,
        ...(this.endpoint ? { endpoint: this.endpoint } : {}),
        code: error.code,
        status: error.status,
        requestId: error.requestId,
      },
    );
  }

  /** A call got an answer: ends the outage, if there was one. */
  answered(now = Date.now()): void {
    if (this.since === undefined) return;
    const outageMs = Math.max(0, now - this.since);
    this.logger.warn(
      `keyguard: the ${this.provider} key service answers again after ${outageMs} ms (${this.failedCalls} failed calls)`,
      {
        provider: this.provider,
        outageMs,
        failedCalls: this.failedCalls,
      },
    );
    this.since = undefined;
    this.failedCalls = 0;
  }
}
