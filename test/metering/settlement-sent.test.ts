import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Whether a failed settlement may have reached the key service decides what happens to it: one that failed before a
// byte left (connection refused) cannot have been applied and goes again; one that failed after it was sent may have
// been applied and is never repeated (charging twice is worse than once too few), its admissions counted in doubt.

/** A forwarding front on a fixed loopback port that can stop listening (connections refused) and start again. */
class Front {
  /** When set, a settlement is read in full, then its connection is dropped without forwarding it. */
  dropSettlements = false;
  settlementsSeen = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: a new request is refused before any byte is sent. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const settlement =
      request.url === '/v2/keys.verifyKey' && (JSON.parse(body) as { credits?: unknown }).credits !== undefined;
    if (settlement) this.settlementsSeen += 1;
    if (settlement && this.dropSettlements) {
      request.socket.destroy();
      return;
    }
    const upstream = await fetch(`${this.target}${request.url}`, {
      method: request.method,
      headers: { authorization: request.headers.authorization ?? '', 'content-type': 'application/json' },
      body: request.method === 'POST' ? body : undefined,
    });
    response.writeHead(upstream.status, { 'content-type': 'application/json' });
    response.end(await upstream.text());
  }
}

let service: MeteringService;
let front: Front;

beforeAll(async () => {
  service = await startMeteringService();
  front = new Front(service.url);
  await front.listen();
});
// A test that failed while the front refused must not leave the next one without it.
beforeEach(async () => {
  await front.listen();
  front.dropSettlements = false;
});
afterAll(async () => {
  await front.refuse();
  await service.stop();
});

function verifierThroughFront(): Verifier {
  return createVerifier({
    provider: unkey({ rootKey: service.rootKey, baseUrl: front.url, timeoutMs: 5000 }),
    metering: { mode: 'batched', maxBatch: 5, maxDelayMs: 60_000 },
    // The outage warnings are expected here; the other metering tests read them.
    logger: { warn: () => undefined, error: () => undefined },
  });
}

describe('a failed settlement: sent or not', () => {
  it('refused before any byte left: not in doubt, sent again, and the service ends up charged for every admission', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
    const verifier = verifierThroughFront();
    expect((await load(verifier, key, 1, 1)).admitted).toBe(1); // upstream: learns the credits
    await front.refuse();
    // Five admissions from memory fill a batch; its settlement meets a closed port.
    expect((await load(verifier, key, 5, 1)).admitted).toBe(5);
    await vi.waitFor(() => expect(verifier.stats().metering.failedSettlements).toBeGreaterThanOrEqual(1));
    expect(verifier.stats().metering).toMatchObject({ inDoubt: 0, unsettled: 5 });
    await front.listen();
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ inDoubt: 0, lost: 0, unsettled: 0, settled: 5 });
    expect(await service.creditsLeft(keyId)).toBe(1000 - 6);
  });

  it('dropped after it was sent: counted in doubt and never sent again, even by close()', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
    const verifier = verifierThroughFront();
    expect((await load(verifier, key, 1, 1)).admitted).toBe(1);
    front.dropSettlements = true;
    const seenBefore = front.settlementsSeen;
    expect((await load(verifier, key, 5, 1)).admitted).toBe(5);
    await vi.waitFor(() => expect(verifier.stats().metering.inDoubt).toBe(5));
    await verifier.close();
    front.dropSettlements = false;
    expect(front.settlementsSeen - seenBefore).toBe(1);
    expect(verifier.stats().metering).toMatchObject({ inDoubt: 5, settled: 0, unsettled: 0, lost: 0 });
    // This front never forwarded it: the service charged only the first verification.
    expect(await service.creditsLeft(keyId)).toBe(1000 - 1);
  });
});
