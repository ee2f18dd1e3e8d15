import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { Hono } from 'hono';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Unkey from '@keyguard/unkey';
import type * as HonoAdapter from '@keyguard/hono';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';

// A fetch-only runtime (Cloudflare Workers, Deno, Vercel Edge) bundles the adapter with its own export conditions.
// This test bundles `@keyguard/hono` for `workerd` on esbuild's neutral platform, where any Node built-in fails the
// build, resolving `@keyguard/core` through its package `exports` (mapped from dist to the sources), then runs the bundle.
const CONDITIONS = ['workerd', 'worker', 'import', 'default'];
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

type ExportTarget = string | { [condition: string]: ExportTarget };

function pick(target: ExportTarget): string | undefined {
  if (typeof target === 'string') return target;
  for (const [condition, next] of Object.entries(target)) {
    if (CONDITIONS.includes(condition)) {
      const found = pick(next);
      if (found) return found;
    }
  }
  return undefined;
}

const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@keyguard\/[a-z-]+(\/[a-z-]+)?$/ }, async (args) => {
      const [name, subpath] = args.path.slice('@keyguard/'.length).split('/') as [string, string | undefined];
      const manifest = JSON.parse(await readFile(join(packagesDir, name, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget> };
      const exported = manifest.exports[subpath === undefined ? '.' : `./${subpath}`];
      const target = exported === undefined ? undefined : pick(exported);
      if (!target) return { errors: [{ text: `no export of ${args.path} for ${CONDITIONS.join(', ')}` }] };
      const source = target.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts');
      return { path: join(packagesDir, name, source) };
    });
  },
};

let fake: FakeUnkey;
let directory: string;

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add('sk_hono_edge_reader_1', { keyId: 'key_edge', permissions: ['docs.read'] });
  directory = await mkdtemp(join(tmpdir(), 'keyguard-hono-edge-'));
});
afterAll(async () => {
  await fake.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('@keyguard/hono on a fetch-only runtime', () => {
  it('bundles for workerd without a single Node built-in and verifies keys with global fetch', async () => {
    const result = await build({
      stdin: { contents: "export * from '@keyguard/hono'; export { unkey } from '@keyguard/unkey';", resolveDir: packagesDir, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: CONDITIONS,
      mainFields: ['module', 'main'],
      external: ['hono', 'hono/*'],
      metafile: true,
      logLevel: 'silent',
      plugins: [workspaceSources],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.endsWith('core/src/edge.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('core/src/runtime-edge.ts'))).toBe(true);
    expect(inputs.filter((input) => /runtime\/node|undici|^node:/.test(input))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);

    const bundlePath = join(directory, 'keyguard-hono-edge.mjs');
    await writeFile(bundlePath, code);
    const edge = (await import(/* @vite-ignore */ pathToFileURL(bundlePath).href)) as typeof HonoAdapter & Pick<typeof Unkey, 'unkey'>;
    const auth = edge.keyguard({ provider: edge.unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 300 }) });
    try {
      const app = new Hono().get('/private', auth, (c) => c.json({ id: c.get('apiKey')?.id }));
      const allowed = await app.request('/private', { headers: { authorization: 'Bearer sk_hono_edge_reader_1' } });
      expect(await allowed.json()).toEqual({ id: 'key_edge' });
      const denied = await app.request('/private');
      expect(denied.status).toBe(401);
    } finally {
      await auth.keyguard.close();
    }
  });
});
