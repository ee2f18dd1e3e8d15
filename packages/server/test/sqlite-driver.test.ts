import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyServerError } from '../src/index.js';
import { openDatabase } from '../src/store/database.js';
import { AsyncTransactionError, SqliteUnavailableError } from '../src/store/sqlite/errors.js';
import { loadBetterSqlite3 } from '../src/store/sqlite/load-better-sqlite3.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import type { SqliteDatabase } from '../src/store/sqlite/types.js';

// The driver this Node gets (node:sqlite on 22.13 and later, better-sqlite3 on 20): CI runs this file on each, so
// both drivers keep the contract the store relies on.
const dirs: string[] = [];
const opened: SqliteDatabase[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-sqlite-'));
  dirs.push(dir);
  return join(dir, 'db.sqlite');
};
const open = (path = ':memory:') => {
  const db = openSqlite(path);
  opened.push(db);
  return db;
};
const table = () => {
  const db = open();
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)');
  return db;
};
const names = (db: SqliteDatabase) => db.prepare('SELECT name FROM t ORDER BY id').pluck().all();

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite driver', () => {
  it('is node:sqlite where this Node has it, better-sqlite3 otherwise', () => {
    const db = open();
    // Asked after the open, which loaded node:sqlite already (without its warning on Node 22).
    expect(db.driver).toBe(process.getBuiltinModule('node:sqlite') ? 'node:sqlite' : 'better-sqlite3');
  });

  it('runs statements: changes, rows, undefined for no row, and the first column by itself', () => {
    const db = table();
    const insert = db.prepare('INSERT INTO t (name, n) VALUES (?, ?)');
    expect(insert.run('a', 1)).toEqual({ changes: 1 });
    insert.run('b', null);
    expect(db.prepare('UPDATE t SET n = 7').run()).toEqual({ changes: 2 });
    const select = db.prepare('SELECT name, n FROM t WHERE name = ?');
    expect(select.get('a')).toEqual({ name: 'a', n: 7 });
    expect(select.get('z')).toBeUndefined();
    expect(db.prepare('SELECT name, n FROM t ORDER BY id').all()).toEqual([
      { name: 'a', n: 7 },
      { name: 'b', n: 7 },
    ]);

    const count = db.prepare('SELECT COUNT(*) FROM t WHERE n = ?');
    expect(count.pluck().get(7)).toBe(2);
    expect(names(db)).toEqual(['a', 'b']);
    expect(db.prepare('SELECT name FROM t WHERE id = ?').pluck().get(99)).toBeUndefined();
    // Plucking does not change the row form of the same statement.
    expect(select.pluck().get('b')).toBe('b');
    expect(select.get('b')).toEqual({ name: 'b', n: 7 });
  });

  it('reads integers as exact numbers, up to the largest safe one (credits are at most 10^12)', () => {
    const db = table();
    db.prepare('INSERT INTO t (name, n) VALUES (?, ?)').run('credits', 1e12);
    db.prepare('INSERT INTO t (name, n) VALUES (?, ?)').run('counter', Number.MAX_SAFE_INTEGER);
    db.exec("UPDATE t SET n = n - 1 WHERE name = 'counter'");
    const values = db.prepare('SELECT n, typeof(n) AS type FROM t ORDER BY id').all();
    expect(values).toEqual([
      { n: 1e12, type: 'integer' },
      { n: Number.MAX_SAFE_INTEGER - 1, type: 'integer' },
    ]);
  });

  it('rows are plain data: spread, JSON and equality work whatever their prototype', () => {
    const db = table();
    db.prepare('INSERT INTO t (name, n) VALUES (?, ?)').run('a', 1);
    const row = db.prepare('SELECT name, n FROM t').get() as { name: string; n: number };
    expect({ ...row }).toEqual({ name: 'a', n: 1 });
    expect(JSON.stringify(row)).toBe('{"name":"a","n":1}');
    expect(Object.keys(row)).toEqual(['name', 'n']);
  });

  it('closes once: open turns false, and closing again does nothing', () => {
    const db = open();
    expect(db.open).toBe(true);
    db.close();
    expect(db.open).toBe(false);
    expect(() => db.close()).not.toThrow();
  });
});

