import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeyguard, createVerifier } from '@keyguard/core';
import type { KeyguardOptions, Logger, RequestGuard } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';

const VALID = 'sk_log_valid_key_0001';
const EXPIRED = 'sk_log_expired_key_0002';
const UNKNOWN = 'sk_log_unknown_key_0003';
registerSecret(UNKNOWN);

let fake: FakeUnkey;
const keyguards: RequestGuard[] = [];

beforeAll(async () => {
  fake = await new FakeUnkey().start();
});
afterAll(async () => {
  await Promise.all(keyguards.map((keyguard) => keyguard.close()));
  await fake.stop();
});
beforeEach(() => {
  fake.fault = { kind: 'none' };
  fake.add(VALID, { keyId: 'key_log_valid', permissions: [] });
  fake.add(EXPIRED, { keyId: 'key_log_expired', expires: Date.now() - 1000 });
});

/** A console-style logger that keeps its lines (and hands them to the suite's leak watch). */
function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
    recordOutput(message, fields);
  };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** A real pino logger writing JSON lines into memory. */
function pinoLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    {
      write: (line: string) => {
        recordOutput(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

function keyguard(options: Partial<KeyguardOptions>): RequestGuard {
  const created = createKeyguard({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
    ...options,
  } as KeyguardOptions);
  keyguards.push(created);
  return created;
}

const bearer = (key: string, extra: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${key}`, ...extra },
});

describe('request lines', () => {
  it('one debug line per denied request, with reason, code, source, key id and request ids, never the key', async () => {
    const logger = recordingLogger();
    const guard = keyguard({ logger });
    await guard.authenticate({ headers: { 'x-request-id': 'req-abc-1' } });
    await guard.authenticate(bearer(UNKNOWN, { 'x-request-id': 'req-abc-2' }));
    await guard.authenticate(bearer(UNKNOWN));
    await guard.authenticate(bearer(EXPIRED));
    await guard.authenticate(bearer(VALID));
    expect(logger.lines.map(({ level, message }) => `${level} ${message}`)).toEqual(
      Array(4).fill('debug keyguard: request denied'),
    );
    expect(logger.lines.map((line) => line.fields)).toEqual([
      { requestId: 'req-abc-1', status: 401, reason: 'missing' },
      {
        requestId: 'req-abc-2',
        status: 401,
        reason: 'verification',
        code: 'NOT_FOUND',
        source: 'upstream',
        providerRequestId: expect.stringMatching(/^req_fake/),
      },
      {
        status: 401,
        reason: 'verification',
        code: 'NOT_FOUND',
        source: 'cache',
        providerRequestId: expect.stringMatching(/^req_fake/),
      },
      {
        status: 401,
        reason: 'verification',
        code: 'EXPIRED',
        source: 'upstream',
        keyId: 'key_log_expired',
        providerRequestId: expect.stringMatching(/^req_fake/),
      },
    ]);
    const text = JSON.stringify(logger.lines);
    for (const key of [VALID, EXPIRED, UNKNOWN]) expect(text).not.toContain(key);
  });

  it('prefers the framework request id, and ignores an X-Request-Id that does not look like one', async () => {
    const logger = recordingLogger();
    const guard = keyguard({ logger });
    await guard.authenticate({ headers: { 'x-request-id': 'from-header' }, requestId: 42 });
    await guard.authenticate({ headers: { 'x-request-id': 'two words\nand a line' } });
    expect(logger.lines.map((line) => line.fields?.requestId)).toEqual(['42', undefined]);
  });

  it('writes through a request logger before the adapter one, and pino gets its fields first', async () => {
    const adapterLogger = recordingLogger();
    const request = pinoLogger('debug');
    const guard = keyguard({ logger: adapterLogger });
    await guard.authenticate({ headers: {}, logger: request.logger.child({ reqId: 'req-7' }) });
    expect(adapterLogger.lines).toEqual([]);
    expect(request.lines).toEqual([
      expect.objectContaining({
        level: 20,
        reqId: 'req-7',
        msg: 'keyguard: request denied',
        reason: 'missing',
        status: 401,
      }),
    ]);
  });

  it('writes nothing when the logger is above debug, or has no debug level', async () => {
    const quiet = pinoLogger('info');
    await keyguard({ logger: quiet.logger }).authenticate(bearer(UNKNOWN));
    expect(quiet.lines).toEqual([]);
    const warningsOnly = { warn: () => expect.unreachable(), error: () => expect.unreachable() };
    await keyguard({ logger: warningsOnly }).authenticate(bearer(UNKNOWN));
  });

  it('logs a request let through by fail-open', async () => {
    const logger = recordingLogger();
    const guard = keyguard({ logger, onProviderError: 'fail-open' });
    fake.fault = { kind: 'status', status: 503 };
    expect(await guard.authenticate(bearer(UNKNOWN))).toMatchObject({ allowed: true });
    // The verifier's own line for the start of the outage comes first; then the request's.
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining('unkey key service cannot be reached (PROVIDER_SERVER_ERROR)'),
        fields: expect.objectContaining({ provider: 'unkey' }),
      },
      {
        level: 'debug',
        message: 'keyguard: request let through without a key: the key service could not answer (fail-open)',
        fields: { code: 'PROVIDER_UNAVAILABLE', source: 'upstream' },
      },
    ]);
  });

  it('takes a logger beside a ready verifier, for its request lines', async () => {
    const logger = recordingLogger();
    const verifier = createVerifier({ provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }) });
    const guard = createKeyguard({ verifier, logger });
    await guard.authenticate({ headers: {} });
    expect(logger.lines).toHaveLength(1);
    await verifier.close();
  });
});

describe("the verifier's warnings", () => {
  it('go to a pino logger with the fields first', async () => {
    const { logger, lines } = pinoLogger('info');
    const verifier = createVerifier({
      provider: unkey({ rootKey: 'unkey_wrong_root_key_0000000', baseUrl: fake.url }),
      logger,
    });
    registerSecret('unkey_wrong_root_key_0000000');
    expect(await verifier.verify(VALID)).toMatchObject({ code: 'PROVIDER_MISCONFIGURED' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        provider: 'unkey',
        status: 401,
        msg: expect.stringContaining('refused our own credentials'),
      }),
    ]);
    await verifier.close();
  });
});
