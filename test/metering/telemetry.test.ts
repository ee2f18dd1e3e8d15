import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestSdk } from '../support/otel-sdk.js';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// With an OpenTelemetry SDK registered, the verifier calls the provider through its instrumentation: the cost of a
// settlement, and the provider's support for it, must pass through.
let sdk: TestSdk;
let service: MeteringService;

beforeAll(async () => {
  sdk = new TestSdk().register();
  service = await startMeteringService();
});
afterAll(async () => {
  await service.stop();
  await sdk.shutdown();
});

it('with OpenTelemetry active, settlements keep their cost: the service records exactly what was admitted', async () => {
  const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
  const verifier = service.verifier({ mode: 'batched', maxBatch: 10, maxDelayMs: 10 });
  const result = await load(verifier, key, 95, 5);
  await verifier.close();
  expect(result.admitted).toBe(95);
  expect(verifier.stats().metering.admitted).toBeGreaterThan(0);
  expect(await service.creditsLeft(keyId)).toBe(1000 - 95);
});
