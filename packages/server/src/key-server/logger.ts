/** Where the server writes what it does. Lines carry ids and key `start`s only, never a key, root key or secret. */
export interface KeyServerLogger {
  /** Requests, start and stop. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something a client or an operator should look at. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure of the server itself. */
  error(message: string, fields?: Record<string, unknown>): void;
}
