import { html } from './preact.js';
import type { VNode } from 'preact';
import { addMinutes, bucketize, OutcomeChart } from './chart.js';
import { useFeed, useLoad, useNow } from './hooks.js';
import type { Session } from './session.js';
import type { CountRow, History, Verification } from './types.js';

type OneQuery = { keyId: string } | { apiId: string };

const matching = (query: OneQuery) => (event: { keyId?: string; apiId?: string }) =>
  'keyId' in query ? event.keyId === query.keyId : event.apiId === query.apiId;

/**
 * The server's history of a key or an API, then what the live feed brought since: the feed's counts of batches after
 * the history's `lastId` (the server sends every open feed's batch before it answers one, so none spans it) and the
 * verifications it sent whole, so that none is counted twice.
 */
export function useHistory(
  session: Session,
  query: OneQuery,
): { history: History | undefined; live: CountRow[]; recent: Verification[]; error: Error | undefined } {
  const feed = useFeed(session.feed);
  const id = 'keyId' in query ? `key:${query.keyId}` : `api:${query.apiId}`;
  const loaded = useLoad(() => session.history(query), [id]);
  const lastId = loaded.data?.lastId ?? Infinity;
  const live = feed.counts.filter((row) => row.firstId > lastId && matching(query)(row));
  const recent = feed.events.filter((event) => event.id > lastId && matching(query)(event));
  return { history: loaded.data, live, recent, error: loaded.error };
}

/** Verifications by outcome per minute over the last hour: the server's counts, then the live feed's. */
export function HourChart({ history, live }: { history: History | undefined; live: CountRow[] }): VNode {
  // Redrawn every 10 s, and on each live event: a verification in a minute that began since is counted at once.
  const now = Math.max(useNow(10_000), live.at(-1)?.time ?? 0);
  const buckets = addMinutes(bucketize(live, now, 60_000, 60), history?.minutes ?? []);
  return html`<${OutcomeChart} buckets=${buckets} seconds=${3600} />`;
}
