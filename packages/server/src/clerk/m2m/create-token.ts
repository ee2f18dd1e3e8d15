import { badRequest } from '../../api-error.js';
import type { KeyVault } from '../../crypto/encryption.js';
import { hashKey } from '../../crypto/hash.js';
import { generateKey } from '../../crypto/random.js';
import type { Store } from '../../store/store.js';
import { hexId } from '../ids.js';
import type { MachineRecord } from '../machines/machine-repository.js';
import { machinesOf } from '../machines/machine-store.js';
import { M2M_JWT_CATEGORY, RESERVED_M2M_CLAIMS } from './claims.js';
import { signJwt } from './jwt.js';
import { signingKey } from './signing-key.js';
import { m2mTokenObject, type M2MTokenObject } from './token-object.js';
import { m2mTokensOf } from './token-store.js';

/** What a token is created with (`POST /m2m_tokens`, `keyguard clerk-m2m tokens create`). */
export interface M2MTokenInput {
  format: 'opaque' | 'jwt';
  /** Seconds; null or absent: the machine's `default_token_ttl`. */
  secondsUntilExpiration?: number | null;
  claims?: unknown;
  /** Clerk's token pooling (opaque only): answer an equal live token with at least this many seconds left. */
  minRemainingTtlSeconds?: number;
}

export interface TokenContext {
  store: Store;
  vault: KeyVault;
  now: number;
  /** The `iss` of a JWT. */
  issuer: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function createJwt(context: TokenContext, machine: MachineRecord, scopes: string[], claims: unknown, lifetime: number) {
  if (claims !== null && !isObject(claims)) {
    throw badRequest('The claims of a JWT token must be an object.', [
      { location: 'body.claims', message: 'must be an object for token_format "jwt"', fix: 'send an object or null' },
    ]);
  }
  const { kid, privateKey } = signingKey(context.store, context.vault, machine.workspaceId, context.now);
  const id = hexId('mt');
  const iat = Math.floor(context.now / 1000);
  const exp = iat + Math.max(1, Math.round(lifetime));
  const custom = Object.entries(claims ?? {}).filter(([name]) => !RESERVED_M2M_CLAIMS.has(name));
  const payload = {
    ...Object.fromEntries(custom),
    iss: context.issuer,
    sub: machine.id,
    ...(scopes.length > 0 ? { aud: scopes, scopes: scopes.join(' ') } : {}),
    iat,
    nbf: iat,
    exp,
    jti: id,
  };
  const token = signJwt({ typ: 'JWT', kid, cat: M2M_JWT_CATEGORY }, payload, privateKey);
  const record = { id, workspaceId: machine.workspaceId, machineId: machine.id, encrypted: '', scopes, claims };
  const times = {
    revoked: false,
    revocationReason: null,
    lastUsedAt: null,
    createdAt: iat * 1000,
    updatedAt: iat * 1000,
  };
  return m2mTokenObject({ ...record, ...times, expiration: exp * 1000 }, context.now, token);
}

function createOpaque(
  context: TokenContext,
  machine: MachineRecord,
  scopes: string[],
  claims: unknown,
  lifetime: number,
  minRemaining?: number,
) {
  const { store, vault, now } = context;
  const tokens = m2mTokensOf(store);
  if (minRemaining !== undefined) {
    const reusable = tokens.findReusable(machine.id, claims, scopes, now + minRemaining * 1000);
    const secret = reusable && vault.decrypt(reusable.encrypted, reusable.id);
    if (reusable && secret !== undefined) return m2mTokenObject(reusable, now, secret);
  }
  const id = hexId('mt');
  const secret = generateKey(32, 'mt');
  const expiration = now + Math.round(lifetime * 1000);
  tokens.insert({
    id,
    workspaceId: machine.workspaceId,
    machineId: machine.id,
    hash: hashKey(secret),
    encrypted: vault.encrypt(secret, id),
    claims,
    scopes,
    expiration,
    createdAt: now,
  });
  return m2mTokenObject(
    {
      id,
      workspaceId: machine.workspaceId,
      machineId: machine.id,
      encrypted: '',
      claims,
      scopes,
      revoked: false,
      revocationReason: null,
      expiration,
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    },
    now,
    secret,
  );
}

/**
 * A new M2M token of `machine`, granted to the machines it may reach. Opaque tokens are stored by hash (revocable,
 * listed); JWTs are signed with the workspace's RS256 key and not stored, as at Clerk.
 */
export function createM2MToken(context: TokenContext, machine: MachineRecord, input: M2MTokenInput): M2MTokenObject {
  const lifetime = input.secondsUntilExpiration ?? machine.defaultTokenTtl;
  if (input.minRemainingTtlSeconds !== undefined && input.minRemainingTtlSeconds >= lifetime) {
    throw badRequest('min_remaining_ttl_seconds must be less than the lifetime of the token.', [
      {
        location: 'body.min_remaining_ttl_seconds',
        message: 'must be less than the token lifetime',
        fix: `send less than ${lifetime}`,
      },
    ]);
  }
  const scopes = machinesOf(context.store)
    .scopedMachines(machine.id)
    .map((target) => target.id);
  const claims = input.claims ?? null;
  return context.store.transaction(() =>
    input.format === 'jwt'
      ? createJwt(context, machine, scopes, claims, lifetime)
      : createOpaque(context, machine, scopes, claims, lifetime, input.minRemainingTtlSeconds),
  );
}
