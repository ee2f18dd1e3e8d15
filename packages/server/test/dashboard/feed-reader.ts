import type { VerificationBatch } from '../../src/dashboard/verification-batch.js';

/** What a feed client has read so far: its `start` id and every `verifications` batch, parsed. */
export interface FeedReading {
  startId: number | undefined;
  batches: VerificationBatch[];
  /** Every verification counted by the batches read so far. */
  counted(): number;
  /** Stops reading (and closes the stream). */
  stop(): Promise<void>;
}

/** Reads `<path>/events` from `response` in the background until stopped. */
export function readFeed(response: Response): FeedReading {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading: FeedReading = {
    startId: undefined,
    batches: [],
    counted: () =>
      reading.batches.reduce((sum, batch) => sum + batch.counts.reduce((total, row) => total + row.count, 0), 0),
    stop: () => reader.cancel(),
  };
  void (async () => {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('data: ')[1];
        if (block.startsWith('event: start')) reading.startId = (JSON.parse(data!) as { lastId: number }).lastId;
        if (block.startsWith('event: verifications')) reading.batches.push(JSON.parse(data!) as VerificationBatch);
      }
    }
  })();
  return reading;
}

/** Polls `condition` every 20 ms for up to `timeoutMs` (a count to reach, never a timing to assert). */
export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
