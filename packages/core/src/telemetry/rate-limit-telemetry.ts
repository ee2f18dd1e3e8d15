import type * as OpenTelemetryApiModule from '@opentelemetry/api';
import type { Attributes, Meter, Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_RATE_LIMIT_BACKEND,
  ATTR_RATE_LIMIT_COST,
  ATTR_RATE_LIMIT_NAME,
  ATTR_RATE_LIMIT_NAMESPACE,
  ATTR_RATE_LIMIT_OUTCOME,
  METRIC_RATE_LIMIT_DECISIONS,
  SPAN_RATE_LIMIT,
} from './names.js';
import type { RateLimiterInstrumentation, RateLimiterTelemetryTarget } from './types.js';

/** The parts of `@opentelemetry/api` spans need (whichever copy the bridge was given). */
type SpanApi = Pick<typeof OpenTelemetryApiModule, 'trace' | 'context' | 'SpanKind' | 'SpanStatusCode'>;

type Decisions = ReturnType<RateLimiterTelemetryTarget['stats']>;

/** Decisions by outcome; `allowed` excludes the failed-open ones, so the outcomes add up to the requests. */
function byOutcome(stats: Decisions): Record<'allowed' | 'limited' | 'unavailable' | 'failed_open', number> {
  return {
    allowed: stats.allowed - stats.failedOpen,
    limited: stats.limited,
    unavailable: stats.unavailable,
    failed_open: stats.failedOpen,
  };
}

/**
 * Rate limiters' OpenTelemetry: a `keyguard.rate_limit` span per backend call, and `keyguard.rate_limit.decisions`
 * read from the limiters' own counters when metrics are collected (nothing is recorded per request). A closed
 * limiter's counts stay in the totals, so the counter never goes down.
 */
export class RateLimitTelemetry {
  private readonly targets = new Set<RateLimiterTelemetryTarget>();
  private readonly closedTotals = new Map<string, { attributes: Attributes; outcomes: Decisions }>();

  /** Registers the decisions counter on a meter (once an SDK's meter is there). */
  register(meter: Meter): void {
    meter
      .createObservableCounter(METRIC_RATE_LIMIT_DECISIONS, {
        description: 'Rate-limit decisions, by outcome, backend and namespace',
        unit: '{request}',
      })
      .addCallback((result) => {
        const sums = new Map<string, { attributes: Attributes; outcomes: Decisions }>();
        for (const [series, closed] of this.closedTotals)
          sums.set(series, { ...closed, outcomes: { ...closed.outcomes } });
        for (const target of this.targets) this.add(sums, target, target.stats());
        for (const { attributes, outcomes } of sums.values())
          for (const [outcome, count] of Object.entries(byOutcome(outcomes)))
            result.observe(count, { ...attributes, [ATTR_RATE_LIMIT_OUTCOME]: outcome });
      });
  }

  instrument(
    target: RateLimiterTelemetryTarget,
    api: SpanApi,
    tracer: () => Tracer | undefined,
  ): RateLimiterInstrumentation {
    this.targets.add(target);
    const base = Object.freeze({
      [ATTR_RATE_LIMIT_BACKEND]: target.backend,
      [ATTR_RATE_LIMIT_NAMESPACE]: target.namespace,
    });
    return {
      call: async <T>(name: string, cost: number, run: () => Promise<T>): Promise<T> => {
        const span = tracer()?.startSpan(SPAN_RATE_LIMIT, {
          kind: api.SpanKind.INTERNAL,
          attributes: { ...base, [ATTR_RATE_LIMIT_NAME]: name, [ATTR_RATE_LIMIT_COST]: cost },
        });
        if (!span) return run();
        try {
          return await api.context.with(api.trace.setSpan(api.context.active(), span), run);
        } catch (error) {
          // The limiter's own errors: their code and message name the backend, never an identifier.
          const code = (error as { code?: unknown }).code;
          span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'RATE_LIMIT_BACKEND_FAILED');
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
      close: () => {
        if (!this.targets.delete(target)) return;
        this.add(this.closedTotals, target, target.stats());
      },
    };
  }

  private add(
    sums: Map<string, { attributes: Attributes; outcomes: Decisions }>,
    target: RateLimiterTelemetryTarget,
    stats: Decisions,
  ): void {
    const series = `${target.backend}\u0000${target.namespace}`;
    const sum = sums.get(series) ?? {
      attributes: { [ATTR_RATE_LIMIT_BACKEND]: target.backend, [ATTR_RATE_LIMIT_NAMESPACE]: target.namespace },
      outcomes: { allowed: 0, limited: 0, unavailable: 0, failedOpen: 0 },
    };
    sum.outcomes.allowed += stats.allowed;
    sum.outcomes.limited += stats.limited;
    sum.outcomes.unavailable += stats.unavailable;
    sum.outcomes.failedOpen += stats.failedOpen;
    sums.set(series, sum);
  }
}
