import type BetterSqlite3 from 'better-sqlite3';
import { Transactions } from './transaction.js';
import type { SqlValue, SqliteDatabase, SqliteFirstColumn, SqliteRunResult, SqliteStatement } from './types.js';

export type BetterSqlite3Module = typeof BetterSqlite3;

/** A database over `better-sqlite3` (Node 20, which has no `node:sqlite`). */
export class BetterSqlite3Database implements SqliteDatabase {
  readonly driver = 'better-sqlite3';
  private readonly db: BetterSqlite3.Database;
  private readonly controls = new Map<string, BetterSqlite3.Statement>();
  private readonly transactions = new Transactions((sql) => this.control(sql).run());

  constructor(Database: BetterSqlite3Module, path: string) {
    this.db = new Database(path);
  }

  get open(): boolean {
    return this.db.open;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return new BetterSqlite3Statement(this.db, sql);
  }

  transaction<T>(work: () => T): T {
    return this.transactions.run(work);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private control(sql: string): BetterSqlite3.Statement {
    let statement = this.controls.get(sql);
    if (!statement) this.controls.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

class BetterSqlite3Statement implements SqliteStatement {
  private readonly statement: BetterSqlite3.Statement<SqlValue[]>;
  private firstColumn: SqliteFirstColumn | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly sql: string,
  ) {
    this.statement = db.prepare<SqlValue[]>(sql);
  }

  run(...parameters: SqlValue[]): SqliteRunResult {
    return { changes: this.statement.run(...parameters).changes };
  }

  get(...parameters: SqlValue[]): unknown {
    return this.statement.get(...parameters);
  }

  all(...parameters: SqlValue[]): unknown[] {
    return this.statement.all(...parameters);
  }

  /** A statement of its own in better-sqlite3's pluck mode, so the row form of this one stays as it is. */
  pluck(): SqliteFirstColumn {
    if (!this.firstColumn) {
      const statement = this.db.prepare<SqlValue[]>(this.sql).pluck();
      this.firstColumn = {
        get: (...parameters) => statement.get(...parameters),
        all: (...parameters) => statement.all(...parameters),
      };
    }
    return this.firstColumn;
  }
}
