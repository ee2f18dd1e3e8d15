import type { RateLimiterInstrumentation } from '../telemetry/types.js';
import { callBackend } from './backend-call.js';
import { RateLimitBackendError } from './backend-error.js';
import type { ResolvedRule } from './options.js';
import type { RateLimitOutageLog } from './outage-log.js';
import type { RateLimitAnswer, RateLimitBackend } from './types.js';

/** The calls a limiter made; `stats()` reports them. */
export interface CallCounts {
  backendCalls: number;
}

/**
 * The one way a limiter reaches its backend: each call bounded by `timeoutMs`, counted, traced when telemetry is on,
 * and an outage's start and end logged once.
 */
export class BackendPort {
  constructor(
    readonly backend: RateLimitBackend,
    private readonly timeoutMs: number,
    private readonly outage: RateLimitOutageLog,
    private readonly counts: CallCounts,
    private readonly instrumentation?: RateLimiterInstrumentation,
  ) {}

  get kind(): string {
    return this.backend.kind;
  }

  /** Spends `cost` of `rule` for `identifier` (or reads it, with 0). Rejects with a `RateLimitBackendError`. */
  async ask(rule: ResolvedRule, identifier: string, cost: number): Promise<RateLimitAnswer> {
    this.counts.backendCalls += 1;
    const call = { namespace: rule.namespace, identifier, limit: rule.limit, duration: rule.duration, cost };
    try {
      const run = () => callBackend(this.backend, call, this.timeoutMs);
      const answer = await (this.instrumentation ? this.instrumentation.call(rule.name, cost, run) : run());
      this.outage.answered(this.backend.kind);
      return answer;
    } catch (error) {
      const failure =
        error instanceof RateLimitBackendError
          ? error
          : new RateLimitBackendError('RATE_LIMIT_BACKEND_FAILED', 'the rate-limit backend failed', this.kind, {
              cause: error,
            });
      this.outage.failed(failure);
      throw failure;
    }
  }
}
