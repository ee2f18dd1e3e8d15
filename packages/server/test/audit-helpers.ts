/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire formats, checked by assertions */
import { expect } from 'vitest';
import { createKeyServer, type KeyServer, type KeyServerOptions } from '../src/index.js';
import { findLeaks, leakRegistry, registerSecret } from '../../../test/support/secrets.js';
import type { Answer } from './helpers.js';

/** A started key service with a known root key and Clerk secret key, a clock the test moves, and the audit log. */
export interface AuditHarness {
  server: KeyServer;
  url: string;
  rootKey: string;
  advance(ms: number): void;
  now(): number;
  /** `POST /v2/<operation>` with the root key (or another). */
  call(operation: string, body: unknown, rootKey?: string, headers?: Record<string, string>): Promise<Answer>;
  /** `METHOD /v1<path>` with the Clerk secret key. */
  clerk(method: string, path: string, body?: unknown): Promise<Answer>;
  /** Every entry, newest first, through `keyguard.listAuditLogs` pages (of `limit`). */
  entries(filters?: Record<string, unknown>, limit?: number): Promise<any[]>;
  stop(): Promise<void>;
}

const randomText = (length: number) =>
  Array.from({ length }, () => 'abcdefghijkmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 35)]).join('');

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

export async function startAuditHarness(options: KeyServerOptions = {}): Promise<AuditHarness> {
  let now = Date.UTC(2026, 5, 1);
  const rootKey = `kgroot_${randomText(32)}`;
  const clerkSecretKey = `sk_test_${randomText(32)}`;
  registerSecret(rootKey, clerkSecretKey);
  const server = createKeyServer({ rootKey, clerkSecretKey, clock: () => now, ...options });
  const { url } = await server.start();
  const call = async (operation: string, body: unknown, key = rootKey, headers: Record<string, string> = {}) =>
    answerOf(
      await fetch(`${url}/v2/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: JSON.stringify(body),
      }),
    );
  const clerk = async (method: string, path: string, body?: unknown) =>
    answerOf(
      await fetch(`${url}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${clerkSecretKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const entries = async (filters: Record<string, unknown> = {}, limit = 100) => {
    const found: any[] = [];
    let cursor: string | undefined;
    do {
      const answer = await call('keyguard.listAuditLogs', { ...filters, limit, ...(cursor ? { cursor } : {}) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      found.push(...answer.body.data);
      cursor = answer.body.pagination?.cursor;
    } while (cursor);
    return found;
  };
  return {
    server,
    url,
    rootKey,
    advance: (ms) => (now += ms),
    now: () => now,
    call,
    clerk,
    entries,
    stop: () => server.stop(),
  };
}

/** Fails when any registered key or secret (root keys, Clerk secret keys, keys created) shows in `entries`. */
export function expectNoSecretIn(entries: readonly unknown[]): void {
  const texts = entries.map((entry) => JSON.stringify(entry));
  // The count, not the list: a failure must not print the secret it found.
  expect(findLeaks(texts, leakRegistry().secrets).length, 'entries holding a registered secret').toBe(0);
}
