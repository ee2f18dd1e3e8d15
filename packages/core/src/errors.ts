/**
 * Base class of every error keyguard throws. `code` is stable across versions; match on it, not on messages.
 *
 * `instanceof` recognises an error of any copy of keyguard, not only this module's: an app that `require`s one
 * package and `import`s another loads core twice (its CommonJS and its ESM build), and their classes differ. Each
 * class of ours declares a `brand`, a stable string (not its `name`, which minifiers rename); `x instanceof C` holds
 * when `x` was built by `C` itself or by any class that declares `C`'s brand, along its prototype chain.
 */
export class KeyguardError extends Error {
  /**
   * The class's identity across copies of keyguard (`keyguard.<package>.<Class>`). Each of keyguard's error classes
   * declares its own; a subclass that does not (an app's own) is matched by its prototype alone.
   */
  static readonly brand: string = 'keyguard.core.KeyguardError';

  /**
   * True when `value` was built by this class, or by a class declaring its `brand` (another copy of keyguard).
   * @param value - Any value, as on the left of `instanceof`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return Object.hasOwn(this, 'brand') && hasBrand(value, this.brand);
  }

  /** Stable across versions, unlike the message: match on it. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Whether a class along `value`'s prototype chain declares `brand` as its own. */
function hasBrand(value: unknown, brand: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (
    let prototype: object | null = Object.getPrototypeOf(value) as object | null;
    prototype !== null;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    const owner = Object.hasOwn(prototype, 'constructor')
      ? (prototype as { constructor: unknown }).constructor
      : undefined;
    if (
      typeof owner === 'function' &&
      Object.hasOwn(owner, 'brand') &&
      (owner as unknown as { brand: unknown }).brand === brand
    )
      return true;
  }
  return false;
}

/** Options given to keyguard are wrong (thrown at start-up, never per request). */
export class ConfigurationError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.ConfigurationError';

  constructor(message: string) {
    super('CONFIGURATION_ERROR', message);
  }
}

/**
 * Why a key service could not answer: no answer in time, no connection, an answer that is not one, a 5xx, a 429, our
 * credentials refused (401/403), or our request refused.
 */
export type ProviderErrorCode =
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_CONNECTION_FAILED'
  | 'PROVIDER_BAD_RESPONSE'
  | 'PROVIDER_SERVER_ERROR'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_UNAUTHORIZED'
  | 'PROVIDER_BAD_REQUEST';

/**
 * The key service could not give an answer. Never carries the key, root key or secret key. Providers of other
 * packages throw it, so `instanceof` recognises any copy of the class (see `KeyguardError`).
 */
export class ProviderError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.ProviderError';
  /** Why the key service could not answer. */
  declare readonly code: ProviderErrorCode;

  /** The provider's `name` (`unkey`, `clerk`, …). */
  readonly provider: string;
  /** The HTTP status the key service answered, when it answered. */
  readonly status?: number;
  /** The key service's request id, when it gave one. */
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
