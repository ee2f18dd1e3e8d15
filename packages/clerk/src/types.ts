/*
 * Clerk Backend API `api_keys` shapes (https://clerk.com/docs/reference/backend-api), camelCase. The wire is
 * snake_case; wire.ts converts field by field, so that user data (`claims`) is never renamed.
 */

/** Clerk's APIKey object. All times are unix ms. */
export interface APIKey {
  /** `ak_` + 32 hex. */
  id: string;
  object: 'api_key';
  /** `api_key` today. */
  type: string;
  /** The owner: `user_…`, `org_…` or `mch_…`. */
  subject: string;
  name: string;
  description: string | null;
  /** Custom claims, as given (never renamed). */
  claims: unknown;
  scopes: string[];
  revoked: boolean;
  revocationReason: string | null;
  expired: boolean;
  /** Null: never expires. */
  expiration: number | null;
  createdBy: string | null;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Only in the answer of `create`. */
  secret?: string;
}

export interface CreateAPIKeyRequest {
  /** At least 3 characters, no surrounding spaces; cannot be changed later. */
  name: string;
  subject: string;
  type?: string;
  description?: string | null;
  claims?: unknown;
  scopes?: string[];
  createdBy?: string | null;
  /** Greater than 0; null or absent: never expires. */
  secondsUntilExpiration?: number | null;
}

export interface ListAPIKeysRequest {
  subject: string;
  type?: string;
  /** Also list revoked and expired keys (default false). */
  includeInvalid?: boolean;
  /** 1..100 (Clerk's default 10). */
  limit?: number;
  /** How many keys to skip (default 0). */
  offset?: number;
  /** Search text. */
  query?: string;
}

export interface APIKeyList {
  data: APIKey[];
  /** How many keys match in all, across pages. */
  totalCount: number;
}

/** Every field is optional; `name` cannot be changed. */
export interface UpdateAPIKeyRequest {
  claims?: unknown;
  scopes?: string[];
  description?: string | null;
  subject?: string;
  secondsUntilExpiration?: number | null;
}

export interface RevokeAPIKeyRequest {
  revocationReason?: string | null;
}

export interface VerifyAPIKeyRequest {
  /** The API key secret (`ak_…`); redacted from anything Clerk echoes. */
  secret: string;
}

export interface DeletedAPIKey {
  id: string;
  object: 'api_key';
  deleted: true;
}

export interface APIKeySecret {
  secret: string;
}

/** `lastUsedAt` → `last_used_at`: how Clerk's wire spells a field, derived so that the two spellings cannot drift. */
export type SnakeCase<Name extends string> = Name extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : Name;

/** An object of these types as the Backend API sends it: every field name in snake_case, values untouched. */
export type OnTheWire<Shape> = {
  [Field in keyof Shape as Field extends string ? SnakeCase<Field> : Field]: Shape[Field];
};

/** Clerk's APIKey object as the Backend API sends it (what `keyguard serve` answers on its Clerk routes). */
export type APIKeyOnTheWire = OnTheWire<APIKey>;
