import type Database from 'better-sqlite3';
import type { Db } from './database.js';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database and SQL text. */
export function prepare(db: Db, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
