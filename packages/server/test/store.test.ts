import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../src/store/database.js';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import { Store } from '../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('records the schema version and is idempotent', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: 1 });
    db.close();
  });

  it('applies only the newer migrations, in order', () => {
    const db = openSqlite(':memory:');
    migrate(db, MIGRATIONS);
    const extra = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, description: 'test', sql: 'CREATE TABLE extra (id INTEGER)' },
    ];
    expect(migrate(db, extra)).toBe(MIGRATIONS.length + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ name: 'extra' });
    db.close();
  });

  it('refuses a database newer than the code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-store-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = openDatabase(file);
    db.prepare('UPDATE schema_version SET version = 999').run();
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer/);
  });

  it('rolls back a failing migration', () => {
    const db = openSqlite(':memory:');
    const broken = [
      { version: 1, description: 'broken', sql: 'CREATE TABLE a (id INTEGER); CREATE TABLE a (id INTEGER);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    db.close();
  });
});

describe('rate-limit windows', () => {
  it('admits exactly `limit` units per window and opens a new window after `duration`', () => {
    const store = new Store(openDatabase(':memory:'));
    const outcomes = Array.from({ length: 5 }, () => store.windows.consume('b', 3, 1000, 1, 10_000));
    expect(outcomes.map((outcome) => outcome.success)).toEqual([true, true, true, false, false]);
    expect(outcomes.map((outcome) => outcome.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(outcomes[0]?.reset).toBe(11_000);
    expect(store.windows.consume('b', 3, 1000, 1, 10_999).success).toBe(false);
    const next = store.windows.consume('b', 3, 1000, 1, 11_000);
    expect(next).toEqual({ success: true, limit: 3, remaining: 2, reset: 12_000 });
    expect(store.windows.consume('b', 3, 1000, 3, 11_001).success).toBe(false);
    expect(store.windows.consume('b', 3, 1000, 0, 11_001)).toMatchObject({ success: true, remaining: 2 });
    expect(store.windows.purge(50_000)).toBe(1);
    store.close();
  });
});
