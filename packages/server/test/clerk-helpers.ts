/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { expect } from 'vitest';
import { createKeyServer, type KeyServer, type KeyServerOptions } from '../src/index.js';
import { registerSecret } from '../../../test/support/secrets.js';
import type { Answer } from './helpers.js';

export interface ClerkHarness {
  server: KeyServer;
  /** `http://host:port`. */
  url: string;
  /** `http://host:port/v1`, as a Clerk base URL. */
  baseUrl: string;
  secretKey: string;
  /** The server's clock; `advance` moves it. */
  now(): number;
  advance(ms: number): void;
  /** `METHOD /v1<path>` with the secret key (or another, or none with `null`); a non-string body is sent as JSON. */
  request<T = any>(method: string, path: string, body?: unknown, secretKey?: string | null): Promise<Answer<T>>;
  /** `POST /v1/api_keys`, expecting 201 (Created); registers the secret with the leak watch. */
  create<T = any>(fields: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export async function startClerkHarness(options: KeyServerOptions = {}): Promise<ClerkHarness> {
  let now = options.clock?.() ?? Date.UTC(2026, 0, 1);
  const server = createKeyServer({ clock: () => now, ...options });
  const boot = server.bootstrap();
  const secretKey = options.clerkSecretKey ?? boot.clerkSecretKey;
  if (!secretKey) throw new Error('no Clerk secret key');
  registerSecret(secretKey);
  if (boot.rootKey) registerSecret(boot.rootKey);
  const { url } = await server.start();
  const baseUrl = `${url}/v1`;

  const request = async (
    method: string,
    path: string,
    body?: unknown,
    key: string | null = secretKey,
  ): Promise<Answer> => {
    const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    server,
    url,
    baseUrl,
    secretKey,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    request,
    async create(fields) {
      const answer = await request('POST', '/api_keys', fields);
      if (answer.status !== 201) throw new Error(`create ${answer.status} ${JSON.stringify(answer.body)}`);
      registerSecret(answer.body.secret);
      return answer.body;
    },
    stop: () => server.stop(),
  };
}

/** A Clerk error answer: `{errors:[{message, long_message, code, meta?}], clerk_trace_id}` with this status (and first code). */
export function expectClerkError(answer: Pick<Answer, 'status' | 'body'>, status: number, code?: string): any[] {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.clerk_trace_id).toEqual(expect.any(String));
  expect(answer.body.errors.length).toBeGreaterThan(0);
  for (const error of answer.body.errors) {
    expect(error).toEqual({
      message: expect.any(String),
      long_message: expect.any(String),
      code: expect.any(String),
      ...(error.meta ? { meta: expect.any(Object) } : {}),
    });
  }
  if (code) expect(answer.body.errors[0].code).toBe(code);
  return answer.body.errors;
}
