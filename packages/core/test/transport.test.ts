import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@keyguard/core';
import { nodeRuntime } from '../src/runtime/node.js';
import { fetchRuntime } from '../src/runtime/fetch.js';
import type { HttpTransport, TransportOptions } from '../src/runtime/types.js';
import { LoopbackServer } from '../../../test/support/loopback-server.js';

// The Node transport is sized for concurrency: verifications in flight are capped by `connections` (256 by default),
// not by a small pool, and a service that speaks HTTP/2 gets many of them over one connection.
const transports: HttpTransport[] = [];
function transport(url: string, options: TransportOptions = {}): HttpTransport {
  const created = nodeRuntime.createTransport(url, options);
  transports.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(transports.splice(0).map((created) => created.close()));
});

const post = (target: HttpTransport) =>
  target.request({
    method: 'POST',
    path: '/v2/keys.verifyKey',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: 5000,
  });

/** A service that holds every request until `release` of them are in flight together, then answers them all. */
function barrierService(release: number) {
  const held: ServerResponse[] = [];
  let maxInFlight = 0;
  const server = new LoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    held.push(response);
    maxInFlight = Math.max(maxInFlight, held.length);
    if (held.length >= release) for (const waiting of held.splice(0)) waiting.end('{}');
  });
  return { server, maxInFlight: () => maxInFlight };
}

describe('Node transport concurrency', () => {
  it('is not capped at a small pool: 200 requests in flight at once all reach the service together', async () => {
    const { server, maxInFlight } = barrierService(200);
    const url = await server.start();
    const shared = transport(url);
    const answers = await Promise.all(Array.from({ length: 200 }, () => post(shared)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(maxInFlight()).toBe(200);
    await server.stop();
  });

  it('connections caps the requests in flight; the rest wait their turn', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const server = new LoopbackServer((request, response) => {
      request.resume();
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setImmediate(() => {
        inFlight -= 1;
        response.end('{}');
      });
    });
    const url = await server.start();
    const shared = transport(url, { connections: 5 });
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(shared)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(5);
    await server.stop();
  });

  it('rejects transport options that cannot work, at creation, on both runtimes', () => {
    const bad: TransportOptions[] = [
      { connections: 0 },
      { connections: 1.5 },
      { connections: 100_000 },
      { pipelining: 0 },
      { allowH2: 'yes' as unknown as boolean },
      { allowH2: true, pipelining: 4 },
      { maxResponseBytes: -1 },
    ];
    for (const options of bad) {
      expect(() => nodeRuntime.createTransport('http://127.0.0.1:1', options), JSON.stringify(options)).toThrow(
        ConfigurationError,
      );
      expect(() => fetchRuntime.createTransport('http://127.0.0.1:1', options), JSON.stringify(options)).toThrow(
        ConfigurationError,
      );
    }
  });
});

describe('Node transport deadline', () => {
  it('holds for a request still waiting for a connection, which is then never sent', async () => {
    let received = 0;
    const held: ServerResponse[] = [];
    const server = new LoopbackServer((request, response) => {
      request.resume();
      received += 1;
      held.push(response);
    });
    const url = await server.start();
    const single = transport(url, { connections: 1 });
    const first = single.request({
      method: 'POST',
      path: '/v2/keys.verifyKey',
      headers: {},
      body: '{}',
      timeoutMs: 10_000,
    });
    const queued = single.request({
      method: 'POST',
      path: '/v2/keys.verifyKey',
      headers: {},
      body: '{}',
      timeoutMs: 100,
    });
    // Answered while the first request still holds the only connection.
    await expect(queued).rejects.toMatchObject({ code: 'TRANSPORT_TIMEOUT' });
    expect(received).toBe(1);
    held.shift()!.end('{}');
    expect((await first).status).toBe(200);
    // The connection is free again: another request goes through, and the timed-out one never went out.
    const after = single.request({
      method: 'POST',
      path: '/v2/keys.verifyKey',
      headers: {},
      body: '{}',
      timeoutMs: 5000,
    });
    await new Promise<void>((resolve) => {
      const poll = () => (held.length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    held.shift()!.end('{}');
    expect((await after).status).toBe(200);
    expect(received).toBe(2);
    await server.stop();
  });
});

describe('allowH2', () => {
  const tls = {
    key: readFileSync(new URL('../../../test/support/tls/loopback-key.pem', import.meta.url)),
    cert: readFileSync(new URL('../../../test/support/tls/loopback-cert.pem', import.meta.url)),
  };
  let previousRejectUnauthorized: string | undefined;
  beforeAll(() => {
    // The fixture certificate is self-signed and the transport has no CA option: trust it for this file's connections.
    previousRejectUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(() => {
    if (previousRejectUnauthorized === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousRejectUnauthorized;
  });

  /** A TLS service (HTTP/2 with HTTP/1.1 fallback, or HTTP/1.1 only) holding requests until `release` are in flight. */
  async function tlsService(protocol: 'h2' | 'http/1.1', release: number) {
    const held: { end(body: string): void }[] = [];
    const versions = new Set<string>();
    let connections = 0;
    let maxInFlight = 0;
    const handler = (request: IncomingMessage | http2.Http2ServerRequest, response: { end(body: string): void }) => {
      versions.add(request.httpVersion);
      request.resume();
      held.push(response);
      maxInFlight = Math.max(maxInFlight, held.length);
      if (held.length >= release) for (const waiting of held.splice(0)) waiting.end('{}');
    };
    const server =
      protocol === 'h2'
        ? http2.createSecureServer({ ...tls, allowHTTP1: true }, handler)
        : https.createServer(tls, handler);
    server.on('secureConnection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      stats: () => ({ versions: [...versions], connections, maxInFlight }),
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('a service answering in HTTP/2 gets 50 verifications at once over one connection', async () => {
    const service = await tlsService('h2', 50);
    const shared = transport(service.url, { allowH2: true, connections: 1 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(shared)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(service.stats()).toEqual({ versions: ['2.0'], connections: 1, maxInFlight: 50 });
    // An HTTP/2 server closes once its sessions do.
    await shared.close();
    await service.stop();
  });

  it('a service answering in HTTP/1.1 gets one verification per connection at a time, as without the option', async () => {
    const service = await tlsService('http/1.1', 8);
    const shared = transport(service.url, { allowH2: true, connections: 8 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(shared)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(service.stats()).toEqual({ versions: ['1.1'], connections: 8, maxInFlight: 8 });
    await shared.close();
    await service.stop();
  });
});
