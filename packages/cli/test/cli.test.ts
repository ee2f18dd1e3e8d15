import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner, serveInProcess } from './run.js';

let server: KeyServer;
let env: Record<string, string>;
const { run, json } = cliRunner(() => env);

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  const { url } = await server.start();
  env = { KEYGUARD_BASE_URL: url, KEYGUARD_ROOT_KEY: rootKey };
});
afterAll(() => server.stop());

describe('keyguard apis / keys', () => {
  it('creates, gets, lists and deletes, in text and JSON', async () => {
    const created = await run(['apis', 'create', 'cli-api']);
    expect(created.code).toBe(0);
    const apiId = /apiId:\s+(\S+)/.exec(created.stdout)?.[1] as string;
    expect(apiId).toMatch(/^api_/);
    expect(await json(['apis', 'get', apiId])).toEqual({ id: apiId, name: 'cli-api' });

    const key = await json(['keys', 'create', apiId, '--prefix', 'sk', '--name', 'first', '--permissions', 'docs.read,docs.write', '--credits', '2', '--ratelimit', 'requests:10:60000:auto', '--meta', '{"plan":"pro"}', '--expires', '30d']);
    registerSecret(key.key);
    expect(key.key).toMatch(/^sk_/);
    const text = await run(['keys', 'create', apiId]);
    expect(text.stdout).toMatch(/key:\s+\S+/);
    registerSecret(/key:\s+(\S+)/.exec(text.stdout)?.[1] as string);

    const verified = await run(['keys', 'verify', key.key, '--permissions', 'docs.read AND docs.write']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/code:\s+VALID/);
    expect(verified.stdout).toMatch(/credits:\s+1/);
    expect(verified.stdout).toMatch(/ratelimit requests:\s+9\/10 left/);
    const denied = await run(['keys', 'verify', key.key, '--permissions', 'admin']);
    expect(denied.code).toBe(3);
    expect(denied.stdout).toMatch(/INSUFFICIENT_PERMISSIONS/);
    expect((await json(['keys', 'verify', key.key])).code).toBe('VALID');
    expect((await run(['keys', 'verify', key.key])).stdout).toMatch(/USAGE_EXCEEDED/);

    const listed = await json(['apis', 'list-keys', apiId]);
    expect(listed.keys).toHaveLength(2);
    expect(listed.pagination).toEqual({ hasMore: false });
    const paged = await json(['apis', 'list-keys', apiId, '--limit', '1']);
    expect(paged.pagination.hasMore).toBe(true);
    expect((await json(['apis', 'list-keys', apiId, '--limit', '1', '--all'])).keys).toHaveLength(2);
    expect((await run(['apis', 'list-keys', apiId, '--limit', '1'])).stdout).toMatch(/more: --cursor key_/);

    expect((await run(['keys', 'delete', key.keyId])).stdout).toBe(`deleted ${key.keyId}\n`);
    const gone = await run(['--json', 'keys', 'verify', key.key]);
    expect(gone.code).toBe(3);
    expect(JSON.parse(gone.stdout)).toEqual({ valid: false, code: 'NOT_FOUND' });
    expect((await run(['apis', 'delete', apiId])).code).toBe(0);
    expect((await run(['apis', 'get', apiId])).code).toBe(1);
  });

  it('fails with one clear line and a non-zero exit, never the root key or a stack', async () => {
    const cases: [string[], RegExp, Record<string, string | undefined>?][] = [
      [['apis', 'create', '1bad'], /^keyguard: apis\.createApi failed: HTTP 400 Bad Request: .*body\.name/],
      [['apis', 'get', 'api_missing'], /^keyguard: apis\.getApi failed: HTTP 404 Not Found/],
      [['apis', 'get', 'api_missing'], /^keyguard: apis\.getApi failed: HTTP 401 Unauthorized/, { KEYGUARD_ROOT_KEY: 'kgroot_wrong_wrong_wrong_wrong' }],
      [['apis', 'get', 'api_missing'], /^keyguard: no root key/, { KEYGUARD_ROOT_KEY: undefined }],
      [['apis', 'get', 'x'], /^keyguard: cannot reach the key service/, { KEYGUARD_BASE_URL: 'http://127.0.0.1:1' }],
      [['apis', 'get', 'x'], /^keyguard: invalid base URL/, { KEYGUARD_BASE_URL: 'ftp://nope' }],
      [['keys', 'create', 'api_x', '--credits', 'many'], /^keyguard: --credits must be a whole number/],
      [['keys', 'create', 'api_x', '--meta', '[1]'], /^keyguard: --meta must be a JSON object/],
      [['keys', 'create', 'api_x', '--ratelimit', 'oops'], /^keyguard: --ratelimit must look like/],
      [['keys', 'create'], /^error: missing required argument 'apiId'/],
      [['apis', 'launch'], /^error: unknown command 'launch'/],
    ];
    for (const [argv, pattern, extraEnv] of cases) {
      const result = await run(argv, extraEnv);
      expect(result.code, argv.join(' ')).not.toBe(0);
      expect(result.stderr, argv.join(' ')).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain(env.KEYGUARD_ROOT_KEY);
    }
  });

  it('--help works everywhere and exits 0', async () => {
    for (const argv of [['--help'], ['serve', '--help'], ['apis', '--help'], ['apis', 'list-keys', '--help'], ['keys', 'create', '--help'], ['keys', 'verify', '--help']]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: keyguard/);
    }
  });
});

describe('keyguard serve (in-process)', () => {
  it('prints the URL and the root key once, serves, and stops on the shutdown signal', async () => {
    const serve = await serveInProcess(['--json', 'serve', '--port', '0'], {});
    const info = JSON.parse(serve.stdout().split('\n')[0] as string);
    registerSecret(info.rootKey, info.clerkSecretKey);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const created = await run(['--json', 'apis', 'create', 'served-api'], { KEYGUARD_BASE_URL: info.url, KEYGUARD_ROOT_KEY: info.rootKey });
    expect(JSON.parse(created.stdout).apiId).toMatch(/^api_/);
    expect(await serve.stop()).toBe(0);
  });

  it('uses KEYGUARD_ROOT_KEY without printing it, and reports a port in use', async () => {
    const rootKey = 'kgroot_from_env_0123456789';
    registerSecret(rootKey);
    const serve = await serveInProcess(['serve', '--port', '0', '--quiet'], { KEYGUARD_ROOT_KEY: rootKey });
    const stdout = serve.stdout();
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain('root key: from KEYGUARD_ROOT_KEY');
    expect(stdout).not.toContain(rootKey);
    const port = new URL(server.url as string).port;
    const busy = await run(['serve', '--port', port]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^keyguard: cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    expect(await serve.stop()).toBe(0);
  });
});
