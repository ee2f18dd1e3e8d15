/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { request } from 'node:http';
import { createKeyServer, type KeyServer, type KeyServerOptions } from '../src/index.js';
import { registerSecret } from '../../../test/support/secrets.js';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Harness {
  server: KeyServer;
  url: string;
  rootKey: string;
  workspaceId: string;
  /** POST /v2/<operation> with the root key (or another, or none with `null`). */
  call<T = any>(operation: string, body: unknown, rootKey?: string | null): Promise<Answer<T>>;
  raw(path: string, init: RequestInit): Promise<Answer>;
  createApi(name?: string): Promise<string>;
  createKey(apiId: string, fields?: Record<string, unknown>): Promise<{ keyId: string; key: string }>;
  verify<T = any>(body: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

let apiCounter = 0;

export async function startHarness(options: KeyServerOptions = {}): Promise<Harness> {
  const server = createKeyServer(options);
  const boot = server.bootstrap();
  const rootKey = options.rootKey ?? boot.rootKey;
  if (!rootKey) throw new Error('no root key');
  registerSecret(rootKey);
  const { url } = await server.start();

  const raw = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(`${url}${path}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body };
  };
  const call = (operation: string, body: unknown, key: string | null = rootKey) =>
    raw(`/v2/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      body: JSON.stringify(body),
    });
  const harness: Harness = {
    server,
    url,
    rootKey,
    workspaceId: boot.workspaceId,
    call,
    raw,
    async createApi(name = `api-${++apiCounter}-${Date.now()}`) {
      const answer = await call('apis.createApi', { name });
      if (answer.status !== 200) throw new Error(`createApi ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.data.apiId as string;
    },
    async createKey(apiId, fields = {}) {
      const answer = await call('keys.createKey', { apiId, ...fields });
      if (answer.status !== 200) throw new Error(`createKey ${answer.status} ${JSON.stringify(answer.body)}`);
      registerSecret(answer.body.data.key);
      return answer.body.data as { keyId: string; key: string };
    },
    async verify(body) {
      const answer = await call('keys.verifyKey', body);
      if (answer.status !== 200) throw new Error(`verifyKey ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.data;
    },
    stop: () => server.stop(),
  };
  return harness;
}

export function rootKeyWith(harness: Harness, permissions: string[]): string {
  const key = harness.server.createRootKey(permissions);
  registerSecret(key);
  return key;
}

/** POSTs `chunks` with `Transfer-Encoding: chunked` (so no Content-Length) and answers the status. */
export function postChunked(url: string, path: string, authorization: string, chunks: string[]): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise<number>((resolve, reject) => {
    const headers = { authorization, 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    const req = request({ host: hostname, port, path, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/**
 * A request over `node:http` whose header values may repeat (`['Bearer a', 'Bearer b']` sends two header lines),
 * which `fetch` cannot do (it joins them). Answers the status, the headers and the parsed JSON (or text) body.
 */
export function rawRequest(
  url: string,
  options: { method: string; path: string; headers: Record<string, string | string[]>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: options.path, method: options.method, headers: options.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
