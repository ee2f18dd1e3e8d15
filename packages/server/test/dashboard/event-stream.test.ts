import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStream, MAX_QUEUED_EVENTS } from '../../src/dashboard/event-stream.js';
import { startClerkHarness } from '../clerk-helpers.js';

/** Every `event:` block of an SSE body, parsed. */
const blocks = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => ({ event: block.split('\n')[0]!.slice(7), data: JSON.parse(block.split('data: ')[1]!) }));

describe('an SSE client that does not keep up', () => {
  let server: Server | undefined;
  afterAll(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  it('gets what its connection took, at most MAX_QUEUED_EVENTS more, and then how many were dropped', async () => {
    const sent = 5_000;
    server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const stream = new EventStream(response);
      // All in one turn of the event loop: the socket takes the first few, the rest wait or are dropped.
      for (let index = 0; index < sent; index++) stream.send('verification', { index, padding: 'x'.repeat(1000) });
      setTimeout(() => response.end(), 200);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path: '/' }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    const events = blocks(body);
    const received = events.filter((event) => event.event === 'verification');
    const dropped = events.filter((event) => event.event === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(received.length + (dropped[0]!.data as { count: number }).count).toBe(sent);
    // 16 KiB of the writable's buffer is some 16 events of 1 kB; far fewer than sent get through.
    expect(received.length).toBeLessThanOrEqual(MAX_QUEUED_EVENTS + 64);
    expect(received.map((event) => (event.data as { index: number }).index)).toEqual(
      [...received.keys()].map((index) => index),
    );
  });
});

describe("Clerk API keys' verifications in the feed", () => {
  it('reach a root key that may read keys of every API, not one limited to an API', async () => {
    const clerk = await startClerkHarness({ clock: Date.now });
    try {
      const rootKey = clerk.server.createRootKey(['api.*.read_key']);
      const scoped = clerk.server.createRootKey(['api.api_nothing_here.read_key']);
      const open = (key: string) =>
        fetch(`${clerk.url}/dashboard/events`, { headers: { authorization: `Bearer ${key}` } });
      const [all, limited] = await Promise.all([open(rootKey), open(scoped)]);
      const apiKey = await clerk.create({ name: 'ci-key', subject: 'user_123' });
      expect((await clerk.request('POST', '/api_keys/verify', { secret: apiKey.secret })).status).toBe(200);
      const reader = all.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!/event: verifications[^]*\n\n/.test(text)) text += (await reader.read()).value ?? '';
      await reader.cancel();
      const batch = blocks(text.slice(0, text.lastIndexOf('\n\n') + 2)).find(({ event }) => event === 'verifications');
      const { events, counts } = batch!.data as { events: unknown[]; counts: unknown[] };
      expect(events[0]).toMatchObject({ format: 'clerk', code: 'VALID', keyId: apiKey.id });
      expect(counts).toEqual([{ keyId: apiKey.id, code: 'VALID', count: 1 }]);
      expect(JSON.stringify(batch)).not.toContain(apiKey.secret);
      const other = limited.body!.pipeThrough(new TextDecoderStream()).getReader();
      const first = await other.read();
      expect(first.value).not.toContain('event: verification');
      await other.cancel();
    } finally {
      await clerk.stop();
    }
  });
});
