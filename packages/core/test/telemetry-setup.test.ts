import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import type { Telemetry } from '@keyguard/core';
import { openTelemetry, SPAN_VERIFY } from '@keyguard/core/opentelemetry';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { TestSdk } from '../../../test/support/otel-sdk.js';

// How telemetry is chosen: explicit providers, and an SDK registered after the verifier was created (the API's
// global providers are process-wide, so the order of these tests matters: nothing is registered until the last).
let fake: FakeUnkey;
const sdks: TestSdk[] = [];

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  for (let index = 1; index <= 4; index++) fake.add(`sk_setup_key_000${index}`, { keyId: `key_setup_${index}` });
});
afterAll(async () => {
  await fake.stop();
  await Promise.all(sdks.map((sdk) => sdk.shutdown()));
});

const provider = () => unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 });

describe('choosing telemetry', () => {
  it('openTelemetry({ tracerProvider, meterProvider }) reports to the providers given, without any global', async () => {
    const sdk = new TestSdk();
    sdks.push(sdk);
    const verifier = createVerifier({
      provider: provider(),
      telemetry: openTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider }),
    });
    await verifier.verify('sk_setup_key_0001');
    await verifier.verify('sk_setup_key_0001');
    expect(sdk.spansNamed(SPAN_VERIFY)).toHaveLength(1);
    const points = await sdk.points('keyguard.verifications');
    expect(points.map((point) => [point.attributes['keyguard.verification.source'], point.value])).toEqual([
      ['upstream', 1],
      ['cache', 1],
    ]);
    await verifier.close();
  });

  it('rejects a telemetry option that is not one', () => {
    expect(() => createVerifier({ provider: provider(), telemetry: {} as Telemetry })).toThrow(ConfigurationError);
  });

  it('an SDK registered after the verifier was created is used from the next provider call', async () => {
    const verifier = createVerifier({ provider: provider() });
    await verifier.verify('sk_setup_key_0002');
    const sdk = new TestSdk().register();
    sdks.push(sdk);
    await verifier.verify('sk_setup_key_0002');
    expect(sdk.spans()).toEqual([]);
    await verifier.verify('sk_setup_key_0003');
    expect(sdk.spansNamed(SPAN_VERIFY).map((span) => span.attributes['keyguard.key.id'])).toEqual(['key_setup_3']);
    await verifier.verify('sk_setup_key_0003');
    const sources = (await sdk.points('keyguard.verifications')).map(
      (point) => point.attributes['keyguard.verification.source'],
    );
    expect(sources).toEqual(['upstream', 'cache']);
    await verifier.close();
  });
});
