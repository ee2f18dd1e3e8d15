import type { SqlValue, SqliteDatabase, SqliteFirstColumn, SqliteRunResult, SqliteStatement } from './sqlite/types.js';

/**
 * The tables a verification (and the root-key and request-quota checks around it) reads. A write to any of them
 * drops every answer remembered from them (see memo.ts): a revocation, an update, a reroll, a permission, role,
 * identity or workspace change is seen by the very next verification. A table verification starts to read must be
 * listed here.
 */
const WATCHED = new Set([
  'workspaces',
  'root_keys',
  'root_key_permissions',
  'apis',
  'identities',
  'keys',
  'permissions',
  'roles',
  'role_permissions',
  'key_permissions',
  'key_roles',
  'ratelimits',
]);

const WRITE = /^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+["`]?(\w+)/i;
const READ = /^\s*(?:select|pragma\s+\w+\s*(?:;|$))/i;

/** Whether running `sql` may change what a verification reads: writes to a watched table, and anything not plainly a read. */
export function changesWatchedTables(sql: string): boolean {
  const write = WRITE.exec(sql);
  if (write) return WATCHED.has(write[1]!.toLowerCase());
  return !READ.test(sql);
}

/** What the store does around the database's use (store.ts). */
export interface DatabaseHooks {
  /** Before any statement runs outside a transaction, and before a transaction begins: write what is held back. */
  settle(): void;
  /** A watched table changed (or may have). */
  changed(): void;
  /** Before the database closes. */
  closing(): void;
}

/**
 * The database as the repositories see it: every statement first lets the store write what it holds back (so every
 * reader sees the exact credits, windows and last-used times), and every write to a watched table is reported.
 */
export class TrackedDatabase implements SqliteDatabase {
  private depth = 0;

  constructor(
    readonly raw: SqliteDatabase,
    private readonly hooks: DatabaseHooks,
  ) {}

  get driver() {
    return this.raw.driver;
  }

  get open(): boolean {
    return this.raw.open;
  }

  /** Writes held back are written before a statement runs, except inside a transaction that could roll them back. */
  settle(): void {
    if (this.depth === 0) this.hooks.settle();
  }

  changed(): void {
    this.hooks.changed();
  }

  exec(sql: string): void {
    this.settle();
    this.raw.exec(sql);
    if (changesWatchedTables(sql)) this.hooks.changed();
  }

  prepare(sql: string): SqliteStatement {
    return new TrackedStatement(this, this.raw.prepare(sql), changesWatchedTables(sql));
  }

  transaction<T>(work: () => T): T {
    this.settle();
    this.depth += 1;
    try {
      return this.raw.transaction(work);
    } finally {
      this.depth -= 1;
    }
  }

  /** Writes what is held back, then closes; closed even when that write fails (its error is thrown on). */
  close(): void {
    try {
      if (this.raw.open) this.hooks.closing();
    } finally {
      this.raw.close();
    }
  }
}

class TrackedStatement implements SqliteStatement {
  constructor(
    private readonly db: TrackedDatabase,
    private readonly statement: SqliteStatement,
    private readonly watched: boolean,
  ) {}

  run(...parameters: SqlValue[]): SqliteRunResult {
    this.db.settle();
    const result = this.statement.run(...parameters);
    if (this.watched) this.db.changed();
    return result;
  }

  get(...parameters: SqlValue[]): unknown {
    this.db.settle();
    return this.statement.get(...parameters);
  }

  all(...parameters: SqlValue[]): unknown[] {
    this.db.settle();
    return this.statement.all(...parameters);
  }

  pluck(): SqliteFirstColumn {
    const first = this.statement.pluck();
    return {
      get: (...parameters) => {
        this.db.settle();
        return first.get(...parameters);
      },
      all: (...parameters) => {
        this.db.settle();
        return first.all(...parameters);
      },
    };
  }
}
