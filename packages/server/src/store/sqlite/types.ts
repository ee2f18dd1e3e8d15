/**
 * The part of SQLite the store uses, behind one interface: `node:sqlite` on Node 22.13 and later, `better-sqlite3`
 * on Node 20 (see open.ts). Both are synchronous, so a check-and-spend inside `transaction` is atomic.
 */

/** What a parameter may be. No booleans and no `undefined`: drivers and Node versions disagree on those. */
export type SqlValue = string | number | bigint | Uint8Array | null;

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

export interface SqliteRunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/** A compiled statement. Rows are plain data objects; under `node:sqlite` they have no prototype. */
export interface SqliteStatement {
  run(...parameters: SqlValue[]): SqliteRunResult;
  /** The first row, or `undefined`. */
  get(...parameters: SqlValue[]): unknown;
  all(...parameters: SqlValue[]): unknown[];
  /** The same statement reading only the first column (`SELECT COUNT(*) …`, a list of slugs). */
  pluck(): SqliteFirstColumn;
}

export interface SqliteFirstColumn {
  /** The first column of the first row, or `undefined` when there is no row. */
  get(...parameters: SqlValue[]): unknown;
  all(...parameters: SqlValue[]): unknown[];
}

export interface SqliteDatabase {
  readonly driver: SqliteDriverName;
  /** False once closed. */
  readonly open: boolean;
  /** Runs one or more statements without parameters (migrations, pragmas). */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /**
   * Runs `work` in one immediate transaction: committed when it returns, rolled back when it throws (the error is
   * thrown on). Called inside another transaction it is a savepoint: its failure undoes only its own writes.
   */
  transaction<T>(work: () => T): T;
  /** Closes the database; closing it again does nothing. */
  close(): void;
}
