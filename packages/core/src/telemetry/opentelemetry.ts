import type * as OpenTelemetryApiModule from '@opentelemetry/api';
import type {
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  ProxyTracerProvider,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { ProviderError } from '../errors.js';
import { redactorFor } from '../service/redact.js';
import type { Provider, ProviderAnswer, Verification, VerificationCost } from '../types.js';
import { AttributeSets } from './attribute-sets.js';
import { RateLimitTelemetry } from './rate-limit-telemetry.js';
import {
  ATTR_CACHE_KIND,
  ATTR_ERROR_TYPE,
  ATTR_KEY_ID,
  ATTR_KEY_KIND,
  ATTR_PROVIDER_NAME,
  ATTR_PROVIDER_REQUEST_ID,
  ATTR_VERIFICATION_CODE,
  DURATION_BUCKETS_S,
  INSTRUMENTATION_SCOPE,
  METRIC_CACHE_ENTRY_COUNT,
  METRIC_PROVIDER_CALL_DURATION,
  METRIC_PROVIDER_ERRORS,
  METRIC_VERIFICATIONS,
  SPAN_VERIFY,
} from './names.js';
import type {
  RateLimiterInstrumentation,
  RateLimiterTelemetryTarget,
  Telemetry,
  TelemetryTarget,
  VerifierInstrumentation,
} from './types.js';

/** The parts of `@opentelemetry/api` keyguard uses (whichever copy: the app's import, or one found on Node). */
export type OpenTelemetryApi = Pick<
  typeof OpenTelemetryApiModule,
  'trace' | 'metrics' | 'context' | 'SpanKind' | 'SpanStatusCode' | 'createNoopMeter'
>;

/** Which OpenTelemetry providers `openTelemetry()` records to. */
export interface OpenTelemetryOptions {
  /**
   * Default: the global one, once an SDK registers it (also after the verifier was created).
   * @default the global tracer provider
   */
  tracerProvider?: TracerProvider;
  /**
   * Default: the global one, once an SDK registers it (also after the verifier was created).
   * @default the global meter provider
   */
  meterProvider?: MeterProvider;
}

/** Without an SDK, the API's tracer and meter do nothing: look again for a registered one every this many answers. */
const RECHECK_EVERY_ANSWERS = 1024;

interface Instruments {
  providerCallDuration: Histogram;
  providerErrors: Counter;
}

/** Whether a module is a usable copy of `@opentelemetry/api` 1.x. */
export function isOpenTelemetryApi(value: unknown): value is OpenTelemetryApi {
  const api = value as Partial<OpenTelemetryApi> | undefined;
  return (
    typeof api?.trace?.getTracerProvider === 'function' &&
    typeof api.trace.getActiveSpan === 'function' &&
    typeof api.metrics?.getMeterProvider === 'function' &&
    typeof api.context?.with === 'function' &&
    typeof api.createNoopMeter === 'function' &&
    api.SpanStatusCode !== undefined &&
    api.SpanKind !== undefined
  );
}

/**
 * Verifier telemetry over the OpenTelemetry API: a `keyguard.verify` span per provider call, the answer's source and
 * code on the active (request) span, and the `keyguard.*` metrics. Until a real tracer or meter is registered it only
 * counts down to its next look, so the cached path costs a decrement.
 */
class OpenTelemetryBridge implements Telemetry {
  private tracer: Tracer | undefined;
  private instruments: Instruments | undefined;
  private untilRecheck = 0;
  /** A real tracer or meter is there. */
  private recording = false;
  private readonly targets = new Set<TelemetryTarget>();
  /** Per provider name, shared by its verifiers: answer counts outlive a closed verifier, as a counter must. */
  private readonly attributesByProvider = new Map<string, AttributeSets>();
  private readonly rateLimits = new RateLimitTelemetry();

  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly options: OpenTelemetryOptions,
  ) {
    this.resolve();
  }

  instrument(target: TelemetryTarget): VerifierInstrumentation {
    let attributes = this.attributesByProvider.get(target.provider.name);
    if (!attributes) {
      attributes = new AttributeSets(target.provider.name);
      this.attributesByProvider.set(target.provider.name, attributes);
    }
    const sets = attributes;
    this.targets.add(target);
    return {
      provider: this.instrumentProvider(target.provider, sets),
      // Dormant (no SDK yet), an answer costs a decrement; the look for an SDK comes every RECHECK_EVERY_ANSWERS.
      answered: (verification) => {
        if (this.recording || --this.untilRecheck <= 0) this.answered(verification, sets);
      },
      close: () => {
        this.targets.delete(target);
      },
    };
  }

  instrumentRateLimiter(target: RateLimiterTelemetryTarget): RateLimiterInstrumentation {
    return this.rateLimits.instrument(target, this.api, () => (this.active(true) ? this.tracer : undefined));
  }

  /** True when something records; looks for a registered SDK now and then while something is missing. */
  private active(lookNow: boolean): boolean {
    if (this.tracer && this.instruments) return true;
    if (lookNow || --this.untilRecheck <= 0) this.resolve();
    return this.tracer !== undefined || this.instruments !== undefined;
  }

  private resolve(): void {
    this.untilRecheck = RECHECK_EVERY_ANSWERS;
    const { api, options } = this;
    if (!this.tracer) {
      const provider = options.tracerProvider ?? api.trace.getTracerProvider();
      // The API's own provider is a proxy: without an SDK behind it, there is no delegate and nothing to record.
      const proxy = provider as Partial<Pick<ProxyTracerProvider, 'getDelegateTracer'>>;
      this.tracer =
        typeof proxy.getDelegateTracer === 'function'
          ? proxy.getDelegateTracer(INSTRUMENTATION_SCOPE)
          : provider.getTracer(INSTRUMENTATION_SCOPE);
    }
    if (!this.instruments) {
      const meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
      if (meter !== api.createNoopMeter()) this.instruments = this.createInstruments(meter);
    }
    this.recording = this.tracer !== undefined || this.instruments !== undefined;
  }

  private createInstruments(meter: Meter): Instruments {
    this.rateLimits.register(meter);
    meter
      .createObservableUpDownCounter(METRIC_CACHE_ENTRY_COUNT, {
        description: 'Answers kept in memory by keyguard verifiers',
        unit: '{entry}',
      })
      .addCallback((result) => {
        // Summed per provider: several verifiers of one provider report one series; a closed one's count goes to 0.
        const sums = new Map<string, { key: number; negative: number }>();
        for (const provider of this.attributesByProvider.keys()) sums.set(provider, { key: 0, negative: 0 });
        for (const target of this.targets) {
          const stats = target.stats();
          const sum = sums.get(target.provider.name) ?? { key: 0, negative: 0 };
          sum.key += stats.entries;
          sum.negative += stats.negativeEntries;
          sums.set(target.provider.name, sum);
        }
        for (const [provider, sum] of sums) {
          result.observe(sum.key, { [ATTR_PROVIDER_NAME]: provider, [ATTR_CACHE_KIND]: 'key' });
          result.observe(sum.negative, { [ATTR_PROVIDER_NAME]: provider, [ATTR_CACHE_KIND]: 'negative' });
        }
      });
    meter
      .createObservableCounter(METRIC_VERIFICATIONS, {
        description: 'Verifications answered, by code and source',
        unit: '{verification}',
      })
      .addCallback((result) => {
        for (const sets of this.attributesByProvider.values())
          for (const { attributes, count } of sets.answerCounts()) result.observe(count, attributes);
      });
    return {
      providerCallDuration: meter.createHistogram(METRIC_PROVIDER_CALL_DURATION, {
        description: 'Duration of calls to the key service',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      }),
      providerErrors: meter.createCounter(METRIC_PROVIDER_ERRORS, {
        description: 'Calls to the key service that got no answer, by error type',
        unit: '{error}',
      }),
    };
  }

  private answered(verification: Verification, attributes: AttributeSets): void {
    if (!this.active(this.untilRecheck <= 0)) return;
    const counted = attributes.answer(verification);
    if (this.instruments) counted.count += 1;
    if (this.tracer) {
      const span = this.api.trace.getActiveSpan();
      if (span) {
        span.setAttributes(counted.attributes);
        if (verification.key) span.setAttribute(ATTR_KEY_ID, verification.key.id);
        if (verification.key?.kind) span.setAttribute(ATTR_KEY_KIND, verification.key.kind);
      }
    }
  }

  private instrumentProvider(provider: Provider, attributes: AttributeSets): Provider {
    // The cost and the capability pass through: batched metering settles through this wrapper.
    return {
      name: provider.name,
      keyPrefix: provider.keyPrefix,
      supportsCost: provider.supportsCost,
      verify: (key, cost) =>
        this.active(true) ? this.observedCall(provider, key, cost, attributes) : provider.verify(key, cost),
      close: () => provider.close?.() ?? Promise.resolve(),
    };
  }

  private async observedCall(
    provider: Provider,
    key: string,
    cost: VerificationCost | undefined,
    attributes: AttributeSets,
  ): Promise<ProviderAnswer> {
    const { api } = this;
    const started = performance.now();
    const span = this.tracer?.startSpan(SPAN_VERIFY, { kind: api.SpanKind.INTERNAL, attributes: attributes.provider });
    try {
      // The call runs under the span, so an HTTP client span (undici, fetch instrumentation) nests beneath it.
      const answer = await (span
        ? api.context.with(api.trace.setSpan(api.context.active(), span), () => provider.verify(key, cost))
        : provider.verify(key, cost));
      this.instruments?.providerCallDuration.record((performance.now() - started) / 1000, attributes.call(answer.code));
      if (span) {
        span.setAttribute(ATTR_VERIFICATION_CODE, answer.code);
        const keyId = answer.key?.id ?? answer.keyId;
        if (keyId) span.setAttribute(ATTR_KEY_ID, keyId);
        if (answer.key?.kind) span.setAttribute(ATTR_KEY_KIND, answer.key.kind);
        if (answer.requestId) span.setAttribute(ATTR_PROVIDER_REQUEST_ID, answer.requestId);
        span.end();
      }
      return answer;
    } catch (thrown) {
      // The verifier treats anything but a ProviderError as PROVIDER_BAD_RESPONSE; so does its telemetry.
      const error = thrown instanceof ProviderError ? thrown : undefined;
      const errorType = error?.code ?? 'PROVIDER_BAD_RESPONSE';
      const set = attributes.error(errorType);
      this.instruments?.providerErrors.add(1, set);
      this.instruments?.providerCallDuration.record((performance.now() - started) / 1000, set);
      if (span) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        if (error?.requestId) span.setAttribute(ATTR_PROVIDER_REQUEST_ID, error.requestId);
        // keyguard's own messages name the service and status, never a credential; another error's message may not,
        // and a custom provider's ProviderError may quote the key it was asked about: spans leave the process.
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: error && redactorFor([key])(error.message) });
        span.end();
      }
      throw thrown;
    }
  }
}

/** One bridge per copy of the API (and default options): one set of instruments, one cache-size callback. */
const sharedBridges = new WeakMap<OpenTelemetryApi, OpenTelemetryBridge>();

export function createOpenTelemetry(api: OpenTelemetryApi, options: OpenTelemetryOptions = {}): Telemetry {
  if (options.tracerProvider || options.meterProvider) return new OpenTelemetryBridge(api, options);
  let bridge = sharedBridges.get(api);
  if (!bridge) {
    bridge = new OpenTelemetryBridge(api, {});
    sharedBridges.set(api, bridge);
  }
  return bridge;
}