describe('transactions', () => {
  it('commit what the work wrote and return its value', () => {
    const db = table();
    expect(db.transaction(() => db.prepare("INSERT INTO t (name) VALUES ('a')").run().changes)).toBe(1);
    expect(names(db)).toEqual(['a']);
  });

  it('roll back when the work throws, and throw the same error on', () => {
    const db = table();
    const failure = new Error('boom');
    expect(() =>
      db.transaction(() => {
        db.prepare("INSERT INTO t (name) VALUES ('a')").run();
        throw failure;
      }),
    ).toThrow(failure);
    expect(names(db)).toEqual([]);
    // And the next transaction starts clean.
    db.transaction(() => db.prepare("INSERT INTO t (name) VALUES ('b')").run());
    expect(names(db)).toEqual(['b']);
  });

  it('nest as savepoints: a failed inner one undoes only its own writes', () => {
    const db = table();
    const insert = (name: string) => db.prepare('INSERT INTO t (name) VALUES (?)').run(name);
    db.transaction(() => {
      insert('outer');
      expect(() =>
        db.transaction(() => {
          insert('inner');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      db.transaction(() => insert('second inner'));
    });
    expect(names(db)).toEqual(['outer', 'second inner']);

    expect(() =>
      db.transaction(() => {
        insert('outer 2');
        db.transaction(() => insert('inner 2'));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(names(db)).toEqual(['outer', 'second inner']);
  });

  it('refuse work that returns a promise, and roll back what it wrote before', () => {
    const db = table();
    const error = (() => {
      try {
        void db.transaction(async () => db.prepare("INSERT INTO t (name) VALUES ('a')").run());
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(AsyncTransactionError);
    expect(error).toMatchObject({ code: 'KEY_SERVER_ASYNC_TRANSACTION' });
    expect(names(db)).toEqual([]);
  });

  it('are immediate: the write lock is taken at the start, before the first write', () => {
    const file = tempFile();
    const db = openDatabase(file);
    opened.push(db);
    const other = open(file);
    other.exec('PRAGMA busy_timeout = 0');
    db.transaction(() => {
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
    });
    other.exec('BEGIN IMMEDIATE');
    other.exec('ROLLBACK');
  });
});

describe('openDatabase', () => {
  it('sets WAL on a file, foreign keys and a busy timeout', () => {
    const db = openDatabase(tempFile());
    opened.push(db);
    const pragma = (name: string) => db.prepare(`PRAGMA ${name}`).pluck().get();
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(() =>
      db.prepare("INSERT INTO apis (id, workspace_id, name, created_at) VALUES ('api_1', 'ws_missing', 'x', 0)").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps an in-memory database in memory', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(db.prepare('PRAGMA journal_mode').pluck().get()).toBe('memory');
  });
});

describe('without a usable better-sqlite3 (Node 20)', () => {
  const thrown = (load: (id: string) => unknown) => {
    try {
      loadBetterSqlite3(load);
    } catch (error) {
      return error;
    }
  };

  it('a missing package is a KeyServerError with a stable code, the cause, and what to install', () => {
    const cause = Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: 'MODULE_NOT_FOUND' });
    const error = thrown(() => {
      throw cause;
    });
    expect(error).toBeInstanceOf(SqliteUnavailableError);
    expect(error).toBeInstanceOf(KeyServerError);
    expect(error).toMatchObject({ code: 'KEY_SERVER_SQLITE_UNAVAILABLE', cause });
    expect((error as Error).message).toContain(process.version);
    expect((error as Error).message).toContain('npm i better-sqlite3@12');
  });

  it('so is a package whose native build is missing or for another Node (it fails on the first open)', () => {
    const cause = new Error('Could not locate the bindings file.');
    const error = thrown(
      () =>
        class {
          constructor() {
            throw cause;
          }
        },
    );
    expect(error).toMatchObject({ code: 'KEY_SERVER_SQLITE_UNAVAILABLE', cause });
  });
});
