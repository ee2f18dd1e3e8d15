import { BetterSqlite3Database } from './better-sqlite3.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import { NodeSqliteDatabase, type NodeSqliteModule } from './node-sqlite.js';
import { withoutSqliteExperimentalWarning } from './quiet-experimental-warning.js';
import type { SqliteDatabase } from './types.js';

type Open = (path: string) => SqliteDatabase;

let chosen: Open | undefined;

/**
 * Opens (or creates) a database with the driver of this Node: its own `node:sqlite` where it has one (22.13 and
 * later), else the optional dependency `better-sqlite3`. The choice is made once per process.
 */
export function openSqlite(path: string): SqliteDatabase {
  chosen ??= chooseDriver();
  return chosen(path);
}

function chooseDriver(): Open {
  // Never better-sqlite3 when node:sqlite exists: a better-sqlite3 built for another Node fails to load, or (12.x
  // on a newer Node) crashes the process, and a workspace installed under one Node is often run under another.
  // Looked up at run time, so Node 20 loads this file and bundlers see no import of a module they may not know.
  const sqlite = withoutSqliteExperimentalWarning(() => process.getBuiltinModule('node:sqlite')) as
    NodeSqliteModule | undefined;
  if (sqlite) return (path) => new NodeSqliteDatabase(sqlite, path);
  const Database = loadBetterSqlite3();
  return (path) => new BetterSqlite3Database(Database, path);
}
