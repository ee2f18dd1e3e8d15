import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isContract, relativeImports } from './contracts.js';
import { packageGraph } from './import-cycles.js';
import { functionSizes, lineCount, packageNames, ROOT, sourcesOf, type SourceFile } from './source-files.js';

// The rules of CONTRIBUTING.md "Sizes and shape", checked on every package's src/.
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 100;

/**
 * Files allowed past MAX_FILE_LINES for good: wire files, types only, that mirror a service's documented request
 * and response shapes one for one (splitting them would scatter one API's contract over several files).
 */
const LONG_WIRE_FILES: ReadonlySet<string> = new Set([
  // Unkey v2's request and response bodies (https://www.unkey.com/docs/api-reference/v2), types only.
  'packages/unkey/src/wire.ts',
]);

const packages = packageNames();
const sources: SourceFile[] = packages.flatMap((name) => sourcesOf(name));

describe('the sources of every package', () => {
  it('read something (the checks below are not vacuous)', () => {
    expect(packages).toContain('core');
    expect(sources.length).toBeGreaterThan(100);
  });

  it(`have no file over ${MAX_FILE_LINES} lines, except type-only wire files`, () => {
    const long = sources
      .filter((file) => !LONG_WIRE_FILES.has(file.path))
      .map((file) => ({ path: file.path, lines: lineCount(file.text) }))
      .filter((file) => file.lines > MAX_FILE_LINES)
      .map((file) => `${file.path}: ${file.lines} lines`);
    expect(long, `files over ${MAX_FILE_LINES} lines; split them by concept`).toEqual([]);
  });

  it('allow long wire files only while they hold types only', () => {
    const wire = sources.filter((file) => LONG_WIRE_FILES.has(file.path));
    expect(wire.map((file) => file.path)).toEqual([...LONG_WIRE_FILES]);
    expect(wire.filter((file) => !isContract(file)).map((file) => file.path)).toEqual([]);
  });

  it('have their entry points at src/index.ts or in src/entries/ (every source file tsup builds from)', () => {
    const misplaced = packages.flatMap((name) => {
      const config = readFileSync(join(ROOT, 'packages', name, 'tsup.config.ts'), 'utf8');
      return [...config.matchAll(/['"](src\/[^'"]+\.ts)['"]/g)]
        .map((match) => `packages/${name}/${match[1]}`)
        .filter((path) => !/\/src\/(index\.ts|entries\/[^/]+\.ts)$/.test(path));
    });
    expect(misplaced, 'entries other than src/index.ts go in src/entries/<subpath>[.<runtime>].ts').toEqual([]);
  });

  it(`have no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = sources
      .flatMap((file) => functionSizes(file))
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${fn.path}:${fn.line} ${fn.name}: ${fn.lines} lines`);
    expect(long, `functions over ${MAX_FUNCTION_LINES} lines (first to last line)`).toEqual([]);
  });

  it('keep types.ts files to types, importing only files of types', () => {
    const byPath = new Map(sources.map((file) => [file.path, file]));
    const problems = sources
      .filter((file) => file.path.endsWith('/types.ts'))
      .flatMap((file) => {
        if (!isContract(file)) return [`${file.path} holds code, not only types`];
        return relativeImports(file)
          .filter((target) => {
            const imported = byPath.get(target.path);
            return imported !== undefined && !isContract(imported);
          })
          .map((target) => `${file.path} imports ${target.path}, which holds code`);
      });
    expect(problems, 'a contract names other contracts only; move the shared types out').toEqual([]);
  });
});

describe.each(packages)('the import graph of %s', (name) => {
  it('has no circle, type-only imports included', async () => {
    const graph = await packageGraph(name);
    const ownFiles = sources.filter((file) => file.path.startsWith(`packages/${name}/src/`)).length;
    expect(graph.modules).toBe(ownFiles);
    expect(graph.cycles.map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
