import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { maskSecrets, registerSecret } from '../support/secrets.js';
import { startWorkerd } from '../runtimes/support/workerd.js';
import { built, packAll, workspaceRoot } from './published/pack.js';
import { run, startApp, userEnvironment, type RunningApp } from './published/processes.js';

// keyguard as users get it: every package packed as `pnpm publish` packs it, the tarballs installed by npm into
// fresh apps in a temporary directory outside the workspace (third-party packages from the npm registry, through the
// npm cache), and each app run on its runtime against the local key service with keys made through its /v2 API:
// an ESM TypeScript app on Node (tsc, node16), a CommonJS NestJS app (tsc, Nest's default), a Hono app on Bun, on
// Deno, and as a Worker bundled for and run in workerd. Each must answer 200, 401 and 403 as keyguard does anywhere.
// Slow for a unit test (three npm installs side by side): 20 to 40 s here, from a cold npm cache too. The apps are
// compiled by the workspace's TypeScript (tsc), so the only third-party packages installed are the apps' own.
const describeBuilt = built || process.env.CI ? describe : describe.skip;

const INSTALL_TIMEOUT_MS = 300_000;
const COMPILE_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
/** Per test: its app's install (run side by side with the others) may still be under way when it starts. */
const TEST_TIMEOUT_MS = INSTALL_TIMEOUT_MS + COMPILE_TIMEOUT_MS + START_TIMEOUT_MS;

const require = createRequire(import.meta.url);
/** Wrangler's export conditions for a Worker, in its order (`import` and `default` apply too). */
const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser'];
const fixtures = join(workspaceRoot, 'test', 'packaging', 'published', 'apps');
const binary = (name: string) => join(workspaceRoot, 'node_modules', '.bin', name);
/** The versions of third-party packages the apps install: the ranges the workspace itself is tested with. */
const workspaceRanges = (
  JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies;
const rangeOf = (name: string) => {
  const range = workspaceRanges[name];
  if (!range) throw new Error(`the workspace has no devDependency ${name}`);
  return range;
};

interface AppSpec {
  /** The fixture folder under published/apps, copied as the app's folder. */
  fixture: string;
  keyguard: string[];
  dependencies: string[];
  devDependencies?: string[];
  /** `"type"` of the app's package.json: ESM apps say `module`, a Nest app (CommonJS) nothing. */
  type?: 'module';
}

const specs = {
  esm: {
    fixture: 'esm-express',
    type: 'module',
    keyguard: ['core', 'unkey', 'express'],
    dependencies: ['express'],
    devDependencies: ['@types/express', '@types/node'],
  },
  nest: {
    fixture: 'nest-cjs',
    keyguard: ['core', 'unkey', 'nestjs'],
    dependencies: ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'reflect-metadata', 'rxjs'],
    devDependencies: ['@types/node'],
  },
  fetch: { fixture: 'fetch-hono', type: 'module', keyguard: ['core', 'unkey', 'hono'], dependencies: ['hono'] },
} satisfies Record<string, AppSpec>;
type AppName = keyof typeof specs;

let work: string;
let tarballs: Map<string, string>;
let keyServer: KeyServer;
let rootKey: string;
let serviceUrl: string;
const keys = { reader: { key: '', keyId: '' }, writer: { key: '', keyId: '' } };
const installs = new Map<AppName, Promise<string>>();
const started: { close(): Promise<void> }[] = [];

/** Copies the app's fixture to `work/<name>`, writes its package.json, and runs `npm i` there; answers the folder. */
async function install(name: AppName): Promise<string> {
  const spec: AppSpec = specs[name];
  const directory = join(work, name);
  cpSync(join(fixtures, spec.fixture), directory, { recursive: true });
  const versions = (names: string[] = []) =>
    Object.fromEntries(names.map((dependency) => [dependency, rangeOf(dependency)]));
  // Every @keyguard package the app uses, and those they depend on, from their tarballs in one install: their
  // `^0.1.0` ranges on each other are then met by the tarballs, never looked up on the registry.
  const keyguard = Object.fromEntries(
    spec.keyguard.map((short) => [
      `@keyguard/${short}`,
      `file:${relative(directory, tarballs.get(`@keyguard/${short}`)!)}`,
    ]),
  );
  const manifest = {
    name: `keyguard-published-${name}`,
    version: '0.0.0',
    private: true,
    ...(spec.type ? { type: spec.type } : {}),
    dependencies: { ...keyguard, ...versions(spec.dependencies) },
    devDependencies: versions(spec.devDependencies),
  };
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: directory,
    env: userEnvironment(),
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  return directory;
}

