import express from 'express';
import Fastify from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Logger, Verifier } from '@keyguard/core';
import { keyguard as expressKeyguard } from '@keyguard/express';
import { keyguard as fastifyKeyguard } from '@keyguard/fastify';
import { unkey } from '@keyguard/unkey';
import { FaultFront } from './fault-front.js';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Nothing admitted is lost: failed settlements go with the next batch, close() and the adapters' shutdown settle
// what is pending, and what cannot be settled is counted.
let service: MeteringService;
let front: FaultFront;
let frontUrl: string;

beforeAll(async () => {
  service = await startMeteringService();
  front = new FaultFront(service.url);
  frontUrl = await front.start();
});
afterAll(async () => {
  await front.stop();
  await service.stop();
});

function verifierThroughFront(metering: { maxBatch: number; maxDelayMs: number }, logger?: Logger): Verifier {
  return createVerifier({
    provider: unkey({ rootKey: service.rootKey, baseUrl: frontUrl }),
    metering: { mode: 'batched', ...metering },
    logger,
  });
}

function capturingLogger() {
  const warnings: { message: string; details?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    warn: (message, details) => void warnings.push({ message, details }),
    error: () => undefined,
  };
  return { logger, warnings };
}

describe('batched metering when settlements fail', () => {
  it('a settlement refused by the service goes again with the next batch: after close() the service recorded every admission', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
    front.fault = 'refuse';
    front.faultsLeft = 2;
    const verifier = verifierThroughFront({ maxBatch: 5, maxDelayMs: 10 });
    const result = await load(verifier, key, 60, 3);
    await vi.waitFor(() => expect(front.faultsLeft).toBe(0));
    await verifier.close();
    expect(result.admitted).toBe(60);
    expect(verifier.stats().metering).toMatchObject({
      failedSettlements: 2,
      unsettled: 0,
      lost: 0,
      inDoubt: 0,
      refused: 0,
    });
    expect(await service.creditsLeft(keyId)).toBe(1000 - 60);
  });

  it('a settlement whose answer is lost after the service applied it is not repeated, and is counted in doubt', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
    front.fault = 'lose-answer';
    front.faultsLeft = 1;
    const verifier = verifierThroughFront({ maxBatch: 5, maxDelayMs: 10 });
    const result = await load(verifier, key, 41, 1);
    await verifier.close();
    const stats = verifier.stats().metering;
    expect(stats.failedSettlements).toBe(1);
    expect(stats.inDoubt).toBe(5);
    expect(
      stats.settled + stats.inDoubt + (verifier.stats().upstreamCalls - stats.settlements - stats.failedSettlements),
    ).toBe(result.admitted);
    // Here the lost answer's settlement had been applied: the service's count is still exact.
    expect(await service.creditsLeft(keyId)).toBe(1000 - 41);
  });

  it('close() tries a failing settlement once more, then counts what is left as lost and warns without the key', async () => {
    const { key } = await service.createKey({ credits: { remaining: 1000 } });
    front.fault = 'refuse';
    front.faultsLeft = Number.POSITIVE_INFINITY;
    const { logger, warnings } = capturingLogger();
    const verifier = verifierThroughFront({ maxBatch: 100, maxDelayMs: 60_000 }, logger);
    expect((await load(verifier, key, 11, 1)).admitted).toBe(11);
    const settlementsBefore = front.settlements;
    await verifier.close();
    front.fault = undefined;
    expect(front.settlements - settlementsBefore).toBe(2);
    expect(verifier.stats().metering).toMatchObject({ failedSettlements: 2, lost: 10, unsettled: 0 });
    // One line for the outage of the key service, one for what close() could not settle.
    expect(warnings).toHaveLength(2);
    expect(
      warnings.filter(
        (warning) => warning.message.includes('cannot be reached') || warning.message.includes('no usable answer'),
      ),
    ).toHaveLength(1);
    expect(
      warnings.filter((warning) => warning.details && 'lost' in warning.details).map((warning) => warning.details),
    ).toEqual([{ lost: 10 }]);
    for (const warning of warnings) expect(warning.message).not.toContain(key);
  });
});

describe('the adapters settle on shutdown', () => {
  it("Fastify's close() settles what its verifier admitted", async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 500 } });
    const app = Fastify();
    await app.register(fastifyKeyguard, {
      provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }),
      metering: { mode: 'batched', maxBatch: 50, maxDelayMs: 60_000 },
    });
    app.get('/', async () => ({ ok: true }));
    for (let index = 0; index < 23; index++)
      expect((await app.inject({ url: '/', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    expect(await service.creditsLeft(keyId)).toBe(499);
    await app.close();
    expect(await service.creditsLeft(keyId)).toBe(500 - 23);
  });

  it("Express: the middleware's keyguard.close() settles what it admitted", async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 500 } });
    const auth = expressKeyguard({
      provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }),
      metering: { mode: 'batched', maxBatch: 50, maxDelayMs: 60_000 },
    });
    const app = express();
    app.get('/', auth, (_request, response) => void response.json({ ok: true }));
    for (let index = 0; index < 17; index++) await request(app).get('/').set('x-api-key', key).expect(200);
    await auth.keyguard.close();
    expect(await service.creditsLeft(keyId)).toBe(500 - 17);
  });
});
