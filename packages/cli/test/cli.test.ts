import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

    const key = await json([
      'keys',
      'create',
      apiId,
      '--prefix',
      'sk',
      '--name',
      'first',
      '--permissions',
      'docs.read,docs.write',
      '--credits',
      '2',
      '--ratelimit',
      'requests:10:60000:auto',
      '--meta',
      '{"plan":"pro"}',
      '--expires',
      '30d',
    ]);
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
    const [header, ...rows] = (await run(['apis', 'list-keys', apiId])).stdout.trimEnd().split('\n');
    expect(header).toMatch(/^KEY ID +START +NAME +STATUS +PERMISSIONS +CREDITS +EXPIRES$/);
    expect(rows).toHaveLength(2);
    const first = rows.find((row) => row.startsWith(key.keyId)) as string;
    const column = (title: string) => (header as string).indexOf(title);
    // Every value starts under its title, however long the values before it.
    expect(first.slice(column('NAME'))).toMatch(/^first /);
    expect(first.slice(column('STATUS'))).toMatch(/^enabled /);
    expect(first.slice(column('PERMISSIONS'))).toMatch(/^docs\.read,docs\.write /);
    expect(first.slice(column('CREDITS'))).toMatch(/^0 /);
    expect(first.slice(column('EXPIRES'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z$/);
    const second = rows.find((row) => !row.startsWith(key.keyId)) as string;
    expect(second.slice(column('NAME'))).toMatch(/^- +enabled +- +unlimited +never$/);
    expect(second).not.toContain(key.key);

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
      [
        ['apis', 'get', 'api_missing'],
        /^keyguard: apis\.getApi failed: HTTP 401 Unauthorized/,
        { KEYGUARD_ROOT_KEY: 'kgroot_wrong_wrong_wrong_wrong' },
      ],
      [['apis', 'get', 'api_missing'], /^keyguard: no root key/, { KEYGUARD_ROOT_KEY: undefined }],
      [
        ['apis', 'get', 'x'],
        /^keyguard: cannot reach the key service at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): is it running\? Start it with `keyguard serve`/,
        { KEYGUARD_BASE_URL: 'http://127.0.0.1:1' },
      ],
      [
        ['apis', 'get', 'x'],
        /^keyguard: cannot reach the key service at http:\/\/127\.0\.0\.1:1 /,
        { KEYGUARD_BASE_URL: 'http://user:hunter2hunter2@127.0.0.1:1' },
      ],
      [['apis', 'get', 'x'], /^keyguard: invalid base URL/, { KEYGUARD_BASE_URL: 'ftp://nope' }],
      [['keys', 'create', 'api_x', '--credits', 'many'], /^keyguard: --credits must be a whole number/],
      [['keys', 'create', 'api_x', '--meta', '[1]'], /^keyguard: --meta must be a JSON object/],
      [['keys', 'create', 'api_x', '--ratelimit', 'oops'], /^keyguard: --ratelimit must look like/],
      [
        ['keys', 'create'],
        /^keyguard: missing required argument 'apiId' \(`keyguard apis list` shows the ids\); see `keyguard keys create --help`\n$/,
      ],
      [['apis', 'launch'], /^keyguard: unknown command 'launch'; see `keyguard apis --help`\n$/],
      [['apis', 'get', '--colour'], /^keyguard: unknown option '--colour'; see `keyguard apis get --help`\n$/],
      [
        ['apis', 'get', 'a', 'b'],
        /^keyguard: too many arguments for 'get'\. Expected 1 argument but got 2; see `keyguard apis get --help`\n$/,
      ],
      [
        ['keys', 'delete', 'sk_live_3ZbQmVn8pWq2XyRt'],
        /^keyguard: keys delete takes a key id \(key_…\), not the key itself/,
      ],
    ];
    for (const [argv, pattern, extraEnv] of cases) {
      const result = await run(argv, extraEnv);
      expect(result.code, argv.join(' ')).not.toBe(0);
      expect(result.stderr, argv.join(' ')).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain(env.KEYGUARD_ROOT_KEY);
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stderr).not.toContain('3ZbQmVn8pWq2XyRt');
    }
  });

  it('--help works everywhere and exits 0', async () => {
    for (const argv of [
      ['--help'],
      ['serve', '--help'],
      ['apis', '--help'],
      ['apis', 'list-keys', '--help'],
      ['keys', 'create', '--help'],
      ['keys', 'verify', '--help'],
    ]) {
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
    const created = await run(['--json', 'apis', 'create', 'served-api'], {
      KEYGUARD_BASE_URL: info.url,
      KEYGUARD_ROOT_KEY: info.rootKey,
    });
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
    expect(busy.stderr).toMatch(
      /^keyguard: cannot listen on 127\.0\.0\.1:\d+: the port is in use \(pick another with --port, or 0 for any free one\)\n$/,
    );
    expect(await serve.stop()).toBe(0);
  });

  it('on a busy port creates no database, so the next start (in a folder it creates, port from KEYGUARD_PORT) still prints the root key', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'keyguard-cli-'));
    const database = join(directory, 'not-yet', 'keys.sqlite');
    const occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const port = String((occupant.address() as { port: number }).port);
    try {
      const busy = await run(['serve', '--port', port, '--db', database], { KEYGUARD_ROOT_KEY: undefined });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/the port is in use/);
      expect(existsSync(database)).toBe(false);
      await new Promise((resolve) => occupant.close(resolve));

      const first = await serveInProcess(['serve', '--db', database, '--quiet'], { KEYGUARD_PORT: port });
      expect(first.stdout()).toContain(`listening on http://127.0.0.1:${port}`);
      const rootKey = /root key \(shown once, store it now\): (\S+)/.exec(first.stdout())?.[1];
      const clerkSecretKey = /clerk secret key \(shown once, store it now\): (\S+)/.exec(first.stdout())?.[1];
      registerSecret(rootKey as string, clerkSecretKey as string);
      expect(rootKey).toMatch(/^kgroot_/);
      expect(await first.stop()).toBe(0);
    } finally {
      occupant.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
