import { isRecord } from '@keyguard/core/service';
import type { JWK } from 'jose';
import type { ClerkSend } from '../connection.js';
import { ClerkApiError } from '../errors.js';
import { providerErrorOf } from '../machine/opaque-verify.js';

const keysOf = (body: unknown): JWK[] | undefined =>
  isRecord(body) && Array.isArray(body.keys) ? body.keys.filter((key): key is JWK => isRecord(key)) : undefined;

/** `GET /jwks` of the Backend API, with the instance secret key (as `@clerk/backend` fetches it). */
export function backendJwks(send: ClerkSend): () => Promise<JWK[]> {
  return async () => {
    try {
      return await send({ operation: 'jwks.get', method: 'GET', path: '/jwks', policy: 'repeatable', parse: keysOf });
    } catch (error) {
      throw error instanceof ClerkApiError ? providerErrorOf(error) : error;
    }
  };
}

/**
 * A public JWKS URL (the Frontend API's `/.well-known/jwks.json`), fetched with the platform's `fetch` and no
 * credential: the instance secret key must not travel to another host.
 */
export function publicJwks(url: string, timeoutMs: number): () => Promise<JWK[]> {
  return async () => {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`JWKS answered HTTP ${response.status}`);
    const keys = keysOf(await response.json());
    if (!keys) throw new Error('JWKS answer has no keys[]');
    return keys;
  };
}
