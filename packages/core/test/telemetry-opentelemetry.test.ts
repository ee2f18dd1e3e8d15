import { createHash } from 'node:crypto';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Verifier, VerifierOptions } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { TestSdk } from '../../../test/support/otel-sdk.js';
import { registerSecret } from '../../../test/support/secrets.js';

// The SDK is started before any verifier exists, as an app's instrumentation file does; the verifier finds
// @opentelemetry/api by itself (no telemetry option).
const VALID = 'sk_otel_valid_key_0001';
const UNKNOWN = 'sk_otel_unknown_key_0002';
const FAILING = 'sk_otel_failing_key_0003';
registerSecret(UNKNOWN, FAILING);

let fake: FakeUnkey;
let sdk: TestSdk;
const verifiers: Verifier[] = [];

function makeVerifier(extra: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
    ...extra,
  });
  verifiers.push(verifier);
  return verifier;
}

/** The value of one counter point (0 when absent); metrics are cumulative, so tests compare before and after. */
async function counted(metric: string, attributes: Record<string, string>): Promise<number> {
  const point = (await sdk.points(metric)).find((candidate) =>
    Object.entries(attributes).every(([name, value]) => candidate.attributes[name] === value),
  );
  if (!point) return 0;
  return typeof point.value === 'number' ? point.value : point.value.count;
}

beforeAll(async () => {
  sdk = new TestSdk().register();
  fake = await new FakeUnkey().start();
});
afterAll(async () => {
  await fake.stop();
  await sdk.shutdown();
});
beforeEach(() => {
  fake.keys.clear();
  fake.fault = { kind: 'none' };
  fake.add(VALID, { keyId: 'key_otel', permissions: ['docs.read'] });
  sdk.reset();
});
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

const verification = (code: string, source: string) => ({
  'keyguard.provider.name': 'unkey',
  'keyguard.verification.code': code,
  'keyguard.verification.source': source,
});

