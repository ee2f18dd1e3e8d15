import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { findLeaks, leakRegistry, registerSecret } from '../../../test/support/secrets.js';
import { runCli } from '../src/index.js';
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
  const apiId = (await json(['apis', 'create', 'cli-audit'])).apiId;
  const key = await json(['keys', 'create', apiId, '--name', 'first']);
  registerSecret(key.key);
  // The CLI has no key update; the service's own route is as good a management call.
  const updated = await fetch(`${url}/v2/keys.updateKey`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ keyId: key.keyId, name: 'second' }),
  });
  expect(updated.status).toBe(200);
});
afterAll(() => server.stop());

describe('keyguard audit', () => {
  it('prints the log as a table, newest first, with what changed', async () => {
    const result = await run(['audit']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+action\s+actor\s+target\s+status\s+from\s+change$/);
    expect(lines[1]).toMatch(/key\.update\s+rk_\S+\s+key_\S+\s+200\s+\S*127\.0\.0\.1\s+name$/);
    expect(lines[2]).toMatch(/key\.create .* created$/);
    expect(lines[3]).toMatch(/api\.create .* created$/);
  });

  it('filters, pages and prints JSON without any key', async () => {
    const updates = await json(['audit', '--action', 'key.update']);
    expect(updates.entries).toHaveLength(1);
    expect(updates.entries[0]).toMatchObject({ before: { name: 'first' }, after: { name: 'second' } });
    const first = await json(['audit', '--limit', '2']);
    expect(first.entries).toHaveLength(2);
    expect(first.pagination.hasMore).toBe(true);
    const rest = await json(['audit', '--cursor', first.pagination.cursor]);
    expect(rest.entries.map((entry: { action: string }) => entry.action)).toEqual(['api.create']);
    expect((await json(['audit', '--limit', '1', '--all'])).entries).toHaveLength(3);
    expect((await json(['audit', '--limit', '100'])).entries).toHaveLength(3);
    expect((await run(['audit', '--limit', '101'])).stderr).toMatch(/--limit must be 1\.\.100/);
    expect((await json(['audit', '--since', '1h', '--until', '1m'])).entries).toHaveLength(0);
    expect((await json(['audit', '--since', '1h'])).entries).toHaveLength(3);
    const text = (await run(['--json', 'audit'])).stdout;
    expect(findLeaks([text], leakRegistry().secrets).length).toBe(0);
  });

  it('follows new entries until stopped', async () => {
    const stop = new AbortController();
    let stdout = '';
    const following = runCli(['audit', '--follow', '--interval', '100ms', '--action', 'api.create'], {
      stdout: (text) => (stdout += text),
      stderr: () => {},
      env,
      shutdown: stop.signal,
    });
    await expect.poll(() => stdout, { timeout: 10_000 }).toMatch(/api\.create/);
    await json(['apis', 'create', 'followed']);
    await expect.poll(() => stdout.trim().split('\n').length, { timeout: 10_000 }).toBe(3);
    stop.abort();
    expect(await following).toBe(0);
    expect(stdout.trim().split('\n')[2]).toMatch(/api\.create .* created$/);
  });

  it('has --help', async () => {
    const help = await run(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--follow/);
    expect(help.stdout).toMatch(/never a key or secret/);
  });

  it('says what is missing without the permission, in one line', async () => {
    const narrow = await json(['root-keys', 'create', '--permission', 'api.*.read_api']);
    registerSecret(narrow.key);
    const denied = await run(['audit'], { KEYGUARD_ROOT_KEY: narrow.key });
    expect(denied.code).toBe(1);
    expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    expect(denied.stderr).toMatch(/^keyguard: /);
  });

  it('serve --audit-max-entries bounds the log', async () => {
    const serve = await serveInProcess(['--json', 'serve', '--port', '0', '--audit-max-entries', '2'], {});
    const info = JSON.parse(serve.stdout().split('\n')[0] as string);
    registerSecret(info.rootKey, info.clerkSecretKey);
    const served = { KEYGUARD_BASE_URL: info.url, KEYGUARD_ROOT_KEY: info.rootKey };
    for (const name of ['one', 'two', 'three']) expect((await run(['apis', 'create', name], served)).code).toBe(0);
    const kept = JSON.parse((await run(['--json', 'audit'], served)).stdout);
    expect(kept.entries.map((entry: { after: { name: string } }) => entry.after.name)).toEqual(['three', 'two']);
    expect(await serve.stop()).toBe(0);
    const refused = await run(['serve', '--port', '0', '--audit-max-age', '10ms']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--audit-max-age/);
  });
});
