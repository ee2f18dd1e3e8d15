import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnkeyClient } from '@keyguard/unkey';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../support/secrets.js';

// The root README's "In one picture" is a whole app: saved as a file in the repository and started the way the
// README says (`KEYGUARD_ROOT_KEY=<root key> node --import tsx app.ts`), it listens and guards /documents.
const root = fileURLToPath(new URL('../..', import.meta.url));
const snippet = /## In one picture\n\n```ts\n([\s\S]*?)^```/m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1];
const folder = join(root, '.data', `readme-app-${process.pid}`);

let keyServer: KeyServer;
let env: Record<string, string>;
let key: string;
let keyId: string;

beforeAll(async () => {
  keyServer = createKeyServer();
  const rootKey = keyServer.bootstrap().rootKey as string;
  const { url } = await keyServer.start();
  const client = new UnkeyClient({ rootKey, baseUrl: url });
  const { data: api } = await client.apis.createApi({ name: 'readme-app' });
  ({ key, keyId } = (await client.keys.createKey({ apiId: api.apiId, permissions: ['documents.read'] })).data);
  await client.close();
  registerSecret(rootKey, key);
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = String((probe.address() as { port: number }).port);
  await new Promise((resolve) => probe.close(resolve));
  env = { KEYGUARD_ROOT_KEY: rootKey, KEYGUARD_BASE_URL: url, PORT: port };
  mkdirSync(folder, { recursive: true });
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await keyServer.stop();
});

describe('README.md "In one picture"', () => {
  it('listens, answers 200 to a key with documents.read and 401 without a key', async () => {
    expect(snippet).toContain('app.listen(');
    const file = join(folder, 'app.ts');
    writeFileSync(file, snippet as string);
    // As from a terminal: not with the NODE_ENV=test that vitest sets.
    const childEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV')),
      ...env,
    } as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
          if (url) resolve(url);
        });
        child.once('exit', (code) => reject(new Error(`the README app exited with ${code}: ${output}`)));
      });
      expect(base).toBe(`http://127.0.0.1:${env.PORT}`);
      const allowed = await fetch(`${base}/documents`, { headers: { authorization: `Bearer ${key}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ caller: keyId });
      const anonymous = await fetch(`${base}/documents`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    } finally {
      child.kill('SIGINT');
    }
  }, 60_000);
});
