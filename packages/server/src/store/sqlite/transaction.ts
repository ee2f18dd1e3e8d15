import { AsyncTransactionError } from './errors.js';

/** Runs one transaction-control statement (`BEGIN IMMEDIATE`, `COMMIT`, …). */
export type RunControl = (sql: string) => void;

const SAVEPOINT = 'keyguard_nested';

/**
 * better-sqlite3's `db.transaction(work).immediate()` semantics, for every driver: the outermost call is a
 * `BEGIN IMMEDIATE` transaction (it takes the write lock at once, so two writers never deadlock half-way), calls
 * inside it are savepoints, and a throw undoes that level and is thrown on.
 */
export class Transactions {
  private depth = 0;

  constructor(private readonly control: RunControl) {}

  run<T>(work: () => T): T {
    const nested = this.depth > 0;
    this.control(nested ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN IMMEDIATE');
    this.depth += 1;
    try {
      const result = work();
      if (isThenable(result)) throw new AsyncTransactionError();
      this.control(nested ? `RELEASE ${SAVEPOINT}` : 'COMMIT');
      return result;
    } catch (error) {
      this.undo(nested);
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  private undo(nested: boolean): void {
    try {
      if (nested) {
        this.control(`ROLLBACK TO ${SAVEPOINT}`);
        this.control(`RELEASE ${SAVEPOINT}`);
      } else {
        this.control('ROLLBACK');
      }
    } catch {
      // SQLite already rolled the transaction back itself (it does on some errors, such as a full disk); the work's
      // error is the one worth throwing.
    }
  }
}

const isThenable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
