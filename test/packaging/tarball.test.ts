import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { checkPackage, createPackageFromTarballData, type Package } from '@arethetypeswrong/core';
import { problemAffectsResolutionKind } from '@arethetypeswrong/core/problems';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built, packAll, packageNames, workspaceRoot } from './published/pack.js';

// What `pnpm publish` would upload: each package packed as a tarball, read back file by file, and its types resolved
// by TypeScript the way users' projects resolve them (@arethetypeswrong/core, from the tarball alone, no network).
const describeBuilt = built || process.env.CI ? describe : describe.skip;

type Manifest = {
  name: string;
  version: string;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string; provenance?: boolean };
  main?: string;
  module?: string;
  types?: string;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

let directory: string;
const packages = new Map<
  string,
  { files: string[]; read: (path: string) => string; pkg: Package; manifest: Manifest }
>();

describeBuilt('the packed tarballs', () => {
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'keyguard-tarballs-'));
    for (const [name, tarball] of await packAll(directory)) {
      const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(tarball)));
      const prefix = `/node_modules/${name}/`;
      const files = pkg
        .listFiles()
        .map((file) => file.slice(prefix.length))
        .sort();
      const read = (path: string) => pkg.readFile(prefix + path);
      packages.set(name, { files, read, pkg, manifest: JSON.parse(read('package.json')) as Manifest });
    }
  }, 120_000);
  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const license = readFileSync(join(workspaceRoot, 'LICENSE'), 'utf8');

  it('names no path of the machine that built it in any source map', () => {
    const absolute = [...packages].flatMap(([name, { files, read }]) =>
      files
        .filter((file) => file.endsWith('.map'))
        .flatMap((map) =>
          (JSON.parse(read(map)) as { sources: string[] }).sources
            .filter((source) => isAbsolute(source))
            .map((source) => `${name}/${map}: ${source}`),
        ),
    );
    expect(absolute).toEqual([]);
  });

  for (const name of packageNames.map((folder) => `@keyguard/${folder}`)) {
    describe(name, () => {
      it('holds dist, README.md, LICENSE (the root one, MIT) and package.json, and nothing else but a changelog', () => {
        const { files, read } = packages.get(name)!;
        expect(files).toContain('package.json');
        expect(files).toContain('README.md');
        expect(files).toContain('LICENSE');
        expect(read('LICENSE')).toBe(license);
        expect(license).toMatch(/^MIT License/);
        expect(files.some((file) => file.startsWith('dist/'))).toBe(true);
        const unexpected = files.filter(
          (file) =>
            !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
        );
        expect(unexpected).toEqual([]);
      });

      it('ships no sources, tests, fixtures or build state', () => {
        const { files } = packages.get(name)!;
        const forbidden = files.filter(
          (file) =>
            /(^|\/)(src|test|tests|__tests__|fixtures?|coverage)\//.test(file) ||
            /\.(test|spec)(-d)?\.[cm]?[jt]sx?$/.test(file) ||
            /\.tsbuildinfo$/.test(file) ||
            (/\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file)),
        );
        expect(forbidden).toEqual([]);
      });

      it('ships source maps only beside their file, each carrying the text of the sources it maps (no src/ is shipped)', () => {
        const { files, read } = packages.get(name)!;
        for (const map of files.filter((file) => file.endsWith('.map'))) {
          expect(files, `${map} without its file`).toContain(map.slice(0, -'.map'.length));
          const { sources, sourcesContent = [] } = JSON.parse(read(map)) as {
            sources: string[];
            sourcesContent?: (string | null)[];
          };
          const withoutText = sources.filter(
            (source, index) => source.startsWith('../') && typeof sourcesContent[index] !== 'string',
          );
          expect(withoutText, `${map}: sources without their text`).toEqual([]);
        }
        for (const file of files.filter((path) => /\.[cm]?js$/.test(path))) {
          const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
          if (reference) expect(files, `${file} points at a missing map`).toContain(join(file, '..', reference));
        }
      });

      it('says MIT, where its sources live, and publishes publicly with provenance; no workspace: range left', () => {
        const { manifest } = packages.get(name)!;
        expect(manifest.name).toBe(name);
        expect(manifest.license).toBe('MIT');
        expect(manifest.repository).toMatchObject({
          type: 'git',
          directory: `packages/${name.slice('@keyguard/'.length)}`,
        });
        expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
        expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
        const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
        for (const [dependency, range] of Object.entries(ranges)) {
          expect(range, `${dependency}`).not.toMatch(/^(workspace|link|file):/);
          if (dependency.startsWith('@keyguard/')) expect(range).toBe(`^${manifest.version}`);
        }
      });

      it('points main, module, types and bin at files it ships', () => {
        const { files, manifest } = packages.get(name)!;
        const targets = [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin ?? {})];
        for (const target of targets.filter((path): path is string => path !== undefined)) {
          expect(files, target).toContain(target.replace(/^\.\//, ''));
        }
        for (const bin of Object.values(manifest.bin ?? {})) {
          const { read } = packages.get(name)!;
          expect(
            read(bin.replace(/^\.\//, '')).startsWith('#!/usr/bin/env node\n'),
            `${bin} starts with a shebang`,
          ).toBe(true);
        }
      });

      it('has types that resolve under node16 (import and require) and bundler for every entry point', async () => {
        const { pkg } = packages.get(name)!;
        const result = await checkPackage(pkg);
        expect(result.types).toEqual({ kind: 'included' });
        if (!result.types) return;
        const problems = result.problems.filter((problem) =>
          (['node16-esm', 'node16-cjs', 'bundler'] as const).some((kind) =>
            problemAffectsResolutionKind(problem, kind, result),
          ),
        );
        expect(problems).toEqual([]);
        // The old `node` (node10) resolution of `module: commonjs` projects without moduleResolution reads no
        // `exports`: the package's root must still resolve there through `main` and `types` (subpaths cannot).
        const rootProblems = result.problems.filter(
          (problem) =>
            problemAffectsResolutionKind(problem, 'node10', result) &&
            (!('entrypoint' in problem) || problem.entrypoint === '.'),
        );
        expect(rootProblems).toEqual([]);
      });
    });
  }
});
