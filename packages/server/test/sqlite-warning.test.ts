import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withoutSqliteExperimentalWarning } from '../src/store/sqlite/quiet-experimental-warning.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/open-sqlite.ts', import.meta.url));
const SQLITE_WARNING = 'SQLite is an experimental feature and might change at any time';

afterEach(() => {
  vi.restoreAllMocks();
});

describe("node:sqlite's ExperimentalWarning (Node 22)", () => {
  it('is hidden while the driver loads; other warnings, and that one afterwards, go through', () => {
    const emitted: unknown[][] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((...warning: unknown[]) => {
      emitted.push(warning);
    });
    withoutSqliteExperimentalWarning(() => {
      process.emitWarning(SQLITE_WARNING, 'ExperimentalWarning');
      process.emitWarning(SQLITE_WARNING, { type: 'ExperimentalWarning' });
      process.emitWarning('Another feature is experimental', 'ExperimentalWarning');
      process.emitWarning(SQLITE_WARNING, 'SomeOtherWarning');
    });
    process.emitWarning(SQLITE_WARNING, 'ExperimentalWarning');
    expect(emitted).toEqual([
      ['Another feature is experimental', 'ExperimentalWarning'],
      [SQLITE_WARNING, 'SomeOtherWarning'],
      [SQLITE_WARNING, 'ExperimentalWarning'],
    ]);
  });

  it('restores process.emitWarning when loading throws', () => {
    const emitWarning = process.emitWarning;
    expect(() =>
      withoutSqliteExperimentalWarning(() => {
        throw new Error('load failed');
      }),
    ).toThrow('load failed');
    expect(process.emitWarning).toBe(emitWarning);
  });

  it('is not printed when a process of this Node opens a database', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', fixture], { cwd: root });
    expect(stdout.trim()).toMatch(/^(node:sqlite|better-sqlite3)$/);
    expect(stderr).not.toContain('ExperimentalWarning');
    expect(stderr).toContain('KeyguardTestWarning: still printed');
  });
});
