/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { createKeyServer } from '../src/index.js';
import { startHarness } from './helpers.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-server-'));
  dirs.push(dir);
  return join(dir, 'keys.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bootstrap', () => {
  it('creates the workspace and one root key once, returned only the first time', () => {
    const server = createKeyServer();
    const first = server.bootstrap();
    expect(first.workspaceId).toMatch(/^ws_/);
    expect(first.rootKey).toMatch(/^kgroot_/);
    registerSecret(first.rootKey as string);
    expect(server.bootstrap()).toEqual({ workspaceId: first.workspaceId });
    return server.stop();
  });

  it('accepts a given root key instead, and rejects unusable ones', async () => {
    const rootKey = 'kgroot_given_0123456789abcdef';
    const h = await startHarness({ rootKey });
    expect(h.server.bootstrap().rootKey).toBeUndefined();
    expect((await h.call('apis.createApi', { name: 'with-given-key' })).status).toBe(200);
    await h.stop();
    expect(() => createKeyServer({ rootKey: 'short' })).toThrow(/rootKey/);
    expect(() => createKeyServer({ rootKey: 'has spaces in it, and more' })).toThrow(/rootKey/);
  });
});

describe('file database', () => {
  it('keeps workspace, root key, APIs, keys and credits across a restart', async () => {
    const database = tempFile();
    const first = await startHarness({ database, secret: 's3cret' });
    const apiId = await first.createApi('persisted');
    const { key, keyId } = await first.createKey(apiId, { credits: { remaining: 3 }, recoverable: true });
    expect((await first.verify({ key })).credits).toBe(2);
    await first.stop();

    const server = createKeyServer({ database, secret: 's3cret' });
    expect(server.bootstrap()).toEqual({ workspaceId: first.workspaceId });
    const { url } = await server.start();
    const call = (operation: string, body: unknown) =>
      fetch(`${url}/v2/${operation}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<any>);
    expect((await call('keys.verifyKey', { key })).data).toMatchObject({ valid: true, keyId, credits: 1 });
    expect((await call('keys.getKey', { keyId, decrypt: true })).data.plaintext).toBe(key);
    expect((await call('apis.getApi', { apiId })).data.name).toBe('persisted');
    await server.stop();
  });
});

describe('stop()', () => {
  it('lets an in-flight request finish, then closes the database (mounted handler)', async () => {
    const keyServer = createKeyServer();
    const rootKey = keyServer.bootstrap().rootKey as string;
    registerSecret(rootKey);
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const host = createServer((req, res) => {
      arrived();
      keyServer.handler(req, res);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const port = (host.address() as AddressInfo).port;

    const body = JSON.stringify({ name: 'in-flight-api' });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/v2/apis.createApi',
          method: 'POST',
          headers: {
            authorization: `Bearer ${rootKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      void arrival.then(() => {
        stopped = keyServer.stop().then(() => 'stopped');
        setImmediate(() => req.end(body.slice(5)));
      });
    });
    let stopped: Promise<string> | undefined;
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.apiId).toMatch(/^api_/);
    expect(await stopped).toBe('stopped');
    await new Promise<void>((resolve) => host.close(() => resolve()));
  });

  it('closes idle keep-alive connections, refuses new ones, and is idempotent', async () => {
    const h = await startHarness();
    expect((await h.raw('/v2/liveness', { method: 'GET' })).status).toBe(200);
    await Promise.all([h.stop(), h.stop()]);
    await expect(fetch(`${h.url}/v2/liveness`)).rejects.toThrow();
  });

  it('a mounted handler answers 503 in the envelope after stop', async () => {
    const keyServer = createKeyServer();
    await keyServer.stop();
    const host = createServer(keyServer.handler);
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const response = await fetch(`http://127.0.0.1:${(host.address() as AddressInfo).port}/v2/liveness`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.status).toBe(503);
    await new Promise<void>((resolve) => host.close(() => resolve()));
  });
});
