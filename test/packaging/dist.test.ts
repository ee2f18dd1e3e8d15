import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The other suites import TypeScript sources; this one loads what users install: the built ESM, CJS and types.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const built = existsSync(join(root, 'packages/core/dist/index.js'));
// `pnpm test` builds first; only a bare `vitest` run without a build may skip this file.
const describeBuilt = built || process.env.CI ? describe : describe.skip;

const entryPoints: { name: string; exports: string[] }[] = [
  {
    name: 'core',
    exports: ['createVerifier', 'createKeyguard', 'readKey', 'deny', 'parsePermissionQuery', 'matchesPermissions'],
  },
  { name: 'unkey', exports: ['unkey', 'UnkeyClient', 'UnkeyApiError'] },
  { name: 'clerk', exports: ['clerk', 'ClerkClient', 'ClerkApiError'] },
  { name: 'express', exports: ['keyguard', 'requirePermissions'] },
  {
    name: 'nestjs',
    exports: [
      'KeyguardModule',
      'ApiKeyGuard',
      'ApiKey',
      'RequirePermissions',
      'OptionalApiKey',
      'SkipApiKey',
      'ApiKeyDenied',
      'ApiKeyDeniedFilter',
    ],
  },
  { name: 'redis', exports: ['redisFleet', 'RedisFleet', 'invalidateFleet'] },
];

describeBuilt('built packages', () => {
  for (const { name, exports } of entryPoints) {
    it(`@keyguard/${name} loads as ESM and CJS with the same exports, and ships types`, async () => {
      const directory = join(root, 'packages', name, 'dist');
      const esm = (await import(pathToFileURL(join(directory, 'index.js')).href)) as Record<string, unknown>;
      const cjs = require(join(directory, 'index.cjs')) as Record<string, unknown>;
      for (const exported of exports) {
        expect(typeof esm[exported], `${name} ESM ${exported}`).toBe('function');
        expect(typeof cjs[exported], `${name} CJS ${exported}`).toBe('function');
      }
      expect(existsSync(join(directory, 'index.d.ts'))).toBe(true);
      expect(existsSync(join(directory, 'index.d.cts'))).toBe(true);
    });
  }

  it("core's edge build imports no Node built-in and no undici", () => {
    const directory = join(root, 'packages/core/dist');
    const files = readdirSync(directory).filter((file) => file.endsWith('.js'));
    const visited = new Set<string>();
    const imports: string[] = [];
    const visit = (file: string) => {
      if (visited.has(file)) return;
      visited.add(file);
      const text = readFileSync(join(directory, file), 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        const specifier = match[1]!;
        if (specifier.startsWith('./')) visit(specifier.slice(2));
        else imports.push(specifier);
      }
    };
    expect(files).toContain('edge.js');
    visit('edge.js');
    expect(
      imports.filter((specifier) => specifier.startsWith('node:') || specifier === 'undici' || specifier === 'crypto'),
    ).toEqual([]);
  });
});
