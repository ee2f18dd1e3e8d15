import type { Logger } from '../types.js';
import type { RateLimitBackendError } from './backend-error.js';

/**
 * One line when the rate-limit backend stops answering and one when it answers again, however many requests fail in
 * between. Lines name the backend's kind, the namespace and the error code: never an identifier, nor the cause's
 * message (a backend's error may quote the counter's key, and an identifier may be a header the client sent).
 */
export class RateLimitOutageLog {
  private since: number | undefined;
  private failedCalls = 0;

  constructor(
    private readonly logger: Logger,
    private readonly namespace: string,
    /** What requests get meanwhile, for the first line. */
    private readonly consequence: string,
  ) {}

  failed(error: RateLimitBackendError, now = Date.now()): void {
    this.failedCalls += 1;
    if (this.since !== undefined) return;
    this.since = now;
    this.logger.warn(
      `keyguard: the ${error.backend} rate-limit backend of namespace ${this.namespace} gives no answer (${error.code}); ${this.consequence} until it is back`,
      { backend: error.backend, namespace: this.namespace, code: error.code },
    );
  }

  answered(backend: string, now = Date.now()): void {
    if (this.since === undefined) return;
    const outageMs = Math.max(0, now - this.since);
    this.logger.warn(
      `keyguard: the ${backend} rate-limit backend of namespace ${this.namespace} answers again after ${outageMs} ms (${this.failedCalls} failed calls)`,
      { backend, namespace: this.namespace, outageMs, failedCalls: this.failedCalls },
    );
    this.since = undefined;
    this.failedCalls = 0;
  }
}
