import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server.js';
import { registerSecret } from './secrets.js';

/** The eight operations, as counted by `calls(…)`. */
export type ClerkOperation = 'create' | 'list' | 'get' | 'update' | 'delete' | 'getSecret' | 'revoke' | 'verify';

/** A key as stored: Clerk's APIKey object on the wire (snake_case) plus its secret; `expired` is computed. */
interface StoredKey {
  id: string;
  type: string;
  subject: string;
  name: string;
  description: string | null;
  claims: unknown;
  scopes: string[];
  revoked: boolean;
  revocation_reason: string | null;
  expiration: number | null;
  created_by: string | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
  secret: string;
}

/** A key put straight into the store (no HTTP call), for tests that only verify. */
export interface SeedKey {
  subject?: string;
  name?: string;
  type?: string;
  description?: string | null;
  claims?: unknown;
  scopes?: string[];
  revoked?: boolean;
  revocationReason?: string | null;
  /** Unix ms; null never expires. */
  expiration?: number | null;
  createdBy?: string | null;
}

/** How a request misbehaves instead of being answered. */
export type ClerkFault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'non-json'; status?: number }
  | { kind: 'reset' };

export interface RecordedClerkRequest {
  operation: ClerkOperation | 'unknown';
  method: string;
  /** As received, with the `/v1` prefix and the raw query. */
  url: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface ClerkErrorBody {
  code: string;
  message: string;
  long_message: string;
  meta?: Record<string, unknown>;
}

class ClerkHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: ClerkErrorBody,
  ) {
    super(error.long_message);
  }
}

const SUBJECT = /^(user|org|mch)_[A-Za-z0-9]+$/;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const notFound = () =>
  new ClerkHttpError(404, { code: 'resource_not_found', message: 'not found', long_message: 'Resource not found' });
const invalidParam = (param: string, longMessage: string) =>
  new ClerkHttpError(400, {
    code: 'form_param_format_invalid',
    message: 'is invalid',
    long_message: longMessage,
    meta: { param_name: param },
  });
const missingParam = (param: string) =>
  new ClerkHttpError(400, {
    code: 'form_param_missing',
    message: 'missing required parameter',
    long_message: `${param} must be included.`,
    meta: { param_name: param },
  });

/** Reads an optional integer query parameter within bounds, or throws Clerk's 400. */
function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw invalidParam(name, `${name} must be an integer between ${min} and ${max}`);
  return value;
}

function secondsUntilExpiration(body: Record<string, unknown>, now: number): number | null | undefined {
  const seconds = body.seconds_until_expiration;
  if (seconds === undefined) return undefined;
  if (seconds === null) return null;
  if (typeof seconds !== 'number' || !(seconds > 0))
    throw invalidParam('seconds_until_expiration', 'seconds_until_expiration must be greater than 0');
  return now + seconds * 1000;
}

function scopesOf(body: Record<string, unknown>): string[] | undefined {
  if (body.scopes === undefined) return undefined;
  if (!Array.isArray(body.scopes) || !body.scopes.every((scope) => typeof scope === 'string'))
    throw invalidParam('scopes', 'scopes must be a list of strings');
  return body.scopes as string[];
}

/**
 * A small stand-in for Clerk's Backend API `api_keys` endpoints: real HTTP on loopback under `/v1`, the eight
 * operations over an in-memory map, Clerk's error format, call counting and injectable faults. A test fixture,
 * not the local key server. Every secret it knows is registered with the suite's leak watch.
 */
export class FakeClerk {
  readonly secretKey = 'sk_test_fakeclerk_0123456789abcdef';
  readonly requests: RecordedClerkRequest[] = [];
  /** Applied to every request while set (after `queuedFaults` are used up). */
  fault: ClerkFault | undefined;
  /** Applied one per request, in order, before `fault`. */
  readonly queuedFaults: ClerkFault[] = [];
  private readonly keys = new Map<string, StoredKey>();
  private readonly server = new LoopbackServer((request, response) => void this.handle(request, response));
  private nextTrace = 0;
  /** Base URL of the API, `/v1` included. */
  url = '';

  constructor() {
    registerSecret(this.secretKey);
  }

