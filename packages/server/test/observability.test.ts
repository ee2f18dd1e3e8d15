import { afterEach, describe, expect, it } from 'vitest';
import { pinoLogger } from '../src/index.js';
import type { KeyServerOptions } from '../src/index.js';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';
import { startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { startHarness, type Harness } from './helpers.js';

// The service's own view of itself: GET /metrics in Prometheus' text format, and one structured log line per request.
const running: (Harness | ClerkHarness)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((harness) => harness.stop()));
});

function memoryLog() {
  const lines: string[] = [];
  const destination = {
    write: (line: string) => {
      recordOutput(line);
      lines.push(line);
    },
  };
  return { lines, destination };
}

async function unkeyService(options: KeyServerOptions = {}): Promise<Harness> {
  const harness = await startHarness(options);
  running.push(harness);
  return harness;
}

async function metricsOf(harness: { url: string }): Promise<string> {
  const response = await fetch(`${harness.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample line, e.g. `keyguard_server_requests_total{operation="keys.verifyKey",status="200"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests by operation and status, and times them by operation', async () => {
    const harness = await unkeyService();
    const apiId = await harness.createApi();
    const { key } = await harness.createKey(apiId);
    await harness.verify({ key });
    await harness.verify({ key });
    await harness.verify({ key: 'sk_unknown_to_the_service_0001' });
    await harness.call('keys.verifyKey', { key }, 'not_a_root_key_0000000000');
    await harness.raw('/v2/keys.verifyKey', { method: 'GET' });
    await harness.raw('/v2/keys.noSuchOperation', { method: 'POST' });
    const text = await metricsOf(harness);
    expect(sample(text, 'keyguard_server_requests_total{operation="keys.verifyKey",status="200"}')).toBe(3);
    expect(sample(text, 'keyguard_server_requests_total{operation="keys.verifyKey",status="401"}')).toBe(1);
    expect(sample(text, 'keyguard_server_requests_total{operation="apis.createApi",status="200"}')).toBe(1);
    expect(sample(text, 'keyguard_server_requests_total{operation="unknown",status="405"}')).toBe(1);
    expect(sample(text, 'keyguard_server_requests_total{operation="unknown",status="404"}')).toBe(1);
    expect(sample(text, 'keyguard_server_request_duration_seconds_count{operation="keys.verifyKey"}')).toBe(4);
    expect(sample(text, 'keyguard_server_verifications_total{format="unkey",code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'keyguard_server_verifications_total{format="unkey",code="VALID"}')).toBe(2);
    expect(text).toContain('# TYPE keyguard_server_request_duration_seconds histogram');
    expect(text).not.toContain('noSuchOperation');
    expect(text).not.toContain(key);
    expect(text).not.toContain(harness.rootKey);
  });

  it('names Clerk operations by method and path template, never by the path itself', async () => {
    const harness = await startClerkHarness();
    running.push(harness);
    const created = await harness.create({ subject: 'user_1', name: 'metrics' });
    await harness.request('GET', `/api_keys/${created.id as string}`);
    await harness.request('POST', '/api_keys/verify', { secret: created.secret });
    await harness.request('POST', '/api_keys/verify', { secret: 'ak_unknown_to_the_service_0001' });
    const text = await metricsOf(harness);
    expect(sample(text, 'keyguard_server_verifications_total{format="clerk",code="VALID"}')).toBe(1);
    expect(sample(text, 'keyguard_server_verifications_total{format="clerk",code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'keyguard_server_requests_total{operation="clerk POST /api_keys/verify",status="404"}')).toBe(
      1,
    );
    expect(sample(text, 'keyguard_server_requests_total{operation="clerk POST /api_keys",status="201"}')).toBe(1);
    expect(sample(text, 'keyguard_server_requests_total{operation="clerk GET /api_keys/:id",status="200"}')).toBe(1);
    expect(text).not.toContain(created.id as string);
  });

  it('answers 405 to other methods, and is off with metrics: false', async () => {
    const harness = await unkeyService();
    expect((await harness.raw('/metrics', { method: 'POST' })).status).toBe(405);
    const off = await unkeyService({ metrics: false });
    expect((await off.raw('/metrics', { method: 'GET' })).status).toBe(404);
  });
});

describe('request log', () => {
  it('writes one JSON line per request with its id, operation, status and duration, never the key', async () => {
    const { lines, destination } = memoryLog();
    const harness = await unkeyService({ logger: pinoLogger({ format: 'json', destination }) });
    const apiId = await harness.createApi();
    const { key } = await harness.createKey(apiId);
    registerSecret(key);
    const answer = await harness.call('keys.verifyKey', { key });
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[2]).toEqual({
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pid: process.pid,
      hostname: expect.any(String),
      name: 'keyguard-server',
      msg: 'request',
      requestId: answer.headers.get('unkey-request-id'),
      method: 'POST',
      operation: 'keys.verifyKey',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(lines.join('')).not.toContain(key);
  });

  it('writes readable lines with --log-format pretty', async () => {
    const { lines, destination } = memoryLog();
    const harness = await unkeyService({ logger: pinoLogger({ format: 'pretty', destination }) });
    await harness.createApi();
    expect(lines.at(-1)).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}request requestId=req_\w+ method=POST operation=apis\.createApi status=200 durationMs=[\d.]+\n$/,
    );
  });
});
