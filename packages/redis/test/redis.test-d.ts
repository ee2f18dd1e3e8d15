import type { Cluster, Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import type { Fleet, VerifierOptions } from '@keyguard/core';
import { redisFleet, type RedisFleetOptions } from '../src/index.js';

describe('redisFleet types', () => {
  it('is a Fleet, as createVerifier takes it', () => {
    expectTypeOf(redisFleet).returns.toMatchTypeOf<Fleet>();
    expectTypeOf(redisFleet).returns.toMatchTypeOf<NonNullable<VerifierOptions['fleet']>>();
  });

  it('takes a URL, ioredis options, or a Redis or Cluster client the app already has', () => {
    expectTypeOf<string>().toMatchTypeOf<RedisFleetOptions['redis']>();
    expectTypeOf<{ host: string; port: number }>().toMatchTypeOf<RedisFleetOptions['redis']>();
    expectTypeOf<Redis>().toMatchTypeOf<RedisFleetOptions['redis']>();
    expectTypeOf<Cluster>().toMatchTypeOf<RedisFleetOptions['redis']>();
    expectTypeOf<number>().not.toMatchTypeOf<RedisFleetOptions['redis']>();
  });
});
