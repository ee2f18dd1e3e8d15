import { ApiCallError } from './api.js';
import type { History } from './types.js';

/** A key's history or an API's, by id, or (empty) the latest of all: ids only, the key never goes in a URL. */
export type HistoryQuery = { keyId: string } | { apiId: string } | Record<string, never>;

// Beside the script, under the dashboard's path: `<path>/assets/app-….js` → `<path>/history`.
const HISTORY_URL = new URL('../history', import.meta.url).href;

/** Reads `<path>/history` with the root key in the Authorization header, as the live feed reads `<path>/events`. */
export function historyClient(rootKey: string): (query: HistoryQuery) => Promise<History> {
  return async (query) => {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    const url = search ? `${HISTORY_URL}?${search}` : HISTORY_URL;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `Bearer ${rootKey}` },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiCallError(0, 'UNREACHABLE', 'The key service did not answer.');
    }
    if (!response.ok)
      throw new ApiCallError(response.status, `HTTP_${response.status}`, (await response.text()).trim());
    return (await response.json()) as History;
  };
}
