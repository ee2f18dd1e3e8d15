import type { IncomingMessage, ServerResponse } from 'node:http';
import { misbehave, type Fault } from './faults.js';
import { LoopbackServer } from './loopback-server.js';
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
  private readonly server = new LoopbackServer((request, response) => void this.handle(request, response));
  private nextRequestNumber = 0;
  url = '';

  constructor() {
    registerSecret(this.rootKey);
  }

  async start(): Promise<this> {
    this.url = await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
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
    // keyguard's own routes (the provider's one root-key question) are no Unkey call: answered 404, not counted.
    if (request.url?.startsWith('/v2/keyguard.')) return this.send(response, 404, { meta: { requestId: 'req_fake' } });
    this.requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
    const requestId = `req_fake${++this.nextRequestNumber}`;
    if (request.url !== '/v2/keys.verifyKey')
      return this.send(response, 404, {
        meta: { requestId },
        error: {
          title: 'Not Found',
          status: 404,
          detail: 'no route',
          type: 'https://unkey.com/docs/errors/unkey/data/not_found',
        },
      });
    if (typeof body.key === 'string') this.calls.set(body.key, (this.calls.get(body.key) ?? 0) + 1);

    const injectedError = (status: number) =>
      JSON.stringify({
        meta: { requestId },
        error: { title: 'Error', status, detail: 'injected', type: 'https://unkey.com/docs/errors/injected' },
      });
    if (await misbehave(this.fault, request, response, injectedError)) return;

    if (request.headers.authorization !== `Bearer ${this.rootKey}`) {
      return this.send(response, 401, {
        meta: { requestId },
        error: {
          title: 'Unauthorized',
          status: 401,
          detail: 'The provided root key is invalid.',
          type: 'https://unkey.com/docs/errors/unkey/authentication/key_not_found',
        },
      });
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
    const answer = (code: string, extra: Record<string, unknown> = {}) => ({
      ...base,
      ...extra,
      valid: code === 'VALID',
      code,
    });
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
      ratelimits = [
        {
          id: `rl_${name}`,
          name,
          limit,
          duration,
          reset: window.start + duration,
          remaining: limit - window.used,
          exceeded,
          autoApply: true,
        },
      ];
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
