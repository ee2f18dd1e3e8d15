import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner, serveInProcess } from './run.js';

// What a new user meets in the first hour: finding an API again, narrower root keys, units, hints.
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

describe('keyguard apis list / get by name / create twice', () => {
  it('lists the APIs, finds one by name, and a second create names the existing id', async () => {
    const { apiId } = await json(['apis', 'create', 'payments']);
    const again = await run(['apis', 'create', 'payments']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(apiId);
    expect(again.stderr).toMatch(/HTTP 409 Conflict: .*`keyguard apis get payments` shows it\n$/);

    expect((await json(['apis', 'list'])).apis).toContainEqual(
      expect.objectContaining({ id: apiId, name: 'payments' }),
    );
    expect((await json(['apis', 'list', '--name', 'payments'])).apis.map((api: { id: string }) => api.id)).toEqual([
      apiId,
    ]);
    const table = (await run(['apis', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^id +name +created$/);
    expect(table.some((line) => line.startsWith(apiId) && line.includes('payments'))).toBe(true);

    expect(await json(['apis', 'get', 'payments'])).toEqual({ id: apiId, name: 'payments' });
    expect(await json(['apis', 'get', apiId])).toEqual({ id: apiId, name: 'payments' });
    const missing = await run(['apis', 'get', 'no-such-api']);
    expect(missing.stderr).toBe('keyguard: no API named "no-such-api"; `keyguard apis list` shows them\n');
  });
});

describe('keyguard root-keys', () => {
  it('creates a verify-only root key (printed once), lists it without the key, deletes it', async () => {
    const { apiId } = await json(['apis', 'create', 'least-privilege']);
    const created = await json([
      'root-keys',
      'create',
      '--permission',
      `api.${apiId}.verify_key`,
      '--permission',
      `api.${apiId}.read_api`,
      '--name',
      'checkout app',
    ]);
    registerSecret(created.key);
    expect(created).toMatchObject({ rootKeyId: expect.stringMatching(/^rk_/), key: expect.stringMatching(/^kgroot_/) });

    const listed = await json(['root-keys', 'list']);
    expect(listed.rootKeys).toContainEqual(
      expect.objectContaining({
        id: created.rootKeyId,
        name: 'checkout app',
        permissions: [`api.${apiId}.read_api`, `api.${apiId}.verify_key`],
      }),
    );
    const text = await run(['root-keys', 'list']);
    expect(text.stdout).toMatch(/^id +name +start +permissions +created\n/);
    expect(text.stdout).toContain(created.rootKeyId);
    expect(`${text.stdout}${JSON.stringify(listed)}`).not.toContain(created.key);

    // The narrow key reads its API but may not delete it, nor manage root keys.
    const narrow = { KEYGUARD_ROOT_KEY: created.key };
    expect((await run(['apis', 'get', apiId], narrow)).code).toBe(0);
    const refused = await run(['apis', 'delete', apiId], narrow);
    expect(refused.stderr).toMatch(/^keyguard: apis\.deleteApi failed: HTTP 403 Forbidden/);
    expect(refused.stderr).not.toContain(created.key);
    expect((await run(['root-keys', 'list'], narrow)).stderr).toMatch(/HTTP 403 Forbidden: .*rbac\.\*\.read_root_key/);

    expect((await run(['root-keys', 'delete', created.rootKeyId])).stdout).toBe(`deleted ${created.rootKeyId}\n`);
    expect((await run(['apis', 'get', apiId], narrow)).stderr).toMatch(/HTTP 401 Unauthorized/);
  });

  it('says what is wrong: no permission, an unknown one, a service without the routes', async () => {
    expect((await run(['root-keys', 'create'])).stderr).toMatch(/required option '--permission <permission>'/);
    expect((await run(['root-keys', 'create', '--permission', 'api.*.verify'])).stderr).toMatch(
      /HTTP 400 Bad Request: Unknown root key permission "api\.\*\.verify"/,
    );
    const elsewhere = await run(['root-keys', 'list'], { KEYGUARD_BASE_URL: `${env.KEYGUARD_BASE_URL}/nowhere` });
    expect(elsewhere.code).toBe(1);
  });
});

describe('durations, hints and serve', () => {
  it('accepts units in --ratelimit like every other duration', async () => {
    const { apiId } = await json(['apis', 'create', 'units']);
    const key = await json(['keys', 'create', apiId, '--ratelimit', 'requests:10:1m:auto']);
    registerSecret(key.key);
    const verified = await json(['keys', 'verify', key.key]);
    expect(verified.ratelimits).toEqual([expect.objectContaining({ name: 'requests', limit: 10, remaining: 9 })]);
    expect((await run(['keys', 'create', apiId, '--ratelimit', 'requests:10:soon'])).stderr).toMatch(
      /^keyguard: --ratelimit duration must be milliseconds or a duration like 90s/,
    );
  });

  it('points to where API ids and key lists are', async () => {
    expect((await run(['keys', 'create'])).stderr).toMatch(
      /^keyguard: missing required argument 'apiId' \(`keyguard apis list` shows the ids\)/,
    );
    const list = await run(['keys', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/`keyguard apis list-keys <apiId>`/);
  });

  it('serve says when everything lives in memory, and how to keep it', async () => {
    const serve = await serveInProcess(['serve', '--port', '0', '--quiet'], {});
    const stdout = serve.stdout();
    registerSecret(/root key \(shown once, store it now\): (\S+)/.exec(stdout)?.[1] as string);
    registerSecret(/clerk secret key \(shown once, store it now\): (\S+)/.exec(stdout)?.[1] as string);
    expect(stdout).toMatch(
      /database: +in memory: everything is lost when it stops \(keep it with --db .* or KEYGUARD_DB\)/,
    );
    expect(stdout).toMatch(/metrics: +http:\/\/127\.0\.0\.1:\d+\/metrics\n/);
    expect(stdout).toContain('keyguard root-keys create --permission api.<apiId>.verify_key');
    expect(await serve.stop()).toBe(0);
  });

  it('serve --metrics-access root-key: /metrics answers only with a root key', async () => {
    const rootKey = 'kgroot_metrics_access_0123456789';
    registerSecret(rootKey);
    const serve = await serveInProcess(['--json', 'serve', '--port', '0', '--metrics-access', 'root-key'], {
      KEYGUARD_ROOT_KEY: rootKey,
    });
    const { url } = JSON.parse(serve.stdout().split('\n')[0] as string) as { url: string };
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${rootKey}` } })).status).toBe(200);
    expect(await serve.stop()).toBe(0);
    expect((await run(['serve', '--port', '0', '--metrics-access', 'public'])).stderr).toBe(
      'keyguard: --metrics-access must be one of open, root-key\n',
    );
  });
});
