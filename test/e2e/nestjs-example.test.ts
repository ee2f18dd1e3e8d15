import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnkeyClient } from '@keyguard/unkey';
import { createKeyServer } from '@keyguard/server';
import type { KeyServer } from '@keyguard/server';
import { registerSecret } from '../support/secrets.js';

// examples/nestjs as a user runs it (settings from the environment) against the local key service, on both of
// Nest's platforms: the requests of `pnpm demo`, with the same answers. Two ways: from source with tsx, and compiled
// by tsc to CommonJS as Nest's own starter builds (its `pnpm build`), which loads @keyguard/*'s CJS builds.
const example = fileURLToPath(new URL('../../examples/nestjs/', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
// The compiled app requires the packages' dist: `pnpm test` builds first; a bare vitest run without a build skips it.
const built =
  existsSync(fileURLToPath(new URL('../../packages/nestjs/dist/index.cjs', import.meta.url))) || process.env.CI;
const RUNS = {
  source: { command: tsx, args: ['src/main.ts'] },
  'compiled to CommonJS': { command: process.execPath, args: ['dist/main.js'] },
} as const;
type Run = keyof typeof RUNS;

let server: KeyServer;
let client: UnkeyClient;
let rootKey: string;
let baseUrl: string;
let apiId: string;
const keys = { reader: '', writer: '' };

async function createKey(extra: Partial<Parameters<UnkeyClient['keys']['createKey']>[0]>): Promise<string> {
  const { data } = await client.keys.createKey({ apiId, prefix: 'e2e', ...extra });
  registerSecret(data.key);
  return data.key;
}

beforeAll(async () => {
  // First, and without blocking the event loop: a client made before a blocking compile would find its keep-alive
  // connection closed by the service meanwhile.
  if (built) await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: example });
  server = createKeyServer();
  rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  baseUrl = (await server.start()).url;
  client = new UnkeyClient({ rootKey, baseUrl, retry: false });
  apiId = (await client.apis.createApi({ name: 'e2e-nestjs' })).data.apiId;
  keys.reader = await createKey({ name: 'reader', permissions: ['documents.read'] });
  keys.writer = await createKey({
    name: 'writer',
    permissions: ['documents.read', 'documents.write', 'documents.delete'],
  });
}, 120_000);
afterAll(async () => {
  await client?.close();
  await server?.stop();
});

/** Starts the example, resolves with its URL once it listens. */
function startExample(
  run: Run,
  platform: 'express' | 'fastify',
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(RUNS[run].command, RUNS[run].args, {
    cwd: example,
    env: { ...process.env, KEYGUARD_ROOT_KEY: rootKey, KEYGUARD_BASE_URL: baseUrl, PLATFORM: platform, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /example API on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ url, child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the example exited with ${code}: ${output}`)));
  });
}

const cases = [
  ['source', 'express'],
  ['source', 'fastify'],
  ...(built
    ? ([
        ['compiled to CommonJS', 'express'],
        ['compiled to CommonJS', 'fastify'],
      ] as const)
    : []),
] as const;

describe.each(cases)('examples/nestjs (%s) on %s against the local key service', (run, platform) => {
  it('answers as pnpm demo shows: 200, 401, 403, 201, 204 and 429', async () => {
    const limitedKey = await createKey({
      permissions: ['documents.read'],
      ratelimits: [{ name: 'requests', limit: 3, duration: 30_000, autoApply: true }],
    });
    const meteredKey = await createKey({ permissions: ['documents.read'], credits: { remaining: 3 } });
    const { url, child, output } = await startExample(run, platform);
    const status = async (path: string, key?: string, init: RequestInit = {}) => {
      const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await fetch(url + path, { ...init, headers });
      await response.arrayBuffer();
      return response.status;
    };
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"draft"}' };
    try {
      expect(await status('/health')).toBe(200);
      expect(await status('/greeting')).toBe(200);
      expect(await status('/documents')).toBe(401);
      expect(await status('/documents', keys.reader)).toBe(200);
      expect(await status('/documents', keys.reader, post)).toBe(403);
      expect(await status('/documents', keys.writer, post)).toBe(201);
      expect(await status('/documents/2', keys.reader, { method: 'DELETE' })).toBe(403);
      expect(await status('/documents/2', keys.writer, { method: 'DELETE' })).toBe(204);
      const limited = [];
      const metered = [];
      for (let index = 0; index < 4; index++) limited.push(await status('/documents', limitedKey));
      for (let index = 0; index < 4; index++) metered.push(await status('/documents', meteredKey));
      expect(limited).toEqual([200, 200, 200, 429]);
      expect(metered).toEqual([200, 200, 200, 429]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(output()).not.toContain(keys.reader);
  }, 60_000);
});
