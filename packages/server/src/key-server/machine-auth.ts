import type { KeyVault } from '../crypto/encryption.js';
import { createMachine } from '../clerk/machines/create-machine.js';
import { machinesOf } from '../clerk/machines/machine-store.js';
import { publicKeyPem } from '../clerk/m2m/signing-key.js';
import { createOAuthAccessToken } from '../clerk/oauth/issue-access-token.js';
import type { Store } from '../store/store.js';
import { KeyServerOptionError } from './errors.js';

/** A machine to create for Clerk's M2M tokens (`KeyServer.createMachine`), as `POST /v1/machines` takes it. */
export interface ClerkMachineOptions {
  /** 1..255 characters. */
  name: string;
  /** Ids of machines of this server the new one may send tokens to: the `scopes` of its tokens. */
  scopedMachines?: readonly string[];
  /**
   * Seconds (a whole number, at least 1): the lifetime of a token created without `seconds_until_expiration`.
   * @default 3600
   */
  defaultTokenTtl?: number;
}

/** A created machine and its secret key (`ak_…`, for `machineSecretKey` of `@clerk/backend`). */
export interface ClerkMachine {
  /** `mch_…`: the `subject` of its tokens. */
  id: string;
  /** As given. */
  name: string;
  /** Ids of the machines it may send tokens to. */
  scopedMachines: string[];
  /** Seconds: the lifetime of a token created without `seconds_until_expiration`. */
  defaultTokenTtl: number;
  /** Shown once here; later only through `GET /v1/machines/{id}/secret_key` with the instance secret key. */
  secretKey: string;
}

/** An OAuth access token to create for tests (`KeyServer.createOAuthAccessToken`); Clerk mints them in OAuth flows. */
export interface ClerkOAuthAccessTokenOptions {
  /** The user it acts for: `user_…`. */
  subject: string;
  /** The OAuth application; a new `client_…` id when absent. */
  clientId?: string;
  /** The OAuth scopes the token carries. */
  scopes?: readonly string[];
  /**
   * Seconds until it expires; null: never.
   * @default 86400
   */
  secondsUntilExpiration?: number | null;
}

/** A created OAuth access token: `token` (`oat_…`) is what a client sends, shown once. */
export interface ClerkOAuthAccessToken {
  /** `oat_` + 32 hex characters. */
  id: string;
  /** The token a client sends (`oat_…`); shown once. */
  token: string;
  /** The OAuth application it was issued to. */
  clientId: string;
  /** The user it acts for: `user_…`. */
  subject: string;
  /** The OAuth scopes it carries. */
  scopes: string[];
  /** Unix ms; null: never expires. */
  expiration: number | null;
}

interface Scope {
  store: Store;
  vault: KeyVault;
  workspaceId: string;
  now: number;
}

const isPositiveSeconds = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;

export function createClerkMachine(
  { store, vault, workspaceId, now }: Scope,
  options: ClerkMachineOptions,
): ClerkMachine {
  if (typeof options.name !== 'string' || options.name.length < 1 || options.name.length > 255)
    throw new KeyServerOptionError('name', 'must be 1..255 characters');
  const ttl = options.defaultTokenTtl;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= 315_360_000))
    throw new KeyServerOptionError('defaultTokenTtl', 'must be a whole number of seconds from 1 to 315360000');
  const machines = machinesOf(store);
  for (const id of options.scopedMachines ?? [])
    if (!machines.get(workspaceId, id))
      throw new KeyServerOptionError('scopedMachines', 'must name machines of this server');
  const { machine, scoped, secretKey } = createMachine(store, vault, workspaceId, now, options);
  return {
    id: machine.id,
    name: machine.name,
    scopedMachines: scoped.map((target) => target.id),
    defaultTokenTtl: machine.defaultTokenTtl,
    secretKey,
  };
}

export function createClerkOAuthAccessToken(
  { store, workspaceId, now }: Scope,
  options: ClerkOAuthAccessTokenOptions,
): ClerkOAuthAccessToken {
  if (typeof options.subject !== 'string' || !/^user_[A-Za-z0-9_-]+$/.test(options.subject))
    throw new KeyServerOptionError('subject', 'must be a user_… id');
  const seconds = options.secondsUntilExpiration;
  if (seconds !== undefined && seconds !== null && !isPositiveSeconds(seconds))
    throw new KeyServerOptionError('secondsUntilExpiration', 'must be more than 0 seconds, or null for never');
  if (options.scopes?.some((scope) => typeof scope !== 'string' || !/^\S+$/.test(scope)))
    throw new KeyServerOptionError('scopes', 'must be strings without whitespace');
  const { token, secret } = createOAuthAccessToken(store, workspaceId, now, options);
  return {
    id: token.id,
    token: secret,
    clientId: token.clientId,
    subject: token.subject,
    scopes: token.scopes,
    expiration: token.expiration,
  };
}

export function clerkJwtPublicKey({ store, vault, workspaceId, now }: Scope): string {
  return publicKeyPem(store, vault, workspaceId, now);
}
