import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { LuaScript, SYNC } from '../src/keys/scripts.js';

// How the fleet runs its Lua scripts (src/keys/scripts.ts) on a real redis-server: by SHA-1, and in full once when
// Redis does not know the script (after SCRIPT FLUSH, a restart or a failover), never otherwise.
const redis = await redisOrSkip('packages/redis/test/scripts-edges.test.ts');
let client: Redis;

beforeAll(async () => {
  if (!redis) return;
  client = new Redis(redis.url);
  await client.ping();
});
afterAll(async () => {
  if (!redis) return;
  client.disconnect();
  await redis.stop();
});

/**
 * How many EVAL and EVALSHA Redis received so far (INFO commandstats: `calls` counts the ones that ran, failed ones
 * included; `rejected_calls` the ones refused before running, such as an unknown SHA-1).
 */
async function calls(): Promise<{ eval: number; evalsha: number }> {
  const info = await client.info('commandstats');
  const count = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  const rejected = (command: string) =>
    Number(new RegExp(`cmdstat_${command}:.*?rejected_calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: count('eval') + rejected('eval'), evalsha: count('evalsha') + rejected('evalsha') };
}

describe.skipIf(!redis)('Lua scripts', () => {
  it('a script Redis does not know is sent in full once, then run by its SHA-1', async () => {
    const lua = "return {ARGV[1], KEYS[1], 'scripts-edges'}";
    const script = new LuaScript(lua);
    const sha = createHash('sha1').update(lua).digest('hex');
    await client.script('FLUSH');
    const before = await calls();
    expect(await script.run(client, '{p}:seq', ['one'])).toEqual(['one', '{p}:seq', 'scripts-edges']);
    expect(await client.script('EXISTS', sha)).toEqual([1]);
    const first = await calls();
    expect(first.eval - before.eval).toBe(1);
    expect(await script.run(client, '{p}:seq', [2])).toEqual(['2', '{p}:seq', 'scripts-edges']);
    const second = await calls();
    expect(second.eval).toBe(first.eval);
    expect(second.evalsha - first.evalsha).toBe(1);
  });

  it("the fleet's scripts run again after Redis forgot them", async () => {
    await client.script('FLUSH');
    const reply = (await SYNC.run(client, '{scripts-edges}:seq', ['{scripts-edges}:', 'bus-1'])) as unknown[];
    expect(reply.slice(0, 2)).toEqual(['bus-1', 0]);
  });

  it('an error other than an unknown script is thrown as it is, without sending the script again', async () => {
    const script = new LuaScript("return redis.call('INCR', KEYS[1])");
    await client.set('scripts-edges:text', 'not a number');
    await script.run(client, 'scripts-edges:count', []);
    const before = await calls();
    await expect(script.run(client, 'scripts-edges:text', [])).rejects.toThrow(/not an integer/);
    const after = await calls();
    expect(after.eval).toBe(before.eval);
    expect(after.evalsha - before.evalsha).toBe(1);
  });
});
