import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

let forgingKey: KeyObject | undefined;

const part = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * An M2M JWT as Clerk shapes it (RS256, Clerk's M2M `cat`, a machine as `sub`) but signed with a key of its own under
 * a `kid` no JWKS lists: a verifier must refetch the JWKS once, then refuse it.
 */
export function forgedM2MJwt(machineId: string): string {
  // One key for the run: making an RSA key costs tens of ms, and every row of every harness gets a forged token.
  forgingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const privateKey = forgingKey;
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: `ins_forged_${now}`, cat: 'cl_B7d4PD333AAA' };
  const payload = { sub: machineId, jti: 'mt_forged', iat: now, nbf: now, exp: now + 3_600 };
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}
