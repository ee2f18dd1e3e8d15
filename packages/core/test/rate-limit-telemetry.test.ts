import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitBackend, RateLimitOutcome } from '@keyguard/core';
import { openTelemetry } from '@keyguard/core/opentelemetry';
import { TestSdk } from '../../../test/support/otel-sdk.js';
import { registerSecret } from '../../../test/support/secrets.js';

const sdk = new TestSdk();
afterAll(() => sdk.shutdown());
const telemetry = openTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
const run = async (outcome: RateLimitOutcome | Promise<RateLimitOutcome>): Promise<RateLimitOutcome> => outcome;

async function decisions(namespace: string): Promise<Record<string, number>> {
  const points = await sdk.points('keyguard.rate_limit.decisions');
  return Object.fromEntries(
    points
      .filter((point) => point.attributes['keyguard.rate_limit.namespace'] === namespace)
      .map((point) => [
        `${point.attributes['keyguard.rate_limit.backend']}:${point.attributes['keyguard.rate_limit.outcome']}`,
        point.value as number,
      ]),
  );
}

describe('rate-limit telemetry', () => {
  it('counts decisions by outcome and backend, also after the limiter is closed', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'otel',
      limit: 3,
      duration: '1m',
      telemetry,
    });
    for (let index = 0; index < 5; index++) await run(limiter.check({ headers: {}, ip: '192.0.2.1' }));
    expect(await decisions('otel')).toEqual({
      'memory:allowed': 3,
      'memory:limited': 2,
      'memory:unavailable': 0,
      'memory:failed_open': 0,
    });
    await limiter.close();
    expect((await decisions('otel'))['memory:limited']).toBe(2);
  });

  it('traces each backend call with the limit and cost, never the identifier', async () => {
    sdk.reset();
    const secret = 'sk_live_identifier_in_header_0042';
    registerSecret(secret);
    const failing: RateLimitBackend = {
      kind: 'failing',
      batching: false,
      limit: () => Promise.reject(new Error(`cannot count ${secret}`)),
    };
    const logger = { warn: () => {}, error: () => {} };
    for (const backend of [memoryRateLimitBackend(), failing]) {
      const limiter = createRateLimiter({
        backend,
        namespace: 'traced',
        limit: 3,
        duration: '1m',
        identifier: { header: 'x-api-key' },
        mode: 'strict',
        onBackendError: 'fail-open',
        telemetry,
        logger,
      });
      await run(limiter.check({ headers: { 'x-api-key': secret } }));
      await limiter.close();
    }
    const spans = sdk.spansNamed('keyguard.rate_limit');
    expect(
      spans.map((span) => [span.attributes['keyguard.rate_limit.backend'], span.attributes['error.type']]),
    ).toEqual([
      ['memory', undefined],
      ['failing', 'RATE_LIMIT_BACKEND_FAILED'],
    ]);
    expect(spans[0]!.attributes).toMatchObject({ 'keyguard.rate_limit.name': '1m', 'keyguard.rate_limit.cost': 1 });
    expect(await sdk.everythingAsText()).not.toContain(secret);
    expect(await decisions('traced')).toMatchObject({ 'memory:allowed': 1, 'failing:failed_open': 1 });
  });
});
