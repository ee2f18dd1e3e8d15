/** Rows as the rest of the server sees them (camelCase, JSON columns parsed, booleans as booleans). */
import type { APIKey } from '@keyguard/clerk';

export interface Workspace {
  id: string;
  name: string;
  enabled: boolean;
  createdAt: number;
}

export interface RootKeyRecord {
  id: string;
  workspaceId: string;
  start: string;
  permissions: ReadonlySet<string>;
}

/** What `keyguard root-keys list` shows of a root key: never the key or its hash. */
export interface RootKeySummary {
  id: string;
  name?: string;
  /** The first characters, to tell keys apart. */
  start: string;
  permissions: string[];
  createdAt: number;
}

export interface ApiRecord {
  id: string;
  workspaceId: string;
  name: string;
  deleteProtection: boolean;
  createdAt: number;
}

export interface IdentityRecord {
  id: string;
  workspaceId: string;
  externalId: string;
  meta: Record<string, unknown> | null;
}

export type RefillInterval = 'daily' | 'monthly';

export interface Refill {
  interval: RefillInterval;
  amount: number;
  refillDay: number | null;
}

export interface KeyRecord {
  id: string;
  workspaceId: string;
  apiId: string;
  start: string;
  name: string | null;
  identityId: string | null;
  meta: Record<string, unknown> | null;
  expires: number | null;
  enabled: boolean;
  /** null: unlimited. */
  creditsRemaining: number | null;
  refill: Refill | null;
  lastRefillAt: number | null;
  /** AES-GCM sealed plaintext, only for recoverable keys. */
  encrypted: string | null;
  createdAt: number;
  updatedAt: number | null;
  lastUsedAt: number | null;
}

export interface RatelimitDefinition {
  id: string;
  name: string;
  limit: number;
  duration: number;
  autoApply: boolean;
}

export interface WindowOutcome {
  success: boolean;
  limit: number;
  remaining: number;
  /** Absolute unix ms at which the current window ends. */
  reset: number;
}

/**
 * A Clerk-compatible API key (`/v1/api_keys`): Clerk's APIKey fields as `@keyguard/clerk` defines them, less those
 * computed when answering (`object`, `expired`, `secret`). The secret is kept as a hash and, sealed, in `encrypted`.
 */
export interface ClerkApiKeyRecord extends Omit<APIKey, 'object' | 'expired' | 'secret'> {
  workspaceId: string;
  encrypted: string;
}

/** At most `limit` requests per `duration` ms. */
export interface RequestQuota {
  /** Requests allowed per window. */
  limit: number;
  /** The window, in ms (1000 or more). */
  duration: number;
}
