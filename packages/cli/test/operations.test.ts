import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner } from './run.js';

// keys reroll / permissions / roles, identities and ratelimit override commands against a started local key server.
let server: KeyServer;
let env: Record<string, string>;
let apiId: string;
const { run, json } = cliRunner(() => env);

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  const { url } = await server.start();
  env = { KEYGUARD_BASE_URL: url, KEYGUARD_ROOT_KEY: rootKey };
  apiId = (await json(['apis', 'create', 'cli-ops'])).apiId;
});
afterAll(() => server.stop());

const createKey = async (...extra: string[]) => {
  const key = await json(['keys', 'create', apiId, ...extra]);
  registerSecret(key.key);
  return key as { keyId: string; key: string };
};

describe('keyguard keys permissions / roles / reroll', () => {
  it('adds, removes and sets permissions and roles, seen by the next verify', async () => {
    const key = await createKey();
    expect((await run(['keys', 'permissions', 'add', key.keyId, 'docs.read', 'docs.write'])).stdout).toMatch(
      /^docs\.read {2}perm_\S+\ndocs\.write {2}perm_\S+\n$/,
    );
    expect(
      (await json(['keys', 'permissions', 'remove', key.keyId, 'docs.write'])).map(
        (entry: { slug: string }) => entry.slug,
      ),
    ).toEqual(['docs.read']);
    expect((await run(['keys', 'verify', key.key, '--permissions', 'docs.write'])).code).toBe(3);
    expect((await run(['keys', 'permissions', 'set', key.keyId])).stdout).toBe('no direct permissions\n');

    // The CLI has no command to create roles: the role comes from the API.
    const role = await fetch(`${env.KEYGUARD_BASE_URL}/v2/permissions.createRole`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.KEYGUARD_ROOT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cli.admin', permissions: ['admin'] }),
    });
    expect(role.status).toBe(200);
    expect((await run(['keys', 'roles', 'add', key.keyId, 'cli.admin'])).stdout).toMatch(
      /^cli\.admin {2}role_\S+ {2}admin\n$/,
    );
    expect((await json(['keys', 'verify', key.key])).permissions).toEqual(['admin']);
    expect(await json(['keys', 'roles', 'set', key.keyId])).toEqual([]);
    expect((await run(['keys', 'roles', 'remove', key.keyId, 'no-such-role'])).stderr).toMatch(/^keyguard: .*404/);
  });

  it('rerolls a key: the new one verifies, the old one stops after --expiration', async () => {
    const key = await createKey('--prefix', 'cli', '--permissions', 'docs.read');
    const rerolled = await run(['keys', 'reroll', key.keyId]);
    expect(rerolled.code).toBe(0);
    const fresh = /key:\s+(cli_\S+)/.exec(rerolled.stdout)?.[1] as string;
    registerSecret(fresh);
    expect((await json(['keys', 'verify', fresh])).permissions).toEqual(['docs.read']);
    const old = await run(['keys', 'verify', key.key]);
    expect([old.code, /code:\s+(\S+)/.exec(old.stdout)?.[1]]).toEqual([3, 'EXPIRED']);
    const graceful = await json([
      'keys',
      'reroll',
      (await json(['keys', 'verify', fresh])).keyId,
      '--expiration',
      '1h',
    ]);
    registerSecret(graceful.key);
    expect((await json(['keys', 'verify', fresh])).valid).toBe(true);
    expect((await run(['keys', 'reroll', 'key_x', '--expiration', 'soon'])).stderr).toMatch(
      /--expiration must be milliseconds/,
    );
  });
});

describe('keyguard identities', () => {
  it('creates, gets, lists, updates and deletes', async () => {
    const created = await json([
      'identities',
      'create',
      'cli_org',
      '--meta',
      '{"plan":"team"}',
      '--ratelimit',
      'org:2:60000:auto',
    ]);
    expect(created.identityId).toMatch(/^id_/);
    const shown = await run(['identities', 'get', 'cli_org']);
    expect(shown.stdout).toMatch(/externalId:\s+cli_org/);
    expect(shown.stdout).toMatch(/ratelimit org:\s+2 per 60000 ms \(auto\)/);
    expect(
      (await json(['identities', 'list', '--search', 'cli_'])).identities.map(
        (entry: { externalId: string }) => entry.externalId,
      ),
    ).toEqual(['cli_org']);

    const key = await createKey('--external-id', 'cli_org');
    expect((await json(['keys', 'verify', key.key])).identity).toMatchObject({
      externalId: 'cli_org',
      meta: { plan: 'team' },
    });
    const updated = await json(['identities', 'update', 'cli_org', '--meta', '{"plan":"pro"}', '--clear-ratelimits']);
    expect(updated).toMatchObject({ meta: { plan: 'pro' } });
    expect(updated.ratelimits).toBeUndefined();
    expect((await json(['keys', 'verify', key.key])).identity.meta).toEqual({ plan: 'pro' });

    expect((await run(['identities', 'delete', created.identityId])).stdout).toBe(`deleted ${created.identityId}\n`);
    expect((await run(['identities', 'get', 'cli_org'])).code).toBe(1);
    expect((await run(['identities', 'list'])).stdout).toBe('no identities\n');
  });
});

describe('keyguard ratelimit', () => {
  it('limits, and sets, gets, lists and deletes overrides', async () => {
    expect((await run(['ratelimit', 'limit', 'cli.ns', 'user_1', '--limit', '1', '--duration', '1m'])).code).toBe(0);
    expect((await run(['ratelimit', 'limit', 'cli.ns', 'user_1', '--limit', '1', '--duration', '1m'])).code).toBe(3);
    const set = await json(['ratelimit', 'override', 'set', 'cli.ns', 'user_*', '--limit', '5', '--duration', '60000']);
    expect(set.overrideId).toMatch(/^rlor_/);
    const allowed = await json(['ratelimit', 'limit', 'cli.ns', 'user_1', '--limit', '1', '--duration', '1m']);
    expect(allowed).toMatchObject({ success: true, limit: 5, overrideId: set.overrideId });
    expect((await run(['ratelimit', 'override', 'get', 'cli.ns', 'user_*'])).stdout).toMatch(/limit:\s+5/);
    expect((await run(['ratelimit', 'override', 'list', 'cli.ns'])).stdout).toBe(
      `${set.overrideId}  user_*  5 per 60000 ms\n`,
    );
    expect((await json(['ratelimit', 'override', 'list', 'cli.ns', '--all'])).overrides).toHaveLength(1);
    expect((await run(['ratelimit', 'override', 'delete', 'cli.ns', 'user_*'])).code).toBe(0);
    expect((await run(['ratelimit', 'override', 'list', 'cli.ns'])).stdout).toBe('no overrides\n');
    expect((await run(['ratelimit', 'override', 'get', 'nope', 'x'])).stderr).toMatch(/^keyguard: .*404/);
  });
});
