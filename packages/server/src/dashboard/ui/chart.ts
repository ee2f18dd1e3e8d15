import { html } from './preact.js';
import type { VNode } from 'preact';
import { formatDuration, OUTCOMES, outcomeClass } from './format.js';
import type { MinuteCounts } from './types.js';

export interface Bucket {
  start: number;
  counts: Map<string, number>;
  total: number;
}

/** Verifications of one code at one time: one verification, or a count of them from a batch of the feed. */
export interface Countable {
  time: number;
  code: string;
  count?: number;
}

/** Counts verifications by outcome in `count` buckets of `width` ms ending at `now`. */
export function bucketize(events: readonly Countable[], now: number, width: number, count: number): Bucket[] {
  const first = Math.floor(now / width) * width - (count - 1) * width;
  const buckets: Bucket[] = Array.from({ length: count }, (_, index) => ({
    start: first + index * width,
    counts: new Map(),
    total: 0,
  }));
  for (const event of events) {
    const bucket = buckets[Math.floor((event.time - first) / width)];
    if (!bucket) continue;
    const n = event.count ?? 1;
    bucket.counts.set(event.code, (bucket.counts.get(event.code) ?? 0) + n);
    bucket.total += n;
  }
  return buckets;
}

/** Adds per-minute counts (from the server's history) into buckets of a minute each. */
export function addMinutes(buckets: Bucket[], minutes: readonly MinuteCounts[]): Bucket[] {
  const byStart = new Map(buckets.map((bucket) => [bucket.start, bucket]));
  for (const minute of minutes) {
    const bucket = byStart.get(minute.start);
    if (!bucket) continue;
    for (const [code, n] of Object.entries(minute.counts)) {
      bucket.counts.set(code, (bucket.counts.get(code) ?? 0) + n);
      bucket.total += n;
    }
  }
  return buckets;
}

const WIDTH = 720;
const HEIGHT = 160;

/**
 * Verifications by outcome over time, as stacked bars in hand-drawn SVG: one chart of one kind needs no chart
 * library. Colours come from classes (styles.css), so the strict CSP holds; the totals are in the label too.
 */
export function OutcomeChart({ buckets, seconds }: { buckets: Bucket[]; seconds: number }): VNode {
  const max = Math.max(1, ...buckets.map((bucket) => bucket.total));
  const barWidth = WIDTH / buckets.length;
  const totals = new Map<string, number>();
  for (const bucket of buckets) for (const [code, n] of bucket.counts) totals.set(code, (totals.get(code) ?? 0) + n);
  const summary = [...totals].map(([code, n]) => `${n} ${code}`).join(', ') || 'no verifications';
  return html`<figure class="chart">
    <svg
      viewBox=${`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label=${`Verifications over the last ${formatDuration(seconds * 1000)}: ${summary}`}
    >
      ${buckets.map((bucket, index) => {
        let y = HEIGHT;
        return OUTCOMES.filter((code) => bucket.counts.has(code)).map((code) => {
          const height = ((bucket.counts.get(code) ?? 0) / max) * (HEIGHT - 10);
          y -= height;
          return html`<rect
            class=${outcomeClass(code)}
            x=${index * barWidth + 1}
            y=${y}
            width=${barWidth - 2}
            height=${height}
          />`;
        });
      })}
    </svg>
    <figcaption>
      Last ${formatDuration(seconds * 1000)}, most ${max} in one bar.
      ${OUTCOMES.filter((code) => totals.has(code)).map(
        (code) =>
          html` <span class="legend"
            ><span class=${`swatch ${outcomeClass(code)}`}></span>${code} ${totals.get(code)}</span
          >`,
      )}
    </figcaption>
  </figure>`;
}
