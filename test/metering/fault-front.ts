import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from '../support/loopback-server.js';

/** What happens to the settlements (verifications carrying `credits.cost`) passing through the front. */
export type SettlementFault =
  /** Answered 503 without reaching the key service. */
  | 'refuse'
  /** Applied by the key service, then the connection is dropped before the answer. */
  | 'lose-answer';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const UNAVAILABLE = JSON.stringify({
  meta: { requestId: 'req_front' },
  error: {
    title: 'Service Unavailable',
    detail: 'The service is briefly unavailable.',
    status: 503,
    type: 'https://unkey.com/docs/errors/unkey/application/service_unavailable',
  },
});

/**
 * A small proxy in front of the local key service that can fail settlements: real HTTP both ways, so the verifier
 * meets the failure exactly as it would from Unkey.
 */
export class FaultFront {
  fault: SettlementFault | undefined;
  /** How many settlements the fault still applies to. */
  faultsLeft = Number.POSITIVE_INFINITY;
  settlements = 0;
  /** While set, settlements wait in the front, not yet sent to the key service, until it resolves. */
  private gate: Promise<void> | undefined;
  private readonly server = new LoopbackServer((request, response) => void this.handle(request, response));

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Holds every settlement from now on (as a slow key service would); the function returned lets them through. */
  holdSettlements(): () => void {
    let release = () => {};
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const settlement =
      request.url === '/v2/keys.verifyKey' && (JSON.parse(body) as { credits?: unknown }).credits !== undefined;
    const fault = settlement && this.faultsLeft > 0 ? this.fault : undefined;
    if (settlement) this.settlements += 1;
    if (settlement && this.gate) await this.gate;
    if (fault) this.faultsLeft -= 1;
    if (fault === 'refuse') {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(UNAVAILABLE);
      return;
    }
    const upstream = await fetch(`${this.target}${request.url}`, {
      method: request.method,
      headers: { authorization: request.headers.authorization ?? '', 'content-type': 'application/json' },
      body: request.method === 'POST' ? body : undefined,
    });
    const text = await upstream.text();
    if (fault === 'lose-answer') {
      request.socket.destroy();
      return;
    }
    response.writeHead(upstream.status, { 'content-type': 'application/json' });
    response.end(text);
  }
}
