import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { createVerifier, type Provider } from '@keyguard/core';
import { clerk, type ClerkJwtOptions } from '@keyguard/clerk';
import { registerSecret } from '../../../test/support/secrets.js';
import { MachineService } from './support/machine-service.js';

const service = new MachineService();
let api: { id: string; secretKey: string };
let worker: { id: string; secretKey: string };
const opened: Provider[] = [];

function provider(jwt: ClerkJwtOptions | false = {}): Provider {
  const made = clerk({
    secretKey: service.secretKey,
    baseUrl: service.baseUrl,
    timeoutMs: 15_000,
    accepts: ['m2m_token'],
    jwt,
  });
  opened.push(made);
  return made;
}

const mintJwt = async (fields: Record<string, unknown> = {}) =>
  (await service.mint(worker.secretKey, { token_format: 'jwt', ...fields })).token;

/** A JWT shaped like Clerk's M2M JWT but signed with a key of our own, under `kid`. */
async function forged(kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const token = await new SignJWT({ scopes: api.id })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', cat: 'cl_B7d4PD333AAA' })
    .setSubject(worker.id)
    .setJti('mt_forged')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  registerSecret(token);
  return token;
}

beforeAll(async () => {
  await service.start();
  api = service.machine('api');
  worker = service.machine('worker', [api.id]);
});
afterEach(async () => {
  service.clockOffsetMs = 0;
  service.jwksDown = false;
  await Promise.all(opened.splice(0).map((made) => made.close?.() ?? Promise.resolve()));
});
afterAll(() => service.stop());

describe('clerk provider: M2M JWTs verified locally', () => {
  it('verifies a JWT against the JWKS fetched once, with no verify call, and reports it as an m2m_token', async () => {
    const token = await mintJwt({ claims: { team: 'billing' } });
    expect(token.length).toBeGreaterThan(512);
    const jwksBefore = service.callsTo('/jwks');
    const verifyBefore = service.callsTo('/m2m_tokens/verify');
    const verifier = createVerifier({ provider: provider(), cache: false });
    for (let round = 0; round < 3; round++) {
      const verification = await verifier.verify(token);
      expect(verification.key).toMatchObject({
        id: decodeJwt(token).jti,
        kind: 'm2m_token',
        identity: { id: worker.id },
        permissions: [api.id],
        meta: { team: 'billing' },
      });
    }
    expect(service.callsTo('/jwks') - jwksBefore).toBe(1);
    expect(service.callsTo('/m2m_tokens/verify')).toBe(verifyBefore);
  });

  it('answers EXPIRED past exp (beyond the skew), NOT_FOUND before nbf, and allows a clock 2 s ahead', async () => {
    service.clockOffsetMs = -60_000;
    const expired = await mintJwt({ seconds_until_expiration: 30 });
    service.clockOffsetMs = 120_000;
    const early = await mintJwt();
    service.clockOffsetMs = 2_000;
    const slightlyAhead = await mintJwt();
    const clerkProvider = provider();
    expect(await clerkProvider.verify(expired)).toMatchObject({ valid: false, code: 'EXPIRED' });
    expect(await clerkProvider.verify(early)).toMatchObject({ valid: false, code: 'NOT_FOUND' });
    expect((await clerkProvider.verify(slightlyAhead)).valid).toBe(true);
  });

  it('checks iss and aud when configured', async () => {
    const token = await mintJwt();
    const { iss } = decodeJwt(token);
    expect((await provider({ issuer: iss }).verify(token)).valid).toBe(true);
    expect((await provider({ issuer: 'https://other.example' }).verify(token)).code).toBe('NOT_FOUND');
    expect((await provider({ audience: api.id }).verify(token)).valid).toBe(true);
    expect((await provider({ audience: 'mch_someone_else' }).verify(token)).code).toBe('NOT_FOUND');
  });

  it('refetches the JWKS once for an unknown kid, then answers NOT_FOUND without refetching within the interval', async () => {
    const clerkProvider = provider();
    expect((await clerkProvider.verify(await mintJwt())).valid).toBe(true);
    const before = service.callsTo('/jwks');
    expect((await clerkProvider.verify(await forged('kid_unknown_1'))).code).toBe('NOT_FOUND');
    expect(service.callsTo('/jwks') - before).toBe(1);
    expect((await clerkProvider.verify(await forged('kid_unknown_2'))).code).toBe('NOT_FOUND');
    expect(service.callsTo('/jwks') - before).toBe(1);
  });

  it('rejects a JWT signed with another key under the instance kid, with no refetch', async () => {
    const token = await mintJwt();
    const clerkProvider = provider();
    expect((await clerkProvider.verify(token)).valid).toBe(true);
    const before = service.callsTo('/jwks');
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;
    expect((await clerkProvider.verify(await forged(kid))).code).toBe('NOT_FOUND');
    expect(service.callsTo('/jwks')).toBe(before);
  });

  it('keeps verifying with cached keys while the JWKS endpoint is down', async () => {
    const token = await mintJwt();
    const clerkProvider = provider({ refetchIntervalMs: 0 });
    expect((await clerkProvider.verify(token)).valid).toBe(true);
    service.jwksDown = true;
    const before = service.callsTo('/jwks');
    expect((await clerkProvider.verify(await forged('kid_during_outage'))).code).toBe('NOT_FOUND');
    expect(service.callsTo('/jwks')).toBeGreaterThan(before);
    expect((await clerkProvider.verify(token)).valid).toBe(true);
  });

  it('answers PROVIDER_UNAVAILABLE (503) when no key was ever fetched and the JWKS endpoint is down', async () => {
    const token = await mintJwt();
    service.jwksDown = true;
    const verifier = createVerifier({ provider: provider() });
    expect(await verifier.verify(token)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    await verifier.close();
  });

  it('rejects JWTs without a call when jwt is false', async () => {
    const token = await mintJwt();
    const before = service.callsTo('/jwks');
    expect((await provider(false).verify(token)).code).toBe('INVALID_KEY_FORMAT');
    expect(service.callsTo('/jwks')).toBe(before);
  });
});
