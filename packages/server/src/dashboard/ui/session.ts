import { apiClient, type Call } from './api.js';
import { LiveFeed } from './live-feed.js';
import { historyClient, type HistoryQuery } from './history-client.js';
import type { History } from './types.js';

/**
 * A signed-in page: the API client, the live feed and the history, all holding the root key in their closures. Nothing else
 * keeps it: signing out (or closing the page) drops it.
 */
export interface Session {
  call: Call;
  feed: LiveFeed;
  /** The server's recent verifications of a key or an API (`<path>/history`). */
  history: (query: HistoryQuery) => Promise<History>;
}

export function openSession(rootKey: string): Session {
  const feed = new LiveFeed(rootKey);
  feed.start();
  return { call: apiClient(rootKey), feed, history: historyClient(rootKey) };
}
