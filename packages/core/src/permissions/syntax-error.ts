import { KeyguardError } from '../errors.js';

/** A permission query that does not follow the grammar. `position` is the 0-based index where reading stopped. */
export class PermissionQuerySyntaxError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.PermissionQuerySyntaxError';
  /** Always `PERMISSION_QUERY_SYNTAX_ERROR`. */
  declare readonly code: 'PERMISSION_QUERY_SYNTAX_ERROR';
  /** The 0-based index in the query where reading stopped. */
  readonly position: number;

  constructor(message: string, position: number) {
    super('PERMISSION_QUERY_SYNTAX_ERROR', message);
    this.position = position;
  }
}
