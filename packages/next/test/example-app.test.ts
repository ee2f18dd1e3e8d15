import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';

// Builds examples/next once (`next build`), starts it (`next start`) against a FakeUnkey, and calls it over HTTP.
// The example imports the packages' built dist files, so they are rebuilt first when older than their sources.
// Everything the Next.js server prints goes to the leak watch: no key or secret may appear in it.
const EXAMPLE = fileURLToPath(new URL('../../../examples/next/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NEXT_BIN = `${EXAMPLE}node_modules/next/dist/bin/next`;
const FORWARD_SECRET = 'example-forward-secret-0123456789abcdef';
const READER = 'sk_example_reader_1';
const WRITER = 'sk_example_writer_2';
registerSecret(FORWARD_SECRET);

// Vitest sets NODE_ENV=test, which `next build` and `next start` must not inherit.
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = `${directory}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const isStale = (pkg: string) => {
  const built = `${ROOT}packages/${pkg}/dist/edge.js`;
  return !existsSync(built) || statSync(built).mtimeMs < newestMtime(`${ROOT}packages/${pkg}/src`);
};

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      recordOutput(output);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

let fake: FakeUnkey;
let server: ChildProcess | undefined;
let serverOutput = '';
let base = '';

beforeAll(async () => {
  if (isStale('core') || isStale('next'))
    await run('pnpm', ['--filter', '@keyguard/core', '--filter', '@keyguard/next', 'build'], ROOT);
  await run(process.execPath, [NEXT_BIN, 'build'], EXAMPLE);

  fake = await new FakeUnkey().start();
  fake.add(READER, {
    keyId: 'key_reader',
    name: 'reader',
    permissions: ['documents.read'],
    identity: { id: 'id_1', externalId: 'user_1' },
  });
  fake.add(WRITER, { keyId: 'key_writer', name: 'writer', permissions: ['documents.read', 'documents.write'] });
  // Port 0: the server binds a free port itself and prints it (a free port looked up here and handed over could be
  // taken meanwhile by another test's server). Its own process group, so that afterAll stops exactly this server and
  // anything it spawned.
  server = spawn(process.execPath, [NEXT_BIN, 'start', '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: EXAMPLE,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      KEYGUARD_ROOT_KEY: fake.rootKey,
      KEYGUARD_BASE_URL: fake.url,
      KEYGUARD_FORWARD_SECRET: FORWARD_SECRET,
    },
  });
  server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  const exited = new Promise<never>((_resolve, reject) =>
    server!.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${serverOutput}`))),
  );
  const ready = (async () => {
    for (;;) {
      base ||= /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput)?.[1] ?? '';
      try {
        if (!base) throw new Error('no port printed yet');
        if ((await fetch(`${base}/`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await Promise.race([ready, exited]);
}, 900_000);

afterAll(async () => {
  if (server?.pid !== undefined && server.exitCode === null) {
    const stopped = new Promise((resolve) => server!.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await stopped;
  }
  recordOutput(serverOutput);
  await fake?.stop();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);

describe('examples/next, built and started', () => {
  it('route handler: 401 without a key, 200 with one, 403 without the permission, 201 with it', async () => {
    const missing = await call('/api/documents');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 401, code: 'MISSING_KEY' });

    const listed = await call('/api/documents', { headers: { authorization: `Bearer ${READER}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      caller: 'key_reader',
      documents: [{ id: 1, title: 'Getting started' }],
    });

    const post = (key: string) =>
      call('/api/documents', {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: '{"title":"Next"}',
      });
    const denied = await post(READER);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    const created = await post(WRITER);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: 'Next' });
  });

  it('route handler with async params, and an optional route', async () => {
    const document = await call('/api/documents/1', { headers: { 'x-api-key': READER } });
    expect(await document.json()).toEqual({ id: 1, title: 'Getting started' });
    expect(await (await call('/api/greeting')).json()).toEqual({ message: 'hello anonymous' });
    expect(await (await call('/api/greeting', { headers: { 'x-api-key': READER } })).json()).toEqual({
      message: 'hello reader',
    });
    expect((await call('/api/greeting', { headers: { 'x-api-key': 'sk_example_unknown_9' } })).status).toBe(401);
  });

  it('middleware on the edge: denies without a key, forwards the verified identity to the route', async () => {
    const missing = await call('/api/edge/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await missing.json()).toMatchObject({ code: 'MISSING_KEY' });

    const me = await call('/api/edge/me', { headers: { authorization: `Bearer ${READER}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      id: 'key_reader',
      name: 'reader',
      permissions: ['documents.read'],
      identity: { id: 'id_1', externalId: 'user_1', meta: {} },
      verifiedBy: 'middleware',
    });
  });

  it('middleware: an identity header sent by the client is stripped, never trusted', async () => {
    const forged = 'kg1.eyJpYXQiOjAsImtleSI6eyJpZCI6ImtleV9hZG1pbiJ9fQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const withoutKey = await call('/api/edge/me', { headers: { 'x-keyguard-api-key': forged } });
    expect(withoutKey.status).toBe(401);
    const withKey = await call('/api/edge/me', { headers: { 'x-api-key': WRITER, 'x-keyguard-api-key': forged } });
    expect(await withKey.json()).toMatchObject({ id: 'key_writer' });
  });

  it('Pages Router API route: req.apiKey', async () => {
    expect((await call('/api/legacy/whoami')).status).toBe(401);
    const whoami = await call('/api/legacy/whoami', { headers: { 'x-api-key': READER } });
    expect(await whoami.json()).toEqual({
      id: 'key_reader',
      name: 'reader',
      permissions: ['documents.read'],
      router: 'pages',
    });
  });
});
