import { describe, expect, it } from 'vitest';
import { ProviderError } from '@keyguard/core';
import type { Logger } from '@keyguard/core';
import { OutageLog } from '../src/verifier/outage-log.js';

// The two lines an outage leaves in the operator's log, word for word: which service, where it is, what callers get
// meanwhile, and how long it lasted. The clock is passed in, so the durations are exact.
const CONSEQUENCE = 'keys not in memory are answered 503';

function recording(): Logger & { lines: { message: string; details: Record<string, unknown> | undefined }[] } {
  const lines: { message: string; details: Record<string, unknown> | undefined }[] = [];
  return {
    lines,
    warn: (message, details) => void lines.push({ message, details }),
    error: (message, details) => void lines.push({ message, details }),
  };
}

const serverError = new ProviderError('PROVIDER_SERVER_ERROR', 'the key service answered 503', {
  provider: 'custom',
  status: 503,
  requestId: 'req_outage',
});

describe('the line that starts an outage', () => {
  it('names the endpoint the provider calls, in the message and in the details', () => {
    const logger = recording();
    const log = new OutageLog(logger, 'custom', CONSEQUENCE, 'http://127.0.0.1:9/v2/keys.verifyKey');
    log.failed(serverError, 1_000);
    expect(logger.lines).toStrictEqual([
      {
        message:
          'keyguard: the custom key service cannot be reached (PROVIDER_SERVER_ERROR) at http://127.0.0.1:9/v2/keys.verifyKey; keys not in memory are answered 503 until it is back',
        details: {
          provider: 'custom',
          endpoint: 'http://127.0.0.1:9/v2/keys.verifyKey',
          code: 'PROVIDER_SERVER_ERROR',
          status: 503,
          requestId: 'req_outage',
        },
      },
    ]);
  });

  it('says nothing of an endpoint when the provider names none', () => {
    const logger = recording();
    const log = new OutageLog(logger, 'custom', CONSEQUENCE);
    log.failed(serverError, 1_000);
    expect(logger.lines).toStrictEqual([
      {
        message:
          'keyguard: the custom key service cannot be reached (PROVIDER_SERVER_ERROR); keys not in memory are answered 503 until it is back',
        details: { provider: 'custom', code: 'PROVIDER_SERVER_ERROR', status: 503, requestId: 'req_outage' },
      },
    ]);
  });

  it('says what happened for a rate limit and for an answer it cannot use', () => {
    const logger = recording();
    const limited = new OutageLog(logger, 'custom', CONSEQUENCE);
    limited.failed(new ProviderError('PROVIDER_RATE_LIMITED', 'slow down', { provider: 'custom', status: 429 }), 0);
    const garbled = new OutageLog(logger, 'custom', CONSEQUENCE);
    garbled.failed(new ProviderError('PROVIDER_BAD_RESPONSE', 'not JSON', { provider: 'custom', status: 200 }), 0);
    expect(logger.lines.map((line) => line.message)).toStrictEqual([
      `keyguard: the custom key service is rate limiting keyguard (PROVIDER_RATE_LIMITED); ${CONSEQUENCE} until it is back`,
      `keyguard: the custom key service gives no usable answer (PROVIDER_BAD_RESPONSE); ${CONSEQUENCE} until it is back`,
    ]);
  });
});

describe('the line that ends an outage', () => {
  it('counts from the first failure to the answer, and every failed call in between', () => {
    const logger = recording();
    const log = new OutageLog(logger, 'custom', CONSEQUENCE);
    log.failed(serverError, 10_000);
    log.failed(serverError, 12_000);
    log.failed(serverError, 14_000);
    log.answered(15_250);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toStrictEqual({
      message: 'keyguard: the custom key service answers again after 5250 ms (3 failed calls)',
      details: { provider: 'custom', outageMs: 5_250, failedCalls: 3 },
    });
  });

  it('reports 0 ms, not a negative duration, when the clock was set back during the outage', () => {
    const logger = recording();
    const log = new OutageLog(logger, 'custom', CONSEQUENCE);
    log.failed(serverError, 10_000);
    log.answered(9_000);
    expect(logger.lines[1]).toStrictEqual({
      message: 'keyguard: the custom key service answers again after 0 ms (1 failed calls)',
      details: { provider: 'custom', outageMs: 0, failedCalls: 1 },
    });
  });

  it('starts counting afresh for the next outage', () => {
    const logger = recording();
    const log = new OutageLog(logger, 'custom', CONSEQUENCE);
    log.failed(serverError, 1_000);
    log.answered(2_000);
    log.answered(3_000);
    log.failed(serverError, 4_000);
    log.answered(4_500);
    expect(logger.lines.map((line) => line.message)).toStrictEqual([
      `keyguard: the custom key service cannot be reached (PROVIDER_SERVER_ERROR); ${CONSEQUENCE} until it is back`,
      'keyguard: the custom key service answers again after 1000 ms (1 failed calls)',
      `keyguard: the custom key service cannot be reached (PROVIDER_SERVER_ERROR); ${CONSEQUENCE} until it is back`,
      'keyguard: the custom key service answers again after 500 ms (1 failed calls)',
    ]);
  });
});