describe('OpenTelemetry, found automatically', () => {
  it('a miss is one keyguard.verify span with provider, code, key id and request id; a hit adds no span', async () => {
    const verifier = makeVerifier();
    const providerBefore = await counted('keyguard.verifications', verification('VALID', 'upstream'));
    const cacheBefore = await counted('keyguard.verifications', verification('VALID', 'cache'));
    const durationsBefore = await counted('keyguard.provider.call.duration', {
      'keyguard.provider.name': 'unkey',
      'keyguard.verification.code': 'VALID',
    });

    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'upstream' });
    expect(verifier.verifyCached(VALID)).toMatchObject({ valid: true, source: 'cache' });
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'cache' });

    const spans = sdk.spansNamed('keyguard.verify');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes).toEqual({
      'keyguard.provider.name': 'unkey',
      'keyguard.verification.code': 'VALID',
      'keyguard.key.id': 'key_otel',
      'keyguard.provider.request_id': expect.stringMatching(/^req_fake/),
    });
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(await counted('keyguard.verifications', verification('VALID', 'upstream'))).toBe(providerBefore + 1);
    expect(await counted('keyguard.verifications', verification('VALID', 'cache'))).toBe(cacheBefore + 2);
    expect(
      await counted('keyguard.provider.call.duration', {
        'keyguard.provider.name': 'unkey',
        'keyguard.verification.code': 'VALID',
      }),
    ).toBe(durationsBefore + 1);
    const duration = (await sdk.metrics()).get('keyguard.provider.call.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    const point = (await sdk.points('keyguard.provider.call.duration'))[0]!.value as Histogram;
    expect(point.sum).toBeGreaterThan(0);
    expect(point.sum).toBeLessThan(5);
  });

  it('records the answer on the active request span, and the provider span is its child', async () => {
    const verifier = makeVerifier();
    const tracer = trace.getTracer('test-app');
    await tracer.startActiveSpan('GET /docs', async (request) => {
      await verifier.verify(VALID);
      request.end();
    });
    await tracer.startActiveSpan('GET /docs again', async (request) => {
      verifier.verifyCached(VALID);
      request.end();
    });
    const [first, second] = [sdk.spansNamed('GET /docs')[0]!, sdk.spansNamed('GET /docs again')[0]!];
    expect(first.attributes).toEqual({ ...verification('VALID', 'upstream'), 'keyguard.key.id': 'key_otel' });
    expect(second.attributes).toEqual({ ...verification('VALID', 'cache'), 'keyguard.key.id': 'key_otel' });
    const call = sdk.spansNamed('keyguard.verify')[0]!;
    expect(call.spanContext().traceId).toBe(first.spanContext().traceId);
    expect(call.parentSpanContext?.spanId).toBe(first.spanContext().spanId);
  });

  it('a denial: NOT_FOUND from the provider, then from the negative cache', async () => {
    const verifier = makeVerifier();
    const before = {
      provider: await counted('keyguard.verifications', verification('NOT_FOUND', 'upstream')),
      negative: await counted('keyguard.verifications', verification('NOT_FOUND', 'negative')),
    };
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'cache' });
    const [span] = sdk.spansNamed('keyguard.verify');
    expect(span!.attributes['keyguard.verification.code']).toBe('NOT_FOUND');
    expect(span!.attributes['keyguard.key.id']).toBeUndefined();
    expect(await counted('keyguard.verifications', verification('NOT_FOUND', 'upstream'))).toBe(before.provider + 1);
    expect(await counted('keyguard.verifications', verification('NOT_FOUND', 'negative'))).toBe(before.negative + 1);
  });

  it('a provider failure: an error span, one provider error by type, PROVIDER_UNAVAILABLE answered', async () => {
    const verifier = makeVerifier();
    const errorsBefore = await counted('keyguard.provider.errors', {
      'keyguard.provider.name': 'unkey',
      'error.type': 'PROVIDER_SERVER_ERROR',
    });
    const answersBefore = await counted('keyguard.verifications', verification('PROVIDER_UNAVAILABLE', 'upstream'));
    fake.fault = { kind: 'status', status: 503 };
    expect(await verifier.verify(FAILING)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    const [span] = sdk.spansNamed('keyguard.verify');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'unkey answered HTTP 503' });
    expect(span!.attributes).toMatchObject({
      'keyguard.provider.name': 'unkey',
      'error.type': 'PROVIDER_SERVER_ERROR',
    });
    expect(
      await counted('keyguard.provider.errors', {
        'keyguard.provider.name': 'unkey',
        'error.type': 'PROVIDER_SERVER_ERROR',
      }),
    ).toBe(errorsBefore + 1);
    expect(await counted('keyguard.verifications', verification('PROVIDER_UNAVAILABLE', 'upstream'))).toBe(
      answersBefore + 1,
    );
    expect((await sdk.metrics()).get('keyguard.provider.errors')!.descriptor.unit).toBe('{error}');
  });

  it('a cached key served through a provider failure counts as stale', async () => {
    const verifier = makeVerifier({ cache: { freshMs: 0, staleMs: 0 } });
    await verifier.verify(VALID);
    const before = await counted('keyguard.verifications', verification('VALID', 'stale'));
    fake.fault = { kind: 'status', status: 503 };
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'stale' });
    expect(await counted('keyguard.verifications', verification('VALID', 'stale'))).toBe(before + 1);
  });

  it('a key rejected by the pre-checks is counted as local, without a span', async () => {
    const verifier = makeVerifier({ keyPrefix: 'sk_' });
    const before = await counted('keyguard.verifications', verification('INVALID_KEY_FORMAT', 'local'));
    expect(verifier.verifyCached('pk_not_ours_0004')).toMatchObject({ code: 'INVALID_KEY_FORMAT' });
    expect(await verifier.verify('pk_not_ours_0004')).toMatchObject({ code: 'INVALID_KEY_FORMAT' });
    expect(await counted('keyguard.verifications', verification('INVALID_KEY_FORMAT', 'local'))).toBe(before + 2);
    expect(sdk.spansNamed('keyguard.verify')).toEqual([]);
  });

  it('observes the cache entries of every open verifier, by kind', async () => {
    const verifier = makeVerifier();
    await verifier.verify(VALID);
    await verifier.verify(UNKNOWN);
    const entries = async (kind: string) =>
      counted('keyguard.cache.entry.count', { 'keyguard.provider.name': 'unkey', 'keyguard.cache.kind': kind });
    expect(await entries('key')).toBe(1);
    expect(await entries('negative')).toBe(1);
    await verifier.close();
    expect(await entries('key')).toBe(0);
  });

  it('records nothing with telemetry: false', async () => {
    const verifier = makeVerifier({ telemetry: false });
    const before = await counted('keyguard.verifications', verification('VALID', 'upstream'));
    await verifier.verify(VALID);
    expect(sdk.spans()).toEqual([]);
    expect(await counted('keyguard.verifications', verification('VALID', 'upstream'))).toBe(before);
  });

  it('puts no key and no digest of a key in any span, attribute, event or metric label', async () => {
    const verifier = makeVerifier({ keyPrefix: 'sk_' });
    const tracer = trace.getTracer('test-app');
    await tracer.startActiveSpan('request', async (request) => {
      await verifier.verify(VALID);
      await verifier.verify(VALID);
      await verifier.verify(UNKNOWN);
      await verifier.verify(UNKNOWN);
      await verifier.verify('pk_not_ours_0004');
      fake.fault = { kind: 'status', status: 503 };
      await verifier.verify(FAILING);
      fake.fault = { kind: 'reset-mid-body' };
      await verifier.verify(`${FAILING}x`);
      request.end();
    });
    const recorded = await sdk.everythingAsText();
    expect(sdk.spansNamed('keyguard.verify').length).toBe(4);
    for (const key of [VALID, UNKNOWN, FAILING, `${FAILING}x`, 'pk_not_ours_0004']) {
      for (const form of [
        key,
        createHash('sha256').update(key).digest('base64url'),
        createHash('sha256').update(key).digest('hex'),
        createHash('sha256').update(key).digest('base64'),
      ]) {
        expect(recorded).not.toContain(form);
      }
    }
  });
});
