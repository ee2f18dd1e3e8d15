import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { unkey } from '@keyguard/unkey';
import { keyguard } from '@keyguard/fastify';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';

// Fastify has a logger (pino): keyguard's request lines go to `request.log` (with Fastify's request id bound), and
// the warnings of a verifier the plugin creates to `fastify.log`.
const READER = 'sk_fastify_log_reader_1';
const UNKNOWN = 'sk_fastify_log_unknown_2';
const WRONG_ROOT_KEY = 'unkey_wrong_root_key_for_fastify_0001';
registerSecret(UNKNOWN, WRONG_ROOT_KEY);

const fake = await new FakeUnkey().start();
fake.add(READER, { keyId: 'key_fastify_reader', permissions: ['docs.read'] });
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
afterAll(() => fake.stop());

async function appWithLog(rootKey: string): Promise<{ app: FastifyInstance; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const stream = {
    write: (line: string) => {
      recordOutput(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  const app = Fastify({ logger: { level: 'debug', stream } });
  apps.push(app);
  await app.register(keyguard, { provider: unkey({ rootKey, baseUrl: fake.url, timeoutMs: 15_000 }) });
  app.get('/private', async (request) => ({ id: request.apiKey?.id }));
  return { app, lines };
}

const keyguardLines = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => String(line.msg).startsWith('keyguard'));

describe('Fastify logging', () => {
  it("writes a denied request's line to request.log, with Fastify's request id", async () => {
    const { app, lines } = await appWithLog(fake.rootKey);
    const denied = await app.inject({ url: '/private', headers: { authorization: `Bearer ${UNKNOWN}` } });
    expect(denied.statusCode).toBe(401);
    expect((await app.inject({ url: '/private', headers: { authorization: `Bearer ${READER}` } })).statusCode).toBe(
      200,
    );
    const requestIds = lines.filter((line) => line.msg === 'incoming request').map((line) => line.reqId);
    expect(keyguardLines(lines)).toEqual([
      expect.objectContaining({
        level: 20,
        reqId: requestIds[0],
        msg: 'keyguard: request denied',
        reason: 'verification',
        code: 'NOT_FOUND',
        status: 401,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(UNKNOWN);
  });

  it("writes the verifier's warnings to fastify.log", async () => {
    const { app, lines } = await appWithLog(WRONG_ROOT_KEY);
    expect((await app.inject({ url: '/private', headers: { authorization: `Bearer ${READER}` } })).statusCode).toBe(
      500,
    );
    const errors = keyguardLines(lines).filter((line) => line.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        provider: 'unkey',
        status: 401,
        msg: expect.stringContaining('refused our own credentials'),
      }),
    ]);
    expect(errors[0]!.reqId).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(WRONG_ROOT_KEY);
  });
});
