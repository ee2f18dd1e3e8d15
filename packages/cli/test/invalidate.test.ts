import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '@keyguard/core';
import { redisFleet, type InvalidationEvent } from '@keyguard/redis';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner } from './run.js';

const redis = await redisOrSkip('packages/cli/test/invalidate.test.ts');
const { run } = cliRunner(() => ({ KEYGUARD_REDIS_URL: redis?.url ?? '' }));
const secret = randomBytes(32).toString('hex');
registerSecret(secret);
let server: KeyServer;
let client: UnkeyClient;
let rootKey: string;
let url: string;
let apiId: string;

beforeAll(async () => {
  if (!redis) return;
  server = createKeyServer();
  rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  url = (await server.start()).url;
  client = new UnkeyClient({ rootKey, baseUrl: url });
  apiId = (await client.apis.createApi({ name: 'cli-invalidate' })).data.apiId;
});
afterAll(async () => {
  if (!redis) return;
  await client.close();
  await server.stop();
  await redis.stop();
});

/** A verifier in the fleet of `prefix` with a key in memory, and its next invalidation from the bus. */
async function fleetMember(prefix?: string) {
  let received!: (event: InvalidationEvent) => void;
  const invalidation = new Promise<InvalidationEvent>((resolve) => (received = resolve));
  const fleet = redisFleet({
    redis: redis!.url,
    secret,
    prefix,
    timeoutMs: 2_000,
    onInvalidation: (event) => received(event),
  });
  const verifier: Verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url }), fleet });
  await fleet.ready();
  const { data } = await client.keys.createKey({ apiId });
  registerSecret(data.key);
  await verifier.verify(data.key);
  expect(verifier.verifyCached(data.key)?.valid).toBe(true);
  return { verifier, key: data.key, keyId: data.keyId, invalidation };
}

describe.skipIf(!redis)('keyguard invalidate', () => {
  it("makes every instance of the fleet drop a key id's answers", async () => {
    const member = await fleetMember();
    const result = await run(['invalidate', member.keyId]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^invalidated:\\s+${member.keyId}\\nbus message:\\s+\\d+\\n$`));
    expect((await member.invalidation).kind).toBe('keyId');
    expect(member.verifier.verifyCached(member.key)).toBeUndefined();
    await member.verifier.close();
  });

  it('--all, another prefix, --json', async () => {
    const member = await fleetMember('tenant-a');
    const result = await run(['--json', 'invalidate', '--all', '--prefix', 'tenant-a', '--redis-url', redis!.url]);
    expect(JSON.parse(result.stdout)).toEqual({ keyId: null, all: true, message: expect.any(Number) });
    expect((await member.invalidation).kind).toBe('all');
    expect(member.verifier.verifyCached(member.key)).toBeUndefined();
    await member.verifier.close();
  });

  it('says clearly what is wrong, without the Redis password', async () => {
    expect((await run(['invalidate'])).stderr).toBe('keyguard: give a key id, or --all (not both)\n');
    expect((await run(['invalidate', 'key_1', '--all'])).code).toBe(1);
    expect((await run(['invalidate', 'key_1'], { KEYGUARD_REDIS_URL: '' })).stderr).toMatch(
      /no Redis: pass --redis-url/,
    );
    expect((await run(['invalidate', 'key_1', '--redis-url', 'http://x'])).stderr).toMatch(/redis:\/\//);
    expect((await run(['invalidate', 'key_1', '--prefix', '{bad}'])).stderr).toMatch(/prefix/);
    const unreachable = await run(['invalidate', 'key_1', '--redis-url', 'redis://:hunter2secret@127.0.0.1:1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^keyguard: cannot invalidate on the fleet's Redis: /);
    expect(unreachable.stderr).not.toContain('hunter2secret');
  });
});
