import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnkeyClient } from '@keyguard/unkey';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { MATTERING_HEADERS, REQUEST_ID } from '../../conformance/table.js';
import { registerSecret } from '../../support/secrets.js';
import { canRun, ROOT, type RuntimeName } from './runtimes.js';
import { startApp, type RunningApp } from './spawn-app.js';

// The app of packages/hono/README.md, the file as the README shows it, on another runtime and on Node, against the
// local key service of this process: every answer the same on both, and the statuses the README's table promises.

/** The README's first TypeScript block: the whole app. */
function readmeApp(): string {
  const app = /```ts\n([\s\S]*?)^```/m.exec(readFileSync(join(ROOT, 'packages/hono/README.md'), 'utf8'))?.[1];
  if (!app?.includes('serve(')) throw new Error('packages/hono/README.md no longer starts with a whole app');
  return app;
}

/** The keys one run of the app needs, each its own (a rate limit and a cache are per key). */
interface RunKeys {
  /** `documents.write`: may post documents. */
  writer: string;
  /** `documents.read` only. */
  reader: string;
  /** One request a minute. */
  limited: string;
  /** Valid, and first sent once the key service is down. */
  uncached: string;
  /** Well-formed, unknown to the service. */
  unknown: string;
}

interface Step {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  key?: keyof RunKeys;
  /** The status the README's table gives. */
  status: number;
  /** Sent once the key service is stopped. */
  outage?: boolean;
}

const STEPS: Step[] = [
  { name: 'a valid key', path: '/me', key: 'writer', status: 200 },
  { name: 'a key with documents.write posts', method: 'POST', path: '/documents', key: 'writer', status: 201 },
  { name: 'a key without documents.write', method: 'POST', path: '/documents', key: 'reader', status: 403 },
  { name: 'an unknown key', path: '/me', key: 'unknown', status: 401 },
  { name: 'no key', path: '/me', status: 401 },
  { name: 'no key on the optional route', path: '/greeting', status: 200 },
  { name: 'a rate-limited key, first request', path: '/me', key: 'limited', status: 200 },
  { name: 'a rate-limited key, second request', path: '/me', key: 'limited', status: 429 },
  { name: 'a cached key while the service is down', path: '/me', key: 'writer', status: 200, outage: true },
  { name: 'a key not cached while the service is down', path: '/me', key: 'uncached', status: 503, outage: true },
];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers whose value is a number of seconds from now: checked to be one, then compared as such (runs differ by a second). */
const SECONDS = /^(retry-after|ratelimit-reset)$/;

async function send(app: RunningApp, step: Step, keys: RunKeys, ids: Map<string, string>): Promise<Answer> {
  const headers: Record<string, string> = step.key ? { authorization: `Bearer ${keys[step.key]}` } : {};
  const init: RequestInit = { method: step.method ?? 'GET', headers };
  if (step.method === 'POST') {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify({ title: 'readme' });
  }
  const response = await fetch(app.url + step.path, init);
  const answer: Answer = { status: response.status, headers: {}, body: undefined };
  response.headers.forEach((value, name) => {
    if (!MATTERING_HEADERS.test(name)) return;
    if (SECONDS.test(name)) expect(value, name).toMatch(/^\d+$/);
    answer.headers[name] = SECONDS.test(name)
      ? '<seconds>'
      : name === 'content-type'
        ? value.split(';')[0]!.trim()
        : value;
  });
  const text = await response.text();
  // Key ids and the service's request ids differ between runs: each is compared as the role it stands for.
  answer.body = JSON.parse(text, (name, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (name === 'requestId') return REQUEST_ID;
    return ids.get(value) ?? value;
  });
  return answer;
}

/**
 * The README's app on `runtime` and on Node, each with keys of its own made through the key service's API, the same
 * requests in the same order: each answer as the README says, and the same on both runtimes.
 */
export function compareReadmeAppWithNode(runtime: Exclude<RuntimeName, 'node'>, title: string): void {
  const runtimes: RuntimeName[] = ['node', runtime];
  const folder = join(ROOT, '.data', `hono-readme-${runtime}-${process.pid}`);
  const answers = new Map<RuntimeName, Answer[]>();
  let keyServer: KeyServer | undefined;
  const apps: RunningApp[] = [];

  (canRun(runtime) ? describe : describe.skip)(title, () => {
    beforeAll(async () => {
      keyServer = createKeyServer();
      const rootKey = keyServer.bootstrap().rootKey!;
      registerSecret(rootKey);
      const { url } = await keyServer.start();
      const client = new UnkeyClient({ rootKey, baseUrl: url });
      const { data: api } = await client.apis.createApi({ name: `hono-readme-${runtime}` });
      const runs = new Map<RuntimeName, { keys: RunKeys; ids: Map<string, string> }>();
      for (const name of runtimes) {
        const ids = new Map<string, string>();
        const create = async (role: string, fields: Parameters<UnkeyClient['keys']['createKey']>[0]) => {
          const { data } = await client.keys.createKey(fields);
          registerSecret(data.key);
          ids.set(data.keyId, `<${role} key id>`);
          return data.key;
        };
        const keys: RunKeys = {
          writer: await create('writer', { apiId: api.apiId, prefix: 'sk', permissions: ['documents.write'] }),
          reader: await create('reader', { apiId: api.apiId, prefix: 'sk', permissions: ['documents.read'] }),
          limited: await create('limited', {
            apiId: api.apiId,
            prefix: 'sk',
            ratelimits: [{ name: 'requests', limit: 1, duration: 60_000, autoApply: true }],
          }),
          uncached: await create('uncached', { apiId: api.apiId, prefix: 'sk' }),
          unknown: `sk_unknown_${name}_readme_0000000000`,
        };
        registerSecret(keys.unknown);
        runs.set(name, { keys, ids });
      }
      await client.close();

      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'app.ts');
      writeFileSync(file, readmeApp());
      for (const name of runtimes)
        apps.push(await startApp(name, file, { KEYGUARD_ROOT_KEY: rootKey, KEYGUARD_BASE_URL: url, PORT: '0' }));
      for (const name of runtimes) answers.set(name, []);
      // The same step on both runtimes before the next one: the outage begins for both at once.
      for (const step of STEPS) {
        if (step.outage && keyServer) {
          await keyServer.stop();
          keyServer = undefined;
        }
        for (const [index, name] of runtimes.entries()) {
          const { keys, ids } = runs.get(name)!;
          answers.get(name)!.push(await send(apps[index]!, step, keys, ids));
        }
      }
    });
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await keyServer?.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    it.each(STEPS.map((step, index) => ({ ...step, index })))('$name: $status, as on Node', ({ index, status }) => {
      const [onNode, onRuntime] = runtimes.map((name) => answers.get(name)![index]!);
      expect(onNode!.status, 'on Node').toBe(status);
      expect(onRuntime).toEqual(onNode);
    });
  });
}
