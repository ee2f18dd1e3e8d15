import { SchemaTooNewError } from '../key-server/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { openSqlite } from './sqlite/open.js';
import type { SqliteDatabase } from './sqlite/types.js';

export type Db = SqliteDatabase;

/** Opens (or creates) the database, sets the pragmas the store relies on and brings the schema up to date. */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = openSqlite(path);
  try {
    if (path !== ':memory:' && path !== '') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The schema version recorded in the database (0 for a new one). */
export function schemaVersion(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

/** Applies, in order and each in its own transaction, every migration newer than the recorded version. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(migration.version);
    });
    current = migration.version;
  }
  return current;
}
