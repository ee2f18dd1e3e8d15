import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/index.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { bare, machine, mint, verifyM2M } from './clerk-m2m-helpers.js';

const part = (jwt: string, index: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** The RS256 signature of `jwt` checked with node:crypto against a JWK of `/v1/jwks`: independent of the signer. */
function signedBy(jwt: string, jwk: Record<string, unknown>): boolean {
  const last = jwt.lastIndexOf('.');
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return verify('sha256', Buffer.from(jwt.slice(0, last)), key, Buffer.from(jwt.slice(last + 1), 'base64url'));
}

const dir = mkdtempSync(join(tmpdir(), 'keyguard-m2m-jwt-'));
const harnesses: ClerkHarness[] = [];
const start = async (secret: string) => {
  const h = await startClerkHarness({
    logger: consoleLogger,
    database: join(dir, 'db.sqlite'),
    clerkSecretKey: 'sk_test_m2m_jwt_restart_0123456789',
    secret,
    clock: Date.now,
  });
  harnesses.push(h);
  return h;
};
afterAll(async () => {
  for (const h of harnesses) await h.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('JWT M2M tokens and the JWKS', () => {
  it('signs RS256 JWTs with Clerk M2M claims, verifiable against /v1/jwks, never stored', async () => {
    const h = await start('first-server-secret-0123456789');
    const target = await machine(h, { name: 'api' });
    const worker = await machine(h, { name: 'worker', scoped_machines: [target.id] });
    const created = await mint(h, worker.secret, {
      token_format: 'jwt',
      claims: { job: 'sync', sub: 'spoofed' },
      seconds_until_expiration: 120,
    });
    const header = part(created.token, 0);
    const payload = part(created.token, 1);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', cat: 'cl_B7d4PD333AAA', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: worker.id,
      jti: created.id,
      aud: [target.id],
      scopes: target.id,
      job: 'sync',
    });
    expect(payload.exp).toBe((payload.iat as number) + 120);
    expect(created).toMatchObject({
      subject: worker.id,
      scopes: [target.id],
      expiration: (payload.exp as number) * 1000,
    });

    const jwks = await h.request('GET', '/jwks');
    expect(jwks.status).toBe(200);
    const jwk = jwks.body.keys.find((key: { kid: string }) => key.kid === header.kid);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(signedBy(created.token, jwk)).toBe(true);
    expect(createPublicKey(h.server.clerkJwtPublicKey()).export({ format: 'jwk' }).n).toBe(jwk.n);

    const verified = await verifyM2M(h, created.token, target.secret);
    expect(verified.body).toMatchObject({
      id: created.id,
      subject: worker.id,
      scopes: [target.id],
      claims: { job: 'sync' },
    });
    expectClerkError(await verifyM2M(h, created.token, worker.secret), 404);
    const listed = await bare(h, 'GET', `/m2m_tokens?subject=${worker.id}`, undefined, h.secretKey);
    expect(listed.body.total_count).toBe(0);
    expectClerkError(await bare(h, 'POST', `/m2m_tokens/${created.id}/revoke`, {}, h.secretKey), 404);
    expectClerkError(await bare(h, 'GET', '/v1/jwks', undefined, worker.secret), 401);

    const tampered = `${created.token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...payload, exp: 9e9 })).toString('base64url')}.${created.token.split('.')[2]}`;
    expectClerkError(await verifyM2M(h, tampered, h.secretKey), 404);
    await h.stop();
  });

  it('keeps its signing key across a restart; another server secret makes a new key and still lists the old one', async () => {
    const first = await start('restart-secret-0123456789abcdef');
    const keysBefore = (await first.request('GET', '/jwks')).body.keys as { kid: string }[];
    await first.stop();

    const again = await start('restart-secret-0123456789abcdef');
    const worker = await machine(again, { name: 'after restart' });
    const token = await mint(again, worker.secret, { token_format: 'jwt' });
    expect(keysBefore.map((key) => key.kid)).toContain(part(token.token, 0).kid);
    expect((await again.request('GET', '/jwks')).body.keys).toEqual(keysBefore);
    await again.stop();

    const rekeyed = await start('another-secret-0123456789abcdef');
    const other = await machine(rekeyed, { name: 'rekeyed' });
    const fresh = await mint(rekeyed, other.secret, { token_format: 'jwt' });
    const keysAfter = (await rekeyed.request('GET', '/jwks')).body.keys as { kid: string }[];
    expect(keysAfter.map((key) => key.kid)).toEqual([part(fresh.token, 0).kid, ...keysBefore.map((key) => key.kid)]);
    expect((await verifyM2M(rekeyed, token.token, rekeyed.secretKey)).status).toBe(200);
  });
});
