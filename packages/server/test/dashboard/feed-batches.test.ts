import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_SIZE, type VerificationBatch } from '../../src/dashboard/verification-batch.js';
import { startHarness, type Harness } from '../helpers.js';
import { readFeed, until } from './feed-reader.js';

const TOTAL = 5_000;

/** Verifies TOTAL times, 25 at once: 4/5 valid, 1/10 failing a permission query, 1/10 with a key that is not there. */
async function verifyMany(harness: Harness, key: string): Promise<void> {
  const one = (index: number) =>
    index % 10 === 0
      ? harness.verify({ key: `sk_not_a_key_${index}` })
      : index % 10 === 1
        ? harness.verify({ key, permissions: 'documents.write' })
        : harness.verify({ key });
  for (let index = 0; index < TOTAL; index += 25)
    await Promise.all(Array.from({ length: 25 }, (_, offset) => one(index + offset)));
}

/** The batches' counts summed by code, and checks that their id ranges follow one another without overlap. */
function tally(batches: VerificationBatch[], startId: number): Record<string, number> {
  const byCode: Record<string, number> = {};
  let previous = startId;
  for (const batch of batches) {
    expect(batch.firstId).toBeGreaterThan(previous);
    expect(batch.lastId).toBeGreaterThanOrEqual(batch.firstId);
    previous = batch.lastId;
    expect(batch.events.length).toBeLessThanOrEqual(SAMPLE_SIZE);
    const counted = batch.counts.reduce((sum, row) => sum + row.count, 0);
    expect(batch.events.length + batch.sampledOut).toBe(counted);
    for (const row of batch.counts) byCode[row.code] = (byCode[row.code] ?? 0) + row.count;
  }
  return byCode;
}

describe("the dashboard feed's batches", () => {
  let harness: Harness;
  let apiId: string;
  let key: string;
  beforeAll(async () => {
    harness = await startHarness();
    apiId = await harness.createApi();
    ({ key } = await harness.createKey(apiId, { permissions: ['documents.read'] }));
  });
  afterAll(() => harness.stop());

  it(`count every one of ${TOTAL} verifications once, by code, and send at most ${SAMPLE_SIZE} whole a batch`, async () => {
    const response = await fetch(`${harness.url}/dashboard/events`, {
      headers: { authorization: `Bearer ${harness.rootKey}` },
    });
    const feed = readFeed(response);
    await until(() => feed.startId !== undefined);
    await verifyMany(harness, key);
    await until(() => feed.counted() >= TOTAL);
    // One more flush period: a count past TOTAL would be a verification counted twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await feed.stop();
    expect(feed.counted()).toBe(TOTAL);
    expect(tally(feed.batches, feed.startId!)).toEqual({
      VALID: 4_000,
      INSUFFICIENT_PERMISSIONS: 500,
      NOT_FOUND: 500,
    });
    const ids = feed.batches.flatMap((batch) => batch.events.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
    const received = ids.length;
    const sampledOut = feed.batches.reduce((sum, batch) => sum + batch.sampledOut, 0);
    expect(received + sampledOut).toBe(TOTAL);
    expect(JSON.stringify(feed.batches)).not.toContain(key);
  });

  it('hold and keep counting for a client that does not read, and send it all once it does', async () => {
    const { port } = new URL(harness.url);
    let paused: IncomingMessage | undefined;
    const opened = new Promise<void>((resolve, reject) => {
      const client = httpRequest(
        { host: '127.0.0.1', port, path: '/dashboard/events', headers: { authorization: `Bearer ${harness.rootKey}` } },
        (response) => {
          paused = response;
          response.pause();
          resolve();
        },
      );
      client.on('error', reject).end();
    });
    await opened;
    // Every verification is answered while the client reads nothing: a slow client never holds the verify path.
    await verifyMany(harness, key);
    let text = '';
    paused!.setEncoding('utf8');
    paused!.on('data', (chunk: string) => (text += chunk));
    paused!.resume();
    const batches = () =>
      text
        .split('\n\n')
        .filter((block) => block.startsWith('event: verifications'))
        .map((block) => JSON.parse(block.split('data: ')[1]!) as VerificationBatch);
    const counted = () => batches().reduce((sum, batch) => sum + batch.counts.reduce((n, row) => n + row.count, 0), 0);
    await until(() => counted() >= TOTAL);
    await new Promise((resolve) => setTimeout(resolve, 500));
    paused!.destroy();
    expect(counted()).toBe(TOTAL);
    expect(text).not.toContain('event: dropped');
  });
});
