import { ConfigurationError } from '../errors.js';
import type { Runtime } from '../runtime/types.js';
import type { RateLimitState } from '../types.js';
import { allowed, limited, unavailable } from './answers.js';
import { RateLimitBackendError } from './backend-error.js';
import { BackendPort } from './backend-port.js';
import { BatchedAdmission } from './batched-admission.js';
import { resolveIdentifier } from './identifier.js';
import { resolveRateLimitOptions, type RateLimitSettings } from './options.js';
import { RateLimitOutageLog } from './outage-log.js';
import { admitStrictly } from './strict-admission.js';
import type { RateLimiter, RateLimitOptions, RateLimitOutcome, RateLimitRequest, RateLimitStats } from './types.js';

type Counters = Pick<RateLimitStats, 'allowed' | 'limited' | 'unavailable' | 'failedOpen' | 'backendCalls'>;

function costOf(settings: RateLimitSettings, request: RateLimitRequest): number {
  if (typeof settings.cost === 'number') return settings.cost;
  const cost = settings.cost(request);
  if (!Number.isSafeInteger(cost) || cost < 1)
    throw new ConfigurationError('the cost function must return a positive integer');
  return cost;
}

/** `createRateLimiter` of one build: `runtime` finds telemetry when none is given (OpenTelemetry on Node and Bun). */
export function createRateLimiterWith(runtime: Pick<Runtime, 'findTelemetry'>, options: RateLimitOptions): RateLimiter {
  const settings = resolveRateLimitOptions(options);
  const counters: Counters = { allowed: 0, limited: 0, unavailable: 0, failedOpen: 0, backendCalls: 0 };
  const consequence = settings.failOpen ? 'requests pass unlimited' : 'requests are answered 503';
  const outage = new RateLimitOutageLog(settings.logger, settings.namespace, consequence);
  const telemetry = settings.telemetry === false ? undefined : (settings.telemetry ?? runtime.findTelemetry?.());
  const instrumentation = telemetry?.instrumentRateLimiter?.({
    namespace: settings.namespace,
    backend: settings.backend.kind,
    stats: () => counters,
  });
  const port = new BackendPort(settings.backend, settings.timeoutMs, outage, counters, instrumentation);
  const batched = settings.mode === 'batched' ? new BatchedAdmission(port, settings.rules) : undefined;

  const answer = (limits: RateLimitState[]): RateLimitOutcome => {
    const now = Date.now();
    if (limits.some((limit) => limit.exceeded)) {
      counters.limited += 1;
      return limited(limits, settings, now);
    }
    counters.allowed += 1;
    return allowed(limits, settings, now);
  };

  const failed = (error: unknown): RateLimitOutcome => {
    if (!(error instanceof RateLimitBackendError)) throw error;
    if (!settings.failOpen) {
      counters.unavailable += 1;
      return unavailable(settings);
    }
    counters.allowed += 1;
    counters.failedOpen += 1;
    return allowed([], settings, Date.now(), true);
  };

  const decide = (
    identifier: string | undefined,
    request: RateLimitRequest,
  ): RateLimitOutcome | Promise<RateLimitOutcome> => {
    if (identifier === undefined) {
      counters.allowed += 1;
      return { allowed: true, headers: {}, limits: [] };
    }
    const cost = costOf(settings, request);
    if (!batched) return admitStrictly(port, settings.rules, identifier, cost).then(answer, failed);
    const limits = batched.admit(identifier, cost, request.waitUntil);
    return limits instanceof Promise ? limits.then(answer, failed) : answer(limits);
  };

  return {
    check(request: RateLimitRequest): RateLimitOutcome | Promise<RateLimitOutcome> {
      const identifier = resolveIdentifier(settings.sources, request, settings.trustProxy);
      return identifier instanceof Promise
        ? identifier.then((resolved) => decide(resolved, request))
        : decide(identifier, request);
    },
    stats(): RateLimitStats {
      return {
        ...counters,
        pendingAdmissions: batched?.pendingAdmissions() ?? 0,
        identifiers: batched?.identifiers ?? 0,
      };
    },
    async close(): Promise<void> {
      await batched?.close();
      instrumentation?.close();
    },
  };
}
