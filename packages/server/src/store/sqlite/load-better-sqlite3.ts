import { createRequire } from 'node:module';
import type { BetterSqlite3Module } from './better-sqlite3.js';
import { SqliteUnavailableError } from './errors.js';

/**
 * better-sqlite3, checked usable: its native part loads on the first open, so a missing build (an install whose
 * optional build failed still leaves the package) or one made for another Node shows here, as a
 * SqliteUnavailableError, rather than at the caller's first open. `load` is for tests.
 */
export function loadBetterSqlite3(load: (id: string) => unknown = createRequire(import.meta.url)): BetterSqlite3Module {
  try {
    // `load` is a require from this package's own location, so the ESM and the CommonJS build both find it.
    const Database = load('better-sqlite3') as BetterSqlite3Module;
    new Database(':memory:').close();
    return Database;
  } catch (error) {
    throw new SqliteUnavailableError(error);
  }
}
