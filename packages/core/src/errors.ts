/** Base class of every error keyguard throws. `code` is stable across versions; match on it, not on messages. */
export class KeyguardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Options given to keyguard are wrong (thrown at start-up, never per request). */
export class ConfigurationError extends KeyguardError {
  constructor(message: string) {
    super('CONFIGURATION_ERROR', message);
  }
}

export type ProviderErrorCode =
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_CONNECTION_FAILED'
  | 'PROVIDER_BAD_RESPONSE'
  | 'PROVIDER_SERVER_ERROR'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_UNAUTHORIZED'
  | 'PROVIDER_BAD_REQUEST';

/** Marks provider errors across copies of this module (a CommonJS build of core and one of a provider package). */
const PROVIDER_ERROR = Symbol.for('keyguard.ProviderError');

/**
 * The key service could not give an answer. Never carries the key, root key or secret key. Providers of other
 * packages throw it, so `instanceof` recognises any copy of the class, not only this module's.
 */
export class ProviderError extends KeyguardError {
  declare readonly code: ProviderErrorCode;
  readonly [PROVIDER_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [PROVIDER_ERROR]?: unknown })[PROVIDER_ERROR] === true;
  }

  readonly provider: string;
  readonly status?: number;
  readonly requestId?: string;
  /** When the provider asked us to come back (unix ms), from `Retry-After`. */
  readonly retryAt?: number;

  constructor(
    code: ProviderErrorCode,
    message: string,
    details: { provider: string; status?: number; requestId?: string; retryAt?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.provider = details.provider;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAt = details.retryAt;
  }

  /** Our own credentials or request are wrong: a server misconfiguration, not the caller's fault. */
  get isMisconfiguration(): boolean {
    return this.code === 'PROVIDER_UNAUTHORIZED' || this.code === 'PROVIDER_BAD_REQUEST';
  }
}
