import { describe, expect, it } from 'vitest';
import { ConfigurationError, createRateLimiter, memoryRateLimitBackend, RateLimitBackendError } from '@keyguard/core';
import type { Logger, RateLimitBackend, RateLimitCall, RateLimitOutcome, RateLimitRequest } from '@keyguard/core';
import { registerSecret } from '../../../test/support/secrets.js';

const run = async (outcome: RateLimitOutcome | Promise<RateLimitOutcome>): Promise<RateLimitOutcome> => outcome;

/** A backend that fails as told (rejects quoting the identifier, as a careless one would; or never answers), else counts in memory. */
class FlakyBackend implements RateLimitBackend {
  readonly kind = 'flaky';
  readonly batching: boolean;
  fault: 'reject' | 'hang' | undefined;
  aborted = 0;
  calls: RateLimitCall[] = [];
  private readonly memory = memoryRateLimitBackend();

  constructor(batching = true) {
    this.batching = batching;
  }

  limit(call: RateLimitCall, signal?: AbortSignal) {
    this.calls.push(call);
    if (this.fault === 'reject') return Promise.reject(new Error(`ERR counter ${call.namespace}:${call.identifier}`));
    if (this.fault === 'hang')
      return new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => {
          this.aborted += 1;
          reject(signal.reason as Error);
        }),
      );
    return this.memory.limit(call);
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, details?: Record<string, unknown>) =>
    void lines.push(`${message} ${JSON.stringify(details ?? {})}`);
  return { lines, warn: record, error: record };
}

const SECRET_HEADER = 'sk_live_rate_limit_header_value_0001';
const secretRequest = (): RateLimitRequest => ({ headers: { 'x-api-key': SECRET_HEADER } });

describe('when the rate-limit backend fails', () => {
  it('fail-closed answers 503 with Retry-After, logs the outage once at its start and once at its end, never the identifier', async () => {
    registerSecret(SECRET_HEADER);
    const backend = new FlakyBackend();
    const logger = recordingLogger();
    for (const mode of ['strict', 'batched'] as const) {
      const limiter = createRateLimiter({
        backend,
        namespace: `outage-${mode}`,
        limit: 100,
        duration: '1m',
        identifier: { header: 'x-api-key' },
        mode,
        logger,
      });
      backend.fault = 'reject';
      for (let index = 0; index < 5; index++) {
        const outcome = await run(limiter.check(secretRequest()));
        expect(outcome.allowed).toBe(false);
        if (outcome.allowed) continue;
        expect(outcome.denial.status).toBe(503);
        expect(outcome.denial.headers['Retry-After']).toBe('1');
        expect(outcome.denial.body).toMatchObject({
          code: 'RATE_LIMIT_UNAVAILABLE',
          type: 'urn:keyguard:problem:rate-limit-unavailable',
        });
        expect(JSON.stringify(outcome.denial)).not.toContain(SECRET_HEADER);
      }
      backend.fault = undefined;
      expect((await run(limiter.check(secretRequest()))).allowed).toBe(true);
      expect(limiter.stats()).toMatchObject({ unavailable: 5, allowed: 1 });
      await limiter.close();
    }
    expect(logger.lines).toHaveLength(4);
    expect(logger.lines[0]).toMatch(/flaky rate-limit backend of namespace outage-strict gives no answer/);
    expect(logger.lines[1]).toMatch(/answers again after \d+ ms \(5 failed calls\)/);
    for (const line of logger.lines) expect(line).not.toContain(SECRET_HEADER);
  });

  it('gives up on a backend that does not answer within timeoutMs, aborting its call; fail-open lets requests through', async () => {
    const backend = new FlakyBackend();
    backend.fault = 'hang';
    const logger = recordingLogger();
    const limiter = createRateLimiter({
      backend,
      namespace: 'hang',
      limit: 1,
      duration: '1m',
      mode: 'strict',
      timeoutMs: 50,
      onBackendError: 'fail-open',
      logger,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 3 }, () => run(limiter.check({ headers: {}, ip: '192.0.2.1' }))),
    );
    expect(outcomes).toEqual(Array(3).fill({ allowed: true, headers: {}, limits: [], failedOpen: true }));
    expect(backend.aborted).toBe(3);
    expect(limiter.stats()).toMatchObject({ allowed: 3, failedOpen: 3, backendCalls: 3 });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/RATE_LIMIT_BACKEND_TIMEOUT.*requests pass unlimited/);
    await limiter.close();
  });

  it('in batched mode, requests waiting for an identifier’s first answer share its failure instead of queueing', async () => {
    const backend = new FlakyBackend();
    backend.fault = 'hang';
    const limiter = createRateLimiter({
      backend,
      namespace: 'herd',
      limit: 10,
      duration: '1m',
      timeoutMs: 100,
      logger: recordingLogger(),
    });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => run(limiter.check({ headers: {}, ip: '192.0.2.7' }))),
    );
    expect(outcomes.every((outcome) => !outcome.allowed && outcome.denial.status === 503)).toBe(true);
    expect(backend.calls).toHaveLength(1);
    backend.fault = undefined;
    expect((await run(limiter.check({ headers: {}, ip: '192.0.2.7' }))).allowed).toBe(true);
    await limiter.close();
  });

  it('in batched mode puts the admissions of a failed settlement back and settles them once the backend answers', async () => {
    const backend = new FlakyBackend();
    const limiter = createRateLimiter({
      backend,
      namespace: 'resettle',
      limit: 1000,
      duration: '1h',
      logger: recordingLogger(),
    });
    const ip = { headers: {}, ip: '192.0.2.9' };
    for (let index = 0; index < 20; index++) expect((await run(limiter.check(ip))).allowed).toBe(true);
    backend.fault = 'reject';
    await limiter.close();
    expect(limiter.stats().pendingAdmissions).toBe(19);
    backend.fault = undefined;
    await limiter.close();
    const answer = await backend.limit({
      namespace: 'resettle',
      identifier: '192.0.2.9',
      limit: 1000,
      duration: 3_600_000,
      cost: 0,
    });
    expect(1000 - answer.remaining).toBe(20);
  });

  it('defaults to strict mode for a backend that cannot batch, and refuses batched mode for it', async () => {
    const backend = new FlakyBackend(false);
    const limiter = createRateLimiter({ backend, namespace: 'nobatch', limit: 5, duration: '1m' });
    for (let index = 0; index < 3; index++) await run(limiter.check({ headers: {}, ip: '192.0.2.3' }));
    expect(backend.calls.map((call) => call.cost)).toEqual([1, 1, 1]);
    expect(() =>
      createRateLimiter({ backend, namespace: 'nobatch', limit: 5, duration: '1m', mode: 'batched' }),
    ).toThrow(ConfigurationError);
  });

  it('makes an answer without numbers a failure, never a pass', async () => {
    const backend: RateLimitBackend = {
      kind: 'broken',
      batching: false,
      limit: async () => ({ success: true, limit: 5, remaining: Number.NaN, reset: Date.now() + 1000 }),
    };
    const limiter = createRateLimiter({
      backend,
      namespace: 'broken',
      limit: 5,
      duration: '1m',
      logger: recordingLogger(),
    });
    const outcome = await run(limiter.check({ headers: {}, ip: '192.0.2.4' }));
    expect(!outcome.allowed && outcome.denial.status).toBe(503);
    expect(new RateLimitBackendError('RATE_LIMIT_BACKEND_FAILED', 'x', 'y')).toBeInstanceOf(RateLimitBackendError);
  });
});
