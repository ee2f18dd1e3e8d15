import { KeyguardError } from '@keyguard/core';

/**
 * Base of every error the key server throws. `code` is stable across versions: match on it, not on messages.
 * Never carries a key, root key or secret.
 */
export class KeyServerError extends KeyguardError {
  static override readonly brand: string = 'keyguard.server.KeyServerError';
}

/** An option of `createKeyServer` is unusable (thrown when the server is created, never per request). */
export class KeyServerOptionError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.KeyServerOptionError';
  /** Always `KEY_SERVER_INVALID_OPTION`. */
  declare readonly code: 'KEY_SERVER_INVALID_OPTION';
  /** The option's name, e.g. `maxBodyBytes`. */
  readonly option: string;

  constructor(option: string, requirement: string) {
    super('KEY_SERVER_INVALID_OPTION', `the ${option} option ${requirement}`);
    this.option = option;
  }
}

/** `start()` after `stop()`: a stopped key server has closed its database. */
export class KeyServerStoppedError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.KeyServerStoppedError';
  /** Always `KEY_SERVER_STOPPED`. */
  declare readonly code: 'KEY_SERVER_STOPPED';

  constructor() {
    super('KEY_SERVER_STOPPED', 'the key server was stopped; create a new one');
  }
}

/** An administrative call named an API that does not exist (or was deleted). */
export class UnknownApiError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.UnknownApiError';
  /** Always `KEY_SERVER_UNKNOWN_API`. */
  declare readonly code: 'KEY_SERVER_UNKNOWN_API';
  /** The id asked for. */
  readonly apiId: string;

  constructor(apiId: string) {
    super('KEY_SERVER_UNKNOWN_API', `there is no API ${apiId}`);
    this.apiId = apiId;
  }
}

/** The database was written by a newer keyguard server: its schema is not one this version knows. */
export class SchemaTooNewError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.SchemaTooNewError';
  /** Always `KEY_SERVER_SCHEMA_TOO_NEW`. */
  declare readonly code: 'KEY_SERVER_SCHEMA_TOO_NEW';
  /** The database's schema version. */
  readonly found: number;
  /** The newest schema version this server knows. */
  readonly known: number;

  constructor(found: number, known: number) {
    super(
      'KEY_SERVER_SCHEMA_TOO_NEW',
      `the database schema (version ${found}) is newer than this keyguard server knows (version ${known})`,
    );
    this.found = found;
    this.known = known;
  }
}
