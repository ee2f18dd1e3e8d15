import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { registerSecret } from './secrets.js';

/** A key the fake service knows, in the shape of Unkey's verifyKey answer. */
export interface FakeKey {
  keyId: string;
  name?: string;
  enabled?: boolean;
  expires?: number;
  credits?: number;
  permissions?: string[];
  roles?: string[];
  meta?: Record<string, unknown>;
  identity?: { id: string; externalId: string; meta?: Record<string, unknown> };
  /** One auto-applied fixed-window limit. */
  ratelimit?: { name: string; limit: number; duration: number };
  /** Forces an answer code (e.g. FORBIDDEN) regardless of state. */
  code?: string;
}

/** How the next verifyKey requests misbehave. */
export type Fault =
  | { kind: 'none' }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'reset-mid-body' }
  | { kind: 'destroy-before-answer' }
  | { kind: 'non-json' }
  | { kind: 'oversized'; bytes: number };

/**
 * A small Unkey v2 stand-in for tests: real HTTP on loopback, `keys.verifyKey` with credits and one fixed-window
 * rate limit, call counting, and scriptable faults. It is a test fixture, not the local key server.
 */
export class FakeUnkey {
  readonly rootKey = 'unkey_root_fake_0123456789abcdef';
  readonly keys = new Map<string, FakeKey>();
  readonly calls = new Map<string, number>();
  readonly requests: { path: string; authorization?: string; body: unknown }[] = [];
  fault: Fault = { kind: 'none' };
  private readonly windows = new Map<string, { start: number; used: number }>();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private nextRequestNumber = 0;
  url = '';

  constructor() {
    registerSecret(this.rootKey);
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  add(key: string, record: FakeKey): void {
    registerSecret(key);
    this.keys.set(key, record);
  }

  callsFor(key: string): number {
    return this.calls.get(key) ?? 0;
  }

  get totalCalls(): number {
    let total = 0;
    for (const count of this.calls.values()) total += count;
    return total;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: { key?: string } = {};
    try {
      body = JSON.parse(text || '{}') as { key?: string };
    } catch {
      body = {};
    }
    this.requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
    const requestId = `req_fake${++this.nextRequestNumber}`;
    if (request.url !== '/v2/keys.verifyKey') return this.send(response, 404, { meta: { requestId }, error: { title: 'Not Found', status: 404, detail: 'no route', type: 'https://unkey.com/docs/errors/unkey/data/not_found' } });
    if (typeof body.key === 'string') this.calls.set(body.key, (this.calls.get(body.key) ?? 0) + 1);

    const fault = this.fault;
    switch (fault.kind) {
      case 'hang':
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
      case 'status':
        response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        response.end(fault.body ?? JSON.stringify({ meta: { requestId }, error: { title: 'Error', status: fault.status, detail: 'injected', type: 'https://unkey.com/docs/errors/injected' } }));
        return;
      case 'reset-mid-body':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        response.write('{"meta":{"requestId":"req_x"},"data":{"val');
        setTimeout(() => response.socket?.destroy(), 5);
        return;
      case 'destroy-before-answer':
        request.socket.destroy();
        return;
      case 'non-json':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>bad gateway</html>');
        return;
      case 'oversized':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(`{"data":"${'x'.repeat(fault.bytes)}"}`);
        return;
      case 'none':
        break;
    }

    if (request.headers.authorization !== `Bearer ${this.rootKey}`) {
      return this.send(response, 401, { meta: { requestId }, error: { title: 'Unauthorized', status: 401, detail: 'The provided root key is invalid.', type: 'https://unkey.com/docs/errors/unkey/authentication/key_not_found' } });
    }
    this.send(response, 200, { meta: { requestId }, data: this.verify(body.key ?? '') });
  }

  private verify(key: string): Record<string, unknown> {
    const record = this.keys.get(key);
    if (!record) return { valid: false, code: 'NOT_FOUND' };
    const now = Date.now();
    const base: Record<string, unknown> = {
      keyId: record.keyId,
      name: record.name,
      meta: record.meta,
      enabled: record.enabled ?? true,
      permissions: record.permissions,
      roles: record.roles,
      identity: record.identity,
      expires: record.expires,
    };
    const answer = (code: string, extra: Record<string, unknown> = {}) => ({ ...base, ...extra, valid: code === 'VALID', code });
    if (record.code) return answer(record.code);
    if (record.enabled === false) return answer('DISABLED');
    if (record.expires !== undefined && record.expires <= now) return answer('EXPIRED');
    let ratelimits: Record<string, unknown>[] | undefined;
    if (record.ratelimit) {
      const { name, limit, duration } = record.ratelimit;
      let window = this.windows.get(key);
      if (!window || now >= window.start + duration) {
        window = { start: now, used: 0 };
        this.windows.set(key, window);
      }
      const exceeded = window.used >= limit;
      if (!exceeded) window.used += 1;
      ratelimits = [{ id: `rl_${name}`, name, limit, duration, reset: window.start + duration, remaining: limit - window.used, exceeded, autoApply: true }];
      if (exceeded) return answer('RATE_LIMITED', { ratelimits, credits: record.credits });
    }
    if (record.credits !== undefined) {
      if (record.credits <= 0) return answer('USAGE_EXCEEDED', { credits: 0, ratelimits });
      record.credits -= 1;
      return answer('VALID', { credits: record.credits, ratelimits });
    }
    return answer('VALID', { ratelimits });
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** A loopback port with nothing listening: connections are refused at once. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
