import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { openTelemetry, SPAN_VERIFY } from '@keyguard/core/opentelemetry';
import { clerk } from '@keyguard/clerk';
import { TestSdk } from '../../../test/support/otel-sdk.js';
import { MachineService } from './support/machine-service.js';

const service = new MachineService();
const sdk = new TestSdk();

beforeAll(() => service.start());
afterAll(async () => {
  await sdk.shutdown();
  await service.stop();
});

describe('telemetry names the kind of a Clerk token', () => {
  it('sets keyguard.key.kind on the verify span of an opaque M2M token', async () => {
    const target = service.machine('api');
    const worker = service.machine('worker', [target.id]);
    const { token } = await service.mint(worker.secretKey);
    const verifier = createVerifier({
      provider: clerk({ secretKey: service.secretKey, baseUrl: service.baseUrl, accepts: ['m2m_token'] }),
      telemetry: openTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider }),
    });
    expect((await verifier.verify(token)).valid).toBe(true);
    const [span] = sdk.spansNamed(SPAN_VERIFY);
    expect(span?.attributes['keyguard.key.kind']).toBe('m2m_token');
    await verifier.close();
  });
});