  async start(): Promise<this> {
    this.url = `${await this.server.start()}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Puts a key in the store without a request; answers its id and secret. */
  add(seed: SeedKey = {}): { id: string; secret: string } {
    const now = Date.now();
    const key: StoredKey = {
      id: `ak_${hex(16)}`,
      type: seed.type ?? 'api_key',
      subject: seed.subject ?? 'user_seed',
      name: seed.name ?? 'seeded key',
      description: seed.description ?? null,
      claims: seed.claims ?? null,
      scopes: seed.scopes ?? [],
      revoked: seed.revoked ?? false,
      revocation_reason: seed.revocationReason ?? null,
      expiration: seed.expiration ?? null,
      created_by: seed.createdBy ?? null,
      last_used_at: null,
      created_at: now,
      updated_at: now,
      secret: `ak_${hex(24)}`,
    };
    this.store(key);
    return { id: key.id, secret: key.secret };
  }

  /** Fails the next requests with these faults, one each. */
  failNext(...faults: ClerkFault[]): void {
    this.queuedFaults.push(...faults);
  }

  calls(operation: ClerkOperation): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  get totalCalls(): number {
    return this.requests.length;
  }

  /** Forgets requests and faults; keeps the keys. */
  reset(): void {
    this.requests.length = 0;
    this.queuedFaults.length = 0;
    this.fault = undefined;
  }

  private store(key: StoredKey): void {
    registerSecret(key.secret);
    this.keys.set(key.id, key);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const route = this.route(method, url.pathname);
    this.requests.push({
      operation: route?.operation ?? 'unknown',
      method,
      url: request.url ?? '',
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    });
    const traceId = `trace_fake${++this.nextTrace}`;

    const fault = this.queuedFaults.shift() ?? this.fault;
    if (fault) return this.misbehave(fault, request, response, traceId);

    try {
      if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
        throw new ClerkHttpError(401, {
          code: 'authentication_invalid',
          message: 'Invalid authentication',
          long_message: 'The secret key provided is invalid',
        });
      }
      if (!route) throw notFound();
      // 201 for create, as `keyguard serve` answers (the status both official clients accept).
      this.send(response, route.operation === 'create' ? 201 : 200, route.answer(body, url.searchParams));
    } catch (error) {
      if (!(error instanceof ClerkHttpError)) throw error;
      this.send(response, error.status, { errors: [error.error], clerk_trace_id: traceId });
    }
  }

  private misbehave(fault: ClerkFault, request: IncomingMessage, response: ServerResponse, traceId: string): void {
    switch (fault.kind) {
      case 'hang':
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'non-json':
        response.writeHead(fault.status ?? 200, { 'content-type': 'text/html' });
        response.end('<html>bad gateway</html>');
        return;
      case 'status':
        response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        response.end(
          fault.body ??
            JSON.stringify({
              errors: [{ code: 'injected', message: 'injected', long_message: 'an injected fault' }],
              clerk_trace_id: traceId,
            }),
        );
        return;
    }
  }

  private route(
    method: string,
    pathname: string,
  ): { operation: ClerkOperation; answer: (body: unknown, query: URLSearchParams) => unknown } | undefined {
    const segments = pathname.split('/').slice(1);
    if (segments[0] !== 'v1' || segments[1] !== 'api_keys') return undefined;
    const [id, action] = segments.slice(2).map(decodeURIComponent);
    if (id === undefined) {
      if (method === 'POST') return { operation: 'create', answer: (body) => this.create(body) };
      if (method === 'GET') return { operation: 'list', answer: (_body, query) => this.list(query) };
      return undefined;
    }
    if (id === 'verify' && action === undefined && method === 'POST')
      return { operation: 'verify', answer: (body) => this.verify(body) };
    if (action === undefined) {
      if (method === 'GET') return { operation: 'get', answer: () => this.wire(this.find(id)) };
      if (method === 'PATCH') return { operation: 'update', answer: (body) => this.update(id, body) };
      if (method === 'DELETE') return { operation: 'delete', answer: () => this.delete(id) };
      return undefined;
    }
    if (action === 'secret' && method === 'GET')
      return { operation: 'getSecret', answer: () => ({ secret: this.find(id).secret }) };
    if (action === 'revoke' && method === 'POST')
      return { operation: 'revoke', answer: (body) => this.revoke(id, body) };
    return undefined;
  }

  private find(id: string): StoredKey {
    const key = this.keys.get(id);
    if (!key) throw notFound();
    return key;
  }

  private wire(key: StoredKey, withSecret = false): Record<string, unknown> {
    const { secret, ...fields } = key;
    const expired = key.expiration !== null && key.expiration <= Date.now();
    return { object: 'api_key', ...fields, expired, ...(withSecret ? { secret } : {}) };
  }

  private isUsable(key: StoredKey): boolean {
    return !key.revoked && (key.expiration === null || key.expiration > Date.now());
  }

  private create(body: unknown): unknown {
    if (!isRecord(body))
      throw new ClerkHttpError(400, {
        code: 'request_body_invalid',
        message: 'invalid body',
        long_message: 'The request body is not a JSON object',
      });
    if (body.name === undefined) throw missingParam('name');
    if (body.subject === undefined) throw missingParam('subject');
    const { name, subject } = body;
    if (typeof name !== 'string' || name.length < 3 || name.trim() !== name) {
      throw invalidParam('name', 'name must be at least 3 characters long, without leading or trailing spaces');
    }
    if (typeof subject !== 'string' || !SUBJECT.test(subject))
      throw invalidParam('subject', 'subject must be a user_, org_ or mch_ id');
    for (const key of this.keys.values()) {
      if (key.subject === subject && key.name === name && this.isUsable(key)) {
        throw new ClerkHttpError(409, {
          code: 'duplicate_record',
          message: 'duplicate',
          long_message: 'An API key with this name already exists for this subject',
        });
      }
    }
    const now = Date.now();
    const seed = this.add({
      subject,
      name,
      type: typeof body.type === 'string' ? body.type : undefined,
      description: typeof body.description === 'string' ? body.description : null,
      claims: body.claims ?? null,
      scopes: scopesOf(body),
      createdBy: typeof body.created_by === 'string' ? body.created_by : null,
      expiration: secondsUntilExpiration(body, now) ?? null,
    });
    return this.wire(this.find(seed.id), true);
  }

  private list(query: URLSearchParams): unknown {
    const subject = query.get('subject');
    if (!subject) throw missingParam('subject');
    const includeInvalid = query.get('include_invalid') ?? 'false';
    if (includeInvalid !== 'true' && includeInvalid !== 'false')
      throw invalidParam('include_invalid', 'include_invalid must be true or false');
    const limit = integerParam(query, 'limit', 10, 1, 100);
    const offset = integerParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const type = query.get('type');
    const search = query.get('query')?.toLowerCase();
    const matching = [...this.keys.values()]
      .reverse()
      .filter((key) => key.subject === subject && (type === null || key.type === type))
      .filter((key) => includeInvalid === 'true' || this.isUsable(key))
      .filter((key) => search === undefined || key.name.toLowerCase().includes(search));
    return { data: matching.slice(offset, offset + limit).map((key) => this.wire(key)), total_count: matching.length };
  }

  private update(id: string, body: unknown): unknown {
    const key = this.find(id);
    if (!isRecord(body))
      throw new ClerkHttpError(400, {
        code: 'request_body_invalid',
        message: 'invalid body',
        long_message: 'The request body is not a JSON object',
      });
    if (body.name !== undefined) throw invalidParam('name', 'name cannot be changed');
    if (body.subject !== undefined && (typeof body.subject !== 'string' || !SUBJECT.test(body.subject)))
      throw invalidParam('subject', 'subject must be a user_, org_ or mch_ id');
    const now = Date.now();
    const scopes = scopesOf(body);
    const expiration = secondsUntilExpiration(body, now);
    if (scopes !== undefined) key.scopes = scopes;
    if (body.claims !== undefined) key.claims = body.claims;
    if (body.description !== undefined)
      key.description = typeof body.description === 'string' ? body.description : null;
    if (typeof body.subject === 'string') key.subject = body.subject;
    if (expiration !== undefined) key.expiration = expiration;
    key.updated_at = now;
    return this.wire(key);
  }

  private delete(id: string): unknown {
    this.find(id);
    this.keys.delete(id);
    return { id, object: 'api_key', deleted: true };
  }

  private revoke(id: string, body: unknown): unknown {
    const key = this.find(id);
    const reason = isRecord(body) ? body.revocation_reason : undefined;
    key.revoked = true;
    key.revocation_reason = typeof reason === 'string' ? reason : null;
    key.updated_at = Date.now();
    return this.wire(key);
  }

  private verify(body: unknown): unknown {
    if (!isRecord(body) || typeof body.secret !== 'string' || body.secret.length === 0) throw missingParam('secret');
    const key = [...this.keys.values()].find((candidate) => candidate.secret === body.secret);
    // Unknown, revoked and expired keys all answer 404, as Clerk does.
    if (!key || !this.isUsable(key)) throw notFound();
    key.last_used_at = Date.now();
    return this.wire(key);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}
