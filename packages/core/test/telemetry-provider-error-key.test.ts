import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { createVerifier, ProviderError, type Provider } from '@keyguard/core';
import { openTelemetry } from '@keyguard/core/opentelemetry';
import { TestSdk } from '../../../test/support/otel-sdk.js';
import { registerSecret } from '../../../test/support/secrets.js';

// A provider written without care may quote the key in the error it throws. The span of that call records the
// failure (status ERROR, error.type) but never the message's key: spans leave the process for a tracing backend.
const KEY = 'sk_otel_quoted_in_error_0005';
registerSecret(KEY);

const sdk = new TestSdk();
afterAll(() => sdk.shutdown());

function quotingProvider(thrown: (key: string) => unknown): Provider {
  return {
    name: 'careless',
    async verify(key) {
      throw thrown(key);
    },
  };
}

const CASES: [string, (key: string) => unknown, string][] = [
  [
    'a ProviderError',
    (key) => new ProviderError('PROVIDER_SERVER_ERROR', `lookup of ${key} failed`, { provider: 'careless' }),
    'PROVIDER_SERVER_ERROR',
  ],
  ['a plain Error', (key) => new Error(`no such key: ${key}`), 'PROVIDER_BAD_RESPONSE'],
];

describe('a provider error quoting the key', () => {
  it.each(CASES)('%s: the span says ERROR and its type, and nothing of it holds the key', async (_, thrown, type) => {
    sdk.reset();
    const verifier = createVerifier({
      provider: quotingProvider(thrown),
      telemetry: openTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider }),
    });
    try {
      expect(await verifier.verify(KEY)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    } finally {
      await verifier.close();
    }
    const [span, ...others] = sdk.spansNamed('keyguard.verify');
    expect(others).toEqual([]);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe(type);
    expect(span!.status.message ?? '').not.toContain(KEY);
    const recorded = JSON.stringify({
      status: span!.status,
      events: span!.events,
      attributes: span!.attributes,
      links: span!.links,
    });
    expect(recorded).not.toContain(KEY);
    expect(recorded).not.toContain('quoted_in_error');
  });
});
