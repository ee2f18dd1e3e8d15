import { Transactions } from './transaction.js';
import type { SqlValue, SqliteDatabase, SqliteFirstColumn, SqliteRunResult, SqliteStatement } from './types.js';

/**
 * The part of `node:sqlite` used here, declared locally: the workspace's Node types are Node 20's, which has no
 * `node:sqlite`, and the module is loaded at run time only (see open.ts).
 */
export interface NodeSqliteModule {
  DatabaseSync: new (path: string) => DatabaseSync;
}

interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}

interface StatementSync {
  run(...parameters: SqlValue[]): { changes: number | bigint };
  get(...parameters: SqlValue[]): unknown;
  all(...parameters: SqlValue[]): unknown[];
  /** Node 22.16 and later. */
  setReturnArrays?(enabled: boolean): void;
}

/** A database over `node:sqlite`'s `DatabaseSync`. */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly driver = 'node:sqlite';
  private readonly db: DatabaseSync;
  private readonly controls = new Map<string, StatementSync>();
  private readonly transactions = new Transactions((sql) => this.control(sql).run());
  private isOpen = true;

  constructor(sqlite: NodeSqliteModule, path: string) {
    this.db = new sqlite.DatabaseSync(path);
  }

  get open(): boolean {
    return this.isOpen;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.db, sql);
  }

  transaction<T>(work: () => T): T {
    return this.transactions.run(work);
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.db.close();
  }

  private control(sql: string): StatementSync {
    let statement = this.controls.get(sql);
    if (!statement) this.controls.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

class NodeSqliteStatement implements SqliteStatement {
  private readonly statement: StatementSync;
  private firstColumn: SqliteFirstColumn | undefined;

  constructor(
    private readonly db: DatabaseSync,
    private readonly sql: string,
  ) {
    this.statement = db.prepare(sql);
  }

  run(...parameters: SqlValue[]): SqliteRunResult {
    return { changes: Number(this.statement.run(...parameters).changes) };
  }

  get(...parameters: SqlValue[]): unknown {
    return this.statement.get(...parameters);
  }

  all(...parameters: SqlValue[]): unknown[] {
    return this.statement.all(...parameters);
  }

  pluck(): SqliteFirstColumn {
    return (this.firstColumn ??= firstColumnOf(this.db.prepare(this.sql)));
  }
}

/**
 * Reads the first column through a statement of its own, so the row form of the statement stays as it is. Rows come
 * as arrays where Node can (22.16 and later); before that, a row object's first property stands for the first
 * column, which is exact for the one-column queries the store plucks.
 */
function firstColumnOf(statement: StatementSync): SqliteFirstColumn {
  let first: (row: unknown) => unknown;
  if (statement.setReturnArrays) {
    statement.setReturnArrays(true);
    first = (row) => (row as unknown[])[0];
  } else {
    first = (row) => Object.values(row as object)[0];
  }
  return {
    get: (...parameters) => {
      const row = statement.get(...parameters);
      return row === undefined ? undefined : first(row);
    },
    all: (...parameters) => statement.all(...parameters).map(first),
  };
}
