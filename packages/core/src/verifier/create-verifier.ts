import { messageFirst } from '../logging/write-log.js';
import type { Runtime } from '../runtime/types.js';
import { instrumentVerifier } from '../telemetry/instrument-verifier.js';
import type { VerifierInstrumentation } from '../telemetry/types.js';
import type { Logger, Provider } from '../types.js';
import { VerificationCache } from './cache.js';
import { shareMs } from './cache-policy.js';
import { Memory, type Counters } from './memory.js';
import { BatchedMeter, NO_METERING } from './metering/batched-meter.js';
import { sharedMeteringRefreshMs } from './metering/options.js';
import { resolveVerifierOptions } from './options.js';
import { MAX_KEY_LENGTH } from '../reading/read-key.js';
import { OutageLog } from './outage-log.js';
import { RequestPath } from './request-path.js';
import type { FleetMembership, Invalidation, Verifier, VerifierOptions, VerifierStats } from './types.js';
import { Upstream, type ProviderResult } from './upstream.js';

/**
 * Builds a verifier for a runtime (Node or fetch-only). The public `createVerifier` of each entry point binds
 * the runtime, so users never pass one.
 *
 * The parts: the options (`options.ts`), memory and its cache policy (`memory.ts`, `cache-policy.ts`), a request's way
 * through them (`request-path.ts`), the provider calls past memory (`upstream.ts`), and batched metering's admissions
 * and settlements (`metering/`). This function only joins them.
 */
export function createVerifierWith(runtime: Runtime, options: VerifierOptions): Verifier {
  const settings = resolveVerifierOptions(options);
  const { hooks, failOpen, maxRetryAfterMs } = settings;
  // Telemetry sees the verifier through a wrapped provider (a span and a duration per call) and every answer given.
  const instrumentation = instrumentVerifier(runtime, settings.telemetry, {
    provider: settings.provider,
    stats: () => verifier.stats(),
  });
  const provider = instrumentation?.provider ?? settings.provider;
  const keyPrefix = settings.keyPrefix === false ? undefined : (settings.keyPrefix ?? provider.keyPrefix);
  const logger: Logger = settings.logger ? messageFirst(settings.logger) : console;
  const outage = new OutageLog(
    logger,
    provider.name,
    failOpen ? 'keys not in memory are let through without a key' : 'keys not in memory are answered 503',
    settings.provider.endpoint,
  );
  const cache = settings.cache ? new VerificationCache(settings.cache) : undefined;
  const counters = zeroCounters();
  /** `invalidations` is bumped by every invalidation: an answer requested before it is not stored. */
  const state = { invalidations: 0 };
  const unsubscribers = settings.clients.map((client) =>
    client.onKeyChange((change) =>
      change.keyId !== undefined ? verifier.invalidateKeyId(change.keyId) : verifier.invalidateAll(),
    ),
  );
  // The fleet's invalidations drop from memory here without being published again.
  const dropFromMemory = (invalidation: Invalidation): void => {
    state.invalidations += 1;
    if (invalidation.digest !== undefined) cache?.delete(invalidation.digest);
    else if (invalidation.keyId !== undefined) cache?.deleteKeyId(invalidation.keyId);
    else cache?.clear();
  };
  const sharedRefreshMs = settings.metering ? sharedMeteringRefreshMs(settings.metering.maxDelayMs) : undefined;
  const fleet = settings.fleet?.join({
    shareMs: (answer, now) => (cache ? shareMs(answer, cache.settings, now) : 0),
    drop: dropFromMemory,
    metering: sharedRefreshMs === undefined ? undefined : { refreshMs: sharedRefreshMs },
  });
  const metering: BatchedMeter | undefined =
    settings.metering && cache
      ? new BatchedMeter(settings.metering, {
          // Settlements are upstream calls like any other: the meter is handed their outcome (`answered`).
          settle: (key, digest, cost, call): Promise<ProviderResult> => upstream.call(key, digest, { cost, call }),
          freshMs: cache.settings.freshMs,
          maxMeters: cache.settings.maxEntries,
          waitUntil: settings.waitUntil,
          logger,
          shared: fleet?.metering,
          sharedRefreshMs,
        })
      : undefined;
  const memory: Memory = new Memory(cache, counters, metering, (key, digest, entry, waitUntil) =>
    upstream.refreshInBackground(key, digest, entry, waitUntil),
  );
  const upstream: Upstream = new Upstream({
    provider,
    memory,
    fleet,
    metering,
    outage,
    counters,
    hooks,
    logger,
    failOpen,
    maxRetryAfterMs,
    defaultWaitUntil: settings.waitUntil,
    state,
  });
  const maxKeyLength = settings.provider.maxKeyLength ?? MAX_KEY_LENGTH;
  const path = new RequestPath({
    runtime,
    keyPrefix,
    maxKeyLength,
    memory,
    upstream,
    fleet,
    metering,
    counters,
    hooks,
    instrumentation,
    state,
  });

  const verifier = verifierOver({
    maxKeyLength,
    path,
    counters,
    cache,
    metering,
    fleet,
    instrumentation,
    provider,
    unsubscribers,
  });
  return verifier;
}

function zeroCounters(): Counters {
  return { hits: 0, staleHits: 0, negativeHits: 0, misses: 0, upstreamCalls: 0, coalesced: 0, providerErrors: 0 };
}

/** What the verifier object is built over: the request path, and what it reports on and closes. */
interface VerifierParts {
  maxKeyLength: number;
  path: RequestPath;
  counters: Counters;
  cache: VerificationCache | undefined;
  metering: BatchedMeter | undefined;
  fleet: FleetMembership | undefined;
  instrumentation: VerifierInstrumentation | undefined;
  provider: Provider;
  unsubscribers: readonly (() => void)[];
}

function verifierOver(parts: VerifierParts): Verifier {
  const { path, counters, cache, metering, fleet, instrumentation, provider, unsubscribers } = parts;
  return {
    maxKeyLength: parts.maxKeyLength,
    // The request path's own methods, bound: the cached path pays no extra call for the delegation.
    verifyCached: path.verifyCached.bind(path),
    verify: path.verify.bind(path),
    invalidate: (key) => path.invalidate(key),
    invalidateKeyId: (keyId) => path.invalidateKeyId(keyId),
    invalidateAll: () => path.invalidateAll(),
    stats(): VerifierStats {
      return {
        ...counters,
        entries: cache?.size ?? 0,
        negativeEntries: cache?.negativeSize ?? 0,
        metering: metering?.stats() ?? { ...NO_METERING },
      };
    },
    async close(): Promise<void> {
      for (const unsubscribe of unsubscribers) unsubscribe();
      // Requests admitted from memory are reported before the connections go.
      await metering?.close();
      await fleet?.leave();
      instrumentation?.close();
      cache?.clear();
      await provider.close?.();
    },
  };
}
