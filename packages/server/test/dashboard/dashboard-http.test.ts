import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, KeyServerOptionError } from '../../src/index.js';
import { startHarness, type Harness } from '../helpers.js';
import { buildDashboardAssets } from './support.js';

/** Reads server-sent events from `<path>/events` until `count` verifications arrived whole (in its batches). */
async function readVerifications(response: Response, count: number): Promise<Record<string, unknown>[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Record<string, unknown>[] = [];
  let text = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const blocks = text.split('\n\n');
    text = blocks.pop() ?? '';
    for (const block of blocks)
      if (block.startsWith('event: verifications'))
        events.push(...(JSON.parse(block.split('data: ')[1]!) as { events: Record<string, unknown>[] }).events);
  }
  await reader.cancel();
  return events;
}

describe('the dashboard over HTTP', () => {
  let harness: Harness;
  beforeAll(async () => {
    await buildDashboardAssets();
    harness = await startHarness();
  });
  afterAll(() => harness.stop());

  it('serves the page with a strict CSP, no-referrer, nosniff and no framing, and its assets immutable', async () => {
    const page = await fetch(`${harness.url}/dashboard/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style>|\son\w+=/);
    const script = /src="(\/dashboard\/assets\/app-[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${harness.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${harness.url}/dashboard`)).status).toBe(200);
    expect((await fetch(`${harness.url}/dashboard/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${harness.url}/dashboard/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers the event stream only to a root key, sent in the Authorization header', async () => {
    expect((await fetch(`${harness.url}/dashboard/events`)).status).toBe(401);
    const wrong = await fetch(`${harness.url}/dashboard/events`, {
      headers: { authorization: 'Bearer not_a_root_key_123' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('not_a_root_key_123');
  });

  it('streams each verification with its API, key id and failed check, to root keys that may read that API', async () => {
    const apiId = await harness.createApi();
    const other = await harness.createApi();
    const { key, keyId } = await harness.createKey(apiId, { permissions: ['documents.read'] });
    const { key: otherKey } = await harness.createKey(other);
    const scoped = harness.server.createRootKey([`api.${apiId}.read_key`, `api.${apiId}.read_api`]);
    const open = (rootKey: string) =>
      fetch(`${harness.url}/dashboard/events`, { headers: { authorization: `Bearer ${rootKey}` } });
    const [all, onlyOne] = await Promise.all([open(harness.rootKey), open(scoped)]);
    expect(all.headers.get('content-type')).toContain('text/event-stream');
    const allEvents = readVerifications(all, 3);
    const scopedEvents = readVerifications(onlyOne, 2);
    await harness.verify({ key: otherKey });
    await harness.verify({ key });
    await harness.verify({ key, permissions: 'documents.write' });
    const seen = await allEvents;
    expect(seen.map((event) => event.code)).toEqual(['VALID', 'VALID', 'INSUFFICIENT_PERMISSIONS']);
    expect(seen[2]).toMatchObject({ apiId, keyId, failedCheck: 'permissions', permissions: 'documents.write' });
    const scopedSeen = await scopedEvents;
    expect(scopedSeen.map((event) => event.apiId)).toEqual([apiId, apiId]);
    for (const event of [...seen, ...scopedSeen]) expect(JSON.stringify(event)).not.toContain(key);
  });

  it('ends open event streams when the server stops, without waiting for its stop timeout', async () => {
    const own = await startHarness({ stopTimeoutMs: 60_000 });
    const stream = await fetch(`${own.url}/dashboard/events`, { headers: { authorization: `Bearer ${own.rootKey}` } });
    const reading = stream.text();
    await own.stop();
    await expect(reading).resolves.toContain('keyguard verifications');
  });
});

describe('the dashboard option', () => {
  it('moves with { path } and is gone with false', async () => {
    await buildDashboardAssets();
    const moved = await startHarness({ dashboard: { path: '/admin/keys' } });
    const none = await startHarness({ dashboard: false });
    try {
      expect((await fetch(`${moved.url}/admin/keys/`)).status).toBe(200);
      expect((await fetch(`${moved.url}/dashboard/`)).status).toBe(404);
      expect((await fetch(`${none.url}/dashboard/`)).status).toBe(404);
    } finally {
      await Promise.all([moved.stop(), none.stop()]);
    }
  });

  it.each([{ path: '/' }, { path: '/v2/dash' }, { path: 'dashboard' }, { path: '/metrics' }, { other: 1 }, true])(
    'refuses %j',
    (dashboard) => {
      expect(() => createKeyServer({ dashboard: dashboard as never })).toThrow(KeyServerOptionError);
    },
  );
});
