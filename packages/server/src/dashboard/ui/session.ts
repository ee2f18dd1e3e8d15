import { apiClient, type Call } from './api.js';
import { LiveFeed } from './live-feed.js';

/**
 * A signed-in page: the API client and the live feed, both holding the root key in their closures. Nothing else
 * keeps it: signing out (or closing the page) drops it.
 */
export interface Session {
  call: Call;
  feed: LiveFeed;
}

export function openSession(rootKey: string): Session {
  const feed = new LiveFeed(rootKey);
  feed.start();
  return { call: apiClient(rootKey), feed };
}