async function v2<T>(operation: string, body: unknown): Promise<T> {
  const response = await fetch(`${serviceUrl}/v2/${operation}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: T }).data;
}

const environment = () => userEnvironment({ KEYGUARD_ROOT_KEY: rootKey, KEYGUARD_BASE_URL: serviceUrl });

/** The app once it listens, closed after the suite. */
async function tracked<T extends { close(): Promise<void> }>(app: Promise<T>): Promise<T> {
  const running = await app;
  started.push(running);
  return running;
}

/** The answers every app must give on GET /documents (guarded by `documents.read`). */
async function expectKeyguardAnswers(url: string, output: () => string) {
  const get = (key?: string) =>
    fetch(`${url}/documents`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });

  const granted = await get(keys.reader.key);
  const grantedBody = await granted.text();
  expect(granted.status, `a key with documents.read: ${grantedBody}\n${output()}`).toBe(200);
  expect(JSON.parse(grantedBody)).toEqual({ caller: keys.reader.keyId });

  const unknown = await get('pub_unknown0000000000000000000000');
  expect(unknown.status, await unknown.clone().text()).toBe(401);
  expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token"/);

  const missing = await get();
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');

  const forbidden = await get(keys.writer.key);
  expect(forbidden.status, await forbidden.clone().text()).toBe(403);
  expect(forbidden.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(forbidden.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
}

describeBuilt('the packed packages installed by npm into apps outside the workspace', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(realpathSync(tmpdir()), 'keyguard-published-'));
    if (!relative(workspaceRoot, work).startsWith('..')) throw new Error(`${work} is inside the workspace`);
    tarballs = await packAll(work);

    keyServer = createKeyServer();
    rootKey = keyServer.bootstrap().rootKey!;
    registerSecret(rootKey);
    serviceUrl = (await keyServer.start()).url;
    const { apiId } = await v2<{ apiId: string }>('apis.createApi', { name: 'published' });
    keys.reader = await v2('keys.createKey', { apiId, prefix: 'pub', permissions: ['documents.read'] });
    keys.writer = await v2('keys.createKey', { apiId, prefix: 'pub', permissions: ['documents.write'] });
    registerSecret(keys.reader.key, keys.writer.key);

    // Side by side: most of their time is the registry and the npm cache. Each test awaits its own.
    for (const name of Object.keys(specs) as AppName[]) {
      const installing = install(name);
      installing.catch(() => undefined);
      installs.set(name, installing);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(started.map((app) => app.close()));
    await Promise.allSettled(installs.values());
    await keyServer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it(
    'installs every @keyguard package from its tarball (none is fetched from a registry)',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      for (const [name, spec] of Object.entries(specs) as [AppName, AppSpec][]) {
        const directory = await installs.get(name)!;
        const lock = JSON.parse(readFileSync(join(directory, 'package-lock.json'), 'utf8')) as {
          packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
        };
        const installed = Object.entries(lock.packages).filter(([path]) =>
          /(^|\/)node_modules\/@keyguard\//.test(path),
        );
        expect(installed.map(([path]) => path).sort(), name).toEqual(
          spec.keyguard.map((short) => `node_modules/@keyguard/${short}`).sort(),
        );
        for (const [path, entry] of installed) {
          expect(entry.resolved, `${name} ${path}`).toMatch(/^file:.*\.tgz$/);
          expect(entry.link, `${name} ${path}`).toBeUndefined();
        }
      }
    },
  );

  it('an ESM TypeScript app (tsc, node16) on Node with @keyguard/express', { timeout: TEST_TIMEOUT_MS }, async () => {
    const directory = await installs.get('esm')!;
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], {
      cwd: directory,
      timeoutMs: COMPILE_TIMEOUT_MS,
    });
    const app: RunningApp = await tracked(
      startApp(process.execPath, ['dist/app.js'], { cwd: directory, env: environment(), timeoutMs: START_TIMEOUT_MS }),
    );
    await expectKeyguardAnswers(app.url, app.output);
  });

  it('a CommonJS NestJS app (tsc, module commonjs) with @keyguard/nestjs', { timeout: TEST_TIMEOUT_MS }, async () => {
    const directory = await installs.get('nest')!;
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], {
      cwd: directory,
      timeoutMs: COMPILE_TIMEOUT_MS,
    });
    expect(readFileSync(join(directory, 'dist', 'main.js'), 'utf8')).toMatch(/require\("@keyguard\/nestjs"\)/);
    const app = await tracked(
      startApp(process.execPath, ['dist/main.js'], { cwd: directory, env: environment(), timeoutMs: START_TIMEOUT_MS }),
    );
    await expectKeyguardAnswers(app.url, app.output);
  });

  it('a Hono app on Bun', { timeout: TEST_TIMEOUT_MS }, async () => {
    const directory = await installs.get('fetch')!;
    const app = await tracked(
      startApp(binary('bun'), ['bun.ts'], { cwd: directory, env: environment(), timeoutMs: START_TIMEOUT_MS }),
    );
    await expectKeyguardAnswers(app.url, app.output);
  });

  it('a Hono app on Deno (Deno.serve, the node_modules npm installed)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const directory = await installs.get('fetch')!;
    const args = ['run', '--node-modules-dir=manual', '--allow-net', '--allow-env', '--allow-read', 'deno.ts'];
    const denoEnvironment = { ...environment(), DENO_DIR: join(work, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1' };
    const app = await tracked(
      startApp(binary('deno'), args, { cwd: directory, env: denoEnvironment, timeoutMs: START_TIMEOUT_MS }),
    );
    await expectKeyguardAnswers(app.url, app.output);
  });

  it('a Hono Worker bundled with the workerd conditions and run in workerd', { timeout: TEST_TIMEOUT_MS }, async () => {
    const directory = await installs.get('fetch')!;
    const bundle = await build({
      entryPoints: [join(directory, 'worker.ts')],
      absWorkingDir: directory,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      conditions: WORKERD_CONDITIONS,
      target: 'es2022',
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundle.metafile.inputs);
    // The installed core's fetch build, not its Node build (undici), was bundled.
    expect(inputs).toContain('node_modules/@keyguard/core/dist/edge.js');
    expect(inputs.filter((input) => input.includes('undici'))).toEqual([]);
    const worker = await tracked(
      startWorkerd({
        mainModule: bundle.outputFiles[0]!.text,
        bindings: { KEYGUARD_ROOT_KEY: rootKey, KEYGUARD_BASE_URL: serviceUrl },
      }),
    );
    await expectKeyguardAnswers(worker.url, () => maskSecrets(worker.output()));
  });
});
