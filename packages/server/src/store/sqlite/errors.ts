import { KeyServerError } from '../../key-server/errors.js';

/** Neither `node:sqlite` (Node 22.13 and later) nor the optional dependency `better-sqlite3` can be used here. */
export class SqliteUnavailableError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.SqliteUnavailableError';
  declare readonly code: 'KEY_SERVER_SQLITE_UNAVAILABLE';

  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'KEY_SERVER_SQLITE_UNAVAILABLE',
      `no SQLite driver for Node ${process.version}: it has no node:sqlite (Node 22.13 and later have it), and better-sqlite3, ` +
        `the optional dependency for older Nodes, could not be loaded (${reason}); install it (npm i better-sqlite3@12) or use Node 22.13 or later`,
      { cause },
    );
  }
}

/** A transaction's work returned a promise: it would commit before the work ended, so it is refused (and rolled back). */
export class AsyncTransactionError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.AsyncTransactionError';
  declare readonly code: 'KEY_SERVER_ASYNC_TRANSACTION';

  constructor() {
    super('KEY_SERVER_ASYNC_TRANSACTION', 'a store transaction must be synchronous; its work returned a promise');
  }
}
