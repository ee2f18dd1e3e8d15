import { describe, expect, it } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import type { Fleet, Provider, VerifierOptions } from '@keyguard/core';

// What a wrong option says: the whole message, since it is all a user gets to fix their configuration with. Values
// that are not objects at all (null, a number, an array) get the same ConfigurationError as any other wrong value,
// never a TypeError from reading into them.
const provider: Provider = { name: 'test', verify: async () => ({ valid: false, code: 'NOT_FOUND', metered: false }) };

const fleet: Fleet = {
  join: () => ({
    resolve: async (_digest, ask) => ({ answer: await ask(), obtainedAt: Date.now() }),
    publish: () => undefined,
    leave: async () => undefined,
  }),
};

/** What creating a verifier with these options throws (nothing: undefined). */
function creationError(options: Partial<Record<keyof VerifierOptions, unknown>> | undefined): unknown {
  try {
    const verifier = createVerifier(options as VerifierOptions);
    void verifier.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

const CACHE_OBJECT = 'cache must be an object of cache settings, or false';
const HOOKS = 'hooks must be an object of functions (onVerification, onProviderError)';
const LOGGER = 'logger must be a logger with warn and error methods';
const CLIENTS = 'clients must be an array of clients (with onKeyChange)';
const TELEMETRY = 'the telemetry option takes openTelemetry() from @keyguard/core/opentelemetry, or false';
const MILLISECONDS = (name: string) => `${name} must be a finite number of milliseconds, 0 or more`;
const PROVIDER = 'createVerifier({ provider }) needs a provider such as unkey({ rootKey })';

/** Options (beside a provider), and the whole message they are refused with. */
const refused: [string, Partial<Record<keyof VerifierOptions, unknown>>, string][] = [
  ['a string for cache', { cache: 'yes' }, CACHE_OBJECT],
  ['a number for cache', { cache: 42 }, CACHE_OBJECT],
  ['an array for cache', { cache: [] }, CACHE_OBJECT],
  ['null for cache', { cache: null }, CACHE_OBJECT],
  [
    'an unknown cache setting',
    { cache: { freshTtl: 1000 } },
    'cache.freshTtl is not a cache option (they are maxEntries, maxNegativeEntries, freshMs, staleMs, negativeMs, ' +
      'staleIfErrorMs, cacheMeteredKeys)',
  ],
  ['another onProviderError', { onProviderError: 'open' }, "onProviderError must be 'fail-closed' or 'fail-open'"],
  ['a number for keyPrefix', { keyPrefix: 42 }, 'keyPrefix must be a string such as sk_, or false'],
  ['a string for waitUntil', { waitUntil: 'later' }, 'waitUntil must be a function such as ctx.waitUntil.bind(ctx)'],
  ['null for hooks', { hooks: null }, HOOKS],
  ['a string for onVerification', { hooks: { onVerification: 'log' } }, HOOKS],
  ['a string for onProviderError', { hooks: { onProviderError: 'log' } }, HOOKS],
  ['null for logger', { logger: null }, LOGGER],
  ['a logger without error', { logger: { warn: () => undefined } }, LOGGER],
  ['null among clients', { clients: [null] }, CLIENTS],
  ['a client without onKeyChange', { clients: [{}] }, CLIENTS],
  ['a fleet without join', { fleet: {} }, 'fleet must be a fleet such as redisFleet() of @keyguard/redis'],
  ['null for telemetry', { telemetry: null }, TELEMETRY],
  ['telemetry without instrument', { telemetry: {} }, TELEMETRY],
  [
    'a fleet without the cache',
    { fleet, cache: false },
    'createVerifier({ fleet }) shares what the cache holds: leave the cache on',
  ],
  ['a symbol for cache.freshMs', { cache: { freshMs: Symbol('ms') } }, MILLISECONDS('cache.freshMs')],
  ['a symbol for maxRetryAfterMs', { maxRetryAfterMs: Symbol('ms') }, MILLISECONDS('maxRetryAfterMs')],
  [
    'a string for maxRetryAfterMs',
    { maxRetryAfterMs: '5' },
    'maxRetryAfterMs must be a finite number of milliseconds, 0 or more',
  ],
];

describe('a refused option says what it takes', () => {
  it.each(refused)('%s', (_label, options, message) => {
    const error = creationError({ provider, telemetry: false, ...options });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR', message });
  });

  it('reports an option wrong by itself before options that cannot work together', () => {
    for (const wrong of [{ telemetry: {} }, { telemetry: null }]) {
      expect(creationError({ provider, fleet, cache: false, ...wrong })).toMatchObject({ message: TELEMETRY });
    }
    expect(creationError({ provider, fleet, cache: false, logger: null })).toMatchObject({ message: LOGGER });
  });

  it('asks for a provider when given no options at all, or a provider without verify', () => {
    for (const options of [undefined, {}, { provider: null }, { provider: { name: 'no-verify' } }]) {
      const error = creationError(options);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ message: PROVIDER });
    }
  });
});

describe('accepted options', () => {
  it.each(['fail-closed', 'fail-open'])('onProviderError: %s', (onProviderError) => {
    expect(creationError({ provider, telemetry: false, onProviderError })).toBeUndefined();
  });

  it('hooks with both functions, and clients that each have onKeyChange', () => {
    const client = { onKeyChange: () => () => undefined };
    const hooks = { onVerification: () => undefined, onProviderError: () => undefined };
    expect(creationError({ provider, telemetry: false, hooks, clients: [client, client] })).toBeUndefined();
  });
});
