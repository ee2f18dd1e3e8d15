import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@keyguard/core';
import { layoutFor } from '../src/keys/layout.js';
import { MIN_SECRET_LENGTH, checkedPrefix, resolveOptions, type RedisFleetOptions } from '../src/options.js';

// A fleet's options are checked once, at creation (src/options.ts): nothing here connects to Redis, so every
// refusal is a ConfigurationError thrown before any connection, and the defaults are the documented ones.
const SECRET = 's'.repeat(MIN_SECRET_LENGTH);
const base: RedisFleetOptions = { redis: 'redis://127.0.0.1:1', secret: SECRET };

function refusal(options: unknown): ConfigurationError {
  try {
    resolveOptions(options as RedisFleetOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('accepted');
}

describe('resolveOptions', () => {
  it('fills the documented defaults', () => {
    const logger = { warn: () => {}, error: () => {} };
    expect(resolveOptions(base)).toEqual({
      redis: base.redis,
      secret: SECRET,
      prefix: 'keyguard',
      timeoutMs: 100,
      retryMs: 1_000,
      lockMs: 2_500,
      logger: console,
      onInvalidation: undefined,
    });
    const onInvalidation = () => {};
    expect(resolveOptions({ ...base, logger, onInvalidation, prefix: 'app' })).toMatchObject({
      logger,
      onInvalidation,
      prefix: 'app',
    });
  });

  it('takes a target as a URL, as ioredis options, or as a client object', () => {
    const options = { host: '127.0.0.1', port: 1 };
    expect(resolveOptions({ ...base, redis: options }).redis).toBe(options);
  });

  it('refuses no options, and a redis that is missing, null or of another type, naming redis', () => {
    expect(refusal(undefined).message).toContain('{ redis }');
    expect(refusal(null).message).toContain('{ redis }');
    for (const redis of [undefined, null, 6379, true, () => {}])
      expect(refusal({ ...base, redis }).message).toContain('redis:// URL');
  });

  it('refuses a secret shorter than MIN_SECRET_LENGTH or not a string, without repeating it', () => {
    resolveOptions({ ...base, secret: 'x'.repeat(MIN_SECRET_LENGTH) });
    for (const secret of ['x'.repeat(MIN_SECRET_LENGTH - 1), '', undefined, 2 ** 120]) {
      const error = refusal({ ...base, secret });
      expect(error.message).toContain(`at least ${MIN_SECRET_LENGTH} characters`);
      if (typeof secret === 'string' && secret !== '') expect(error.message).not.toContain(secret);
    }
  });

  it('refuses an onInvalidation that is not a function', () => {
    expect(refusal({ ...base, onInvalidation: 'log' }).message).toContain('onInvalidation');
  });

  it.each(['timeoutMs', 'retryMs', 'lockMs'] as const)(
    '%s: a number of ms in (0, max], else refused by name',
    (name) => {
      const max = { timeoutMs: 10_000, retryMs: 60_000, lockMs: 30_000 }[name];
      expect(resolveOptions({ ...base, [name]: max })[name]).toBe(max);
      expect(resolveOptions({ ...base, [name]: 0.5 })[name]).toBe(0.5);
      for (const value of [0, -1, max + 1, Infinity, Number.NaN, '100']) {
        const error = refusal({ ...base, [name]: value });
        expect(error.message).toBe(`redisFleet({ ${name} }) must be a number of milliseconds in (0, ${max}]`);
      }
    },
  );
});

describe('checkedPrefix and the layout', () => {
  it('defaults to keyguard and takes 1..64 of letters, digits and _ . : -', () => {
    expect(checkedPrefix(undefined)).toBe('keyguard');
    for (const prefix of ['a', 'A-z_0.9:x', 'p'.repeat(64)]) expect(checkedPrefix(prefix)).toBe(prefix);
  });

  it('refuses what would break the hash tag or the bus format', () => {
    for (const prefix of ['', 'p'.repeat(65), 'a b', 'a{b', 'a}b', 'a\nb', 'é', 'x\n', 42]) {
      expect(() => checkedPrefix(prefix as string)).toThrow(ConfigurationError);
      expect(() => checkedPrefix(prefix as string)).toThrow('the fleet prefix must be 1..64 characters');
    }
  });

  it('puts every key under the hash tag and the channel outside it', () => {
    expect(layoutFor('app')).toEqual({ root: '{app}:', anchor: '{app}:seq', channel: 'app:invalidations' });
  });
});
