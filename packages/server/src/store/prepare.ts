import type { Db } from './database.js';
import type { SqliteStatement } from './sqlite/types.js';

const cache = new WeakMap<Db, Map<string, SqliteStatement>>();

/** A prepared statement, compiled once per database and SQL text. */
export function prepare(db: Db, sql: string): SqliteStatement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
