import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KeyVault } from '../../crypto/encryption.js';
import { newId } from '../../crypto/random.js';
import { prepare } from '../../store/prepare.js';
import type { Store } from '../../store/store.js';

/** One public key of a JWKS (RFC 7517), as Clerk's `/v1/jwks` lists them. */
export interface PublicJwk {
  use: 'sig';
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  n: string;
  e: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

interface SigningKeyRow {
  kid: string;
  public_jwk: string;
  encrypted_private_key: string;
}

const rowsOf = (store: Store, workspaceId: string): SigningKeyRow[] =>
  prepare(
    store.db,
    'SELECT kid, public_jwk, encrypted_private_key FROM clerk_signing_keys WHERE workspace_id = ? ORDER BY created_at DESC, rowid DESC',
  ).all(workspaceId) as SigningKeyRow[];

function generate(store: Store, vault: KeyVault, workspaceId: string, now: number): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = newId('ins', now);
  const { n, e } = publicKey.export({ format: 'jwk' });
  const jwk: PublicJwk = { use: 'sig', kty: 'RSA', kid, alg: 'RS256', n: n as string, e: e as string };
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  prepare(
    store.db,
    'INSERT INTO clerk_signing_keys (kid, workspace_id, public_jwk, encrypted_private_key, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(kid, workspaceId, JSON.stringify(jwk), vault.encrypt(pem, kid), now);
  return { kid, privateKey };
}

/**
 * The workspace's RS256 signing key: the newest one this server's secret can open, generated (RSA 2048) on first
 * use and kept sealed with the server secret, so tokens outlive a restart. A server started with another secret
 * cannot open the old keys: it makes a new one, and the JWKS keeps listing the old public keys.
 */
export function signingKey(store: Store, vault: KeyVault, workspaceId: string, now: number): SigningKey {
  return store.transaction(() => {
    for (const row of rowsOf(store, workspaceId)) {
      const pem = vault.decrypt(row.encrypted_private_key, row.kid);
      if (pem !== undefined) return { kid: row.kid, privateKey: createPrivateKey(pem) };
    }
    return generate(store, vault, workspaceId, now);
  });
}

/** Every public key of the workspace, newest first: the verification keys of its JWTs. */
export function publicJwks(store: Store, workspaceId: string): PublicJwk[] {
  return rowsOf(store, workspaceId).map((row) => JSON.parse(row.public_jwk) as PublicJwk);
}

/** The newest public key as PEM (SPKI): what Clerk's dashboard shows as the "JWT public key" (`jwtKey` of `@clerk/backend`). */
export function publicKeyPem(store: Store, vault: KeyVault, workspaceId: string, now: number): string {
  const { privateKey } = signingKey(store, vault, workspaceId, now);
  return createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }) as string;
}
