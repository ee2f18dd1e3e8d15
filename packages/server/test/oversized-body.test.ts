import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { startHarness, type Harness } from './helpers.js';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('./fixtures/post-large-bodies.mjs', import.meta.url));
const MB = 1024 * 1024;
const TRIES = 30;
/** Only a guard against a hang: 30 tries of megabytes take seconds, longer on a busy machine. */
const HANG_GUARD_MS = 180_000;

let h: Harness;
let clerk: ClerkHarness;
beforeAll(async () => {
  h = await startHarness();
  clerk = await startClerkHarness();
});
afterAll(async () => {
  await h.stop();
  await clerk.stop();
});

/** How `TRIES` POSTs of `bytes` bytes ended, seen by a real client in its own process: `{"400": 30}` is all good. */
async function outcomes(
  url: string,
  path: string,
  authorization: string,
  bytes: number,
): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [CLIENT, url, path, authorization, String(bytes), String(TRIES)], {
    timeout: HANG_GUARD_MS,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

describe('an answer given before the body was read reaches a client that is still sending', () => {
  it(
    `/v2 body over maxBodyBytes (1 MiB): 2 MB and 5 MB, ${TRIES} tries each, every one gets its 400`,
    async () => {
      expect(await outcomes(h.url, '/v2/apis.createApi', `Bearer ${h.rootKey}`, 2 * MB)).toEqual({ 400: TRIES });
      expect(await outcomes(h.url, '/v2/apis.createApi', `Bearer ${h.rootKey}`, 5 * MB)).toEqual({ 400: TRIES });
    },
    HANG_GUARD_MS,
  );

  it(
    `Clerk route, 5 MB, ${TRIES} tries`,
    async () => {
      expect(await outcomes(clerk.url, '/v1/api_keys', `Bearer ${clerk.secretKey}`, 5 * MB)).toEqual({ 400: TRIES });
    },
    HANG_GUARD_MS,
  );

  it(
    `an unknown root key on a 5 MB body: ${TRIES} times 401`,
    async () => {
      expect(await outcomes(h.url, '/v2/apis.createApi', 'Bearer kgroot_unknownunknownunknown', 5 * MB)).toEqual({
        401: TRIES,
      });
    },
    HANG_GUARD_MS,
  );
});

/** Sends headers and `sent` bytes of a body, then waits; answers the status and the Connection header, or the error. */
function stall(
  url: string,
  headers: Record<string, string>,
  sent: number,
  keepSending = false,
): Promise<{ status?: number; connection?: string; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      { host: hostname, port, path: '/v2/apis.createApi', method: 'POST', agent: false, headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.write(Buffer.alloc(sent, 0x61));
    if (!keepSending) return;
    // A hostile client that never stops: write whenever the socket drains.
    const more = () => {
      while (req.write(Buffer.alloc(64 * 1024, 0x61)));
    };
    req.on('drain', more);
    more();
  });
}

describe('discarding is bounded, so a hostile client cannot hold the connection', () => {
  it('a client that stops sending is answered after discardTimeoutMs, and the connection closed', async () => {
    const quick = await startHarness({ discardTimeoutMs: 50 });
    const answer = await stall(
      quick.url,
      {
        authorization: 'Bearer kgroot_unknownunknownunknown',
        'content-type': 'application/json',
        'content-length': '100000',
      },
      10,
    );
    expect(answer).toEqual({ status: 401, connection: 'close' });
    await quick.stop();
  });

  it('a client that never stops sending is cut after maxDiscardBytes; the server stays healthy', async () => {
    const small = await startHarness({ maxBodyBytes: 1024, maxDiscardBytes: 64 * 1024 });
    const answer = await stall(
      small.url,
      { authorization: `Bearer ${small.rootKey}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      1,
      true,
    );
    // Cut while the client writes: it may see the 400 or a reset, but it is never left hanging.
    expect(answer.status === 400 || answer.error !== undefined).toBe(true);
    if (answer.status) expect(answer.connection).toBe('close');
    expect((await small.raw('/v2/liveness', { method: 'GET' })).status).toBe(200);
    await small.stop();
  });

  it('a declared length over maxDiscardBytes is not read at all', async () => {
    const small = await startHarness({ maxBodyBytes: 1024, maxDiscardBytes: 4096 });
    const answer = await stall(
      small.url,
      {
        authorization: `Bearer ${small.rootKey}`,
        'content-type': 'application/json',
        'content-length': String(10 * MB),
      },
      10,
    );
    expect(answer).toEqual({ status: 400, connection: 'close' });
    await small.stop();
  });
});
