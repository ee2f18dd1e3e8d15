import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, ProviderError, type Logger } from '@keyguard/core';
import { ClerkApiError, ClerkClient, clerk } from '@keyguard/clerk';
import { FakeClerk } from '../../../test/support/fake-clerk.js';
import { caught, closedAfterEach } from '../../../test/support/client-test-helpers.js';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { findLeaks } from '../../../test/support/secrets.js';

// A 404 without Clerk's errors[] comes from a server or path that is not Clerk's API: usually a baseUrl without
// `/v1`, or pointing at another service. Both the client and the provider say so.

const fake = new FakeClerk();
const closeAfterTest = closedAfterEach(() => fake.reset());
/** Another server on the base URL: answers every request 404 with its own body. */
const elsewhere = new LoopbackServer((_request, response) => {
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('404 page not found');
});

beforeAll(async () => {
  await fake.start();
  await elsewhere.start();
});
afterAll(async () => {
  await fake.stop();
  await elsewhere.stop();
});

const BASE_URL_HINT = /baseUrl.*https:\/\/api\.clerk\.com\/v1.*\/v1/;

describe('ClerkClient: a 404 without errors[] names the base URL', () => {
  it.each([
    ['another server', () => elsewhere.url, undefined],
    ['a JSON 404 without errors[]', () => fake.url, '{"message":"Not Found"}'],
  ])('hints at baseUrl for %s', async (_label, baseUrl, body) => {
    if (body) fake.failNext({ kind: 'status', status: 404, body });
    const client = closeAfterTest(new ClerkClient({ secretKey: fake.secretKey, baseUrl: baseUrl(), retry: false }));
    const error = await caught(client.apiKeys.get('ak_1'));
    expect(error).toBeInstanceOf(ClerkApiError);
    expect(error).toMatchObject({ code: 'CLERK_NOT_FOUND', status: 404, errors: [] });
    expect((error as Error).message).toMatch(BASE_URL_HINT);
  });

  it("gives no hint for Clerk's own 404 (errors[] names the missing resource)", async () => {
    const client = closeAfterTest(new ClerkClient({ secretKey: fake.secretKey, baseUrl: fake.url, retry: false }));
    const error = await caught(client.apiKeys.get('ak_missing'));
    expect(error).toMatchObject({ code: 'CLERK_NOT_FOUND', errors: [{ code: 'resource_not_found' }] });
    expect((error as Error).message).not.toMatch(/baseUrl/);
  });
});

describe('clerk() provider: a 404 without errors[] is a misconfiguration naming the base URL', () => {
  it('answers PROVIDER_MISCONFIGURED, reports a ProviderError with the hint and logs it once, without the key', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      warn: (message, details) => lines.push(`${message} ${inspect(details)}`),
      error: (message, details) => lines.push(`${message} ${inspect(details)}`),
    };
    const errors: unknown[] = [];
    const verifier = closeAfterTest(
      createVerifier({
        provider: clerk({ secretKey: fake.secretKey, baseUrl: elsewhere.url, timeoutMs: 15_000 }),
        logger,
        hooks: { onProviderError: (error) => errors.push(error) },
      }),
    );
    const secret = 'ak_base_url_hint_key_0001';
    expect(await verifier.verify(secret)).toMatchObject({ valid: false, code: 'PROVIDER_MISCONFIGURED' });
    expect(await verifier.verify('ak_base_url_hint_key_0002')).toMatchObject({
      valid: false,
      code: 'PROVIDER_MISCONFIGURED',
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(ProviderError);
    expect(errors[0]).toMatchObject({
      code: 'PROVIDER_BAD_REQUEST',
      status: 404,
      message: expect.stringMatching(BASE_URL_HINT),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(BASE_URL_HINT);
    expect(findLeaks(lines, [secret, fake.secretKey])).toEqual([]);
  });

  it("answers NOT_FOUND, not a misconfiguration, for Clerk's own 404", async () => {
    const verifier = closeAfterTest(
      createVerifier({ provider: clerk({ secretKey: fake.secretKey, baseUrl: fake.url, timeoutMs: 15_000 }) }),
    );
    expect(await verifier.verify('ak_unknown_key_hint_0001')).toMatchObject({ valid: false, code: 'NOT_FOUND' });
  });
});
