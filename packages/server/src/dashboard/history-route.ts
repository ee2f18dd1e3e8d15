import type { ServerResponse } from 'node:http';
import { mayOnApi } from '../domain/permissions/root-key-permissions.js';
import type { HistoryEvent } from '../observability/event-ring.js';
import type { MinuteCounts } from '../observability/minute-series.js';
import type { VerificationHistory } from '../observability/verification-history.js';
import type { RootKeyRecord } from '../store/types.js';
import { mayWatchApi } from './event-stream.js';
import { SECURITY_HEADERS } from './headers.js';
import { sendText } from './root-key-auth.js';

/**
 * The answer of `GET <path>/history`: the latest verifications the root key may see (oldest first), per-minute
 * counts by outcome over the last hour (for a key or an API), and the id of the feed's latest event, so that a page
 * also reading `<path>/events` counts only the events after it.
 */
export interface HistoryAnswer {
  events: HistoryEvent[];
  minutes?: MinuteCounts[];
  lastId: number;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

/**
 * Answers `?keyId=<id>` (that key's latest verifications and its minutes), `?apiId=<id>` (the API's among the
 * latest of all, and its minutes) or neither (the latest of all): only what the event stream would have sent this
 * root key. A key of an API the root key may not read answers as a key never verified, so nothing tells it exists.
 */
export function answerHistory(
  response: ServerResponse,
  query: URLSearchParams,
  context: { history: VerificationHistory; rootKey: RootKeyRecord; lastId: number; now: number },
): void {
  const { history, rootKey, lastId, now } = context;
  const keyId = query.get('keyId');
  const apiId = query.get('apiId');
  if (keyId !== null && apiId !== null) return sendText(response, 400, 'Ask for one of keyId and apiId, not both.');
  if (keyId !== null) {
    const key = history.ofKey(keyId, now);
    if (!mayWatchApi(rootKey, key.apiId)) return sendJson(response, 200, { events: [], minutes: [], lastId });
    const events = key.events.filter((event) => mayWatchApi(rootKey, event.apiId));
    return sendJson(response, 200, { events, minutes: key.minutes, lastId } satisfies HistoryAnswer);
  }
  if (apiId !== null) {
    if (!mayOnApi(rootKey, 'read_key', apiId))
      return sendText(response, 403, 'The root key may not read keys of this API.');
    const events = history.latestEvents((eventApiId) => eventApiId === apiId);
    return sendJson(response, 200, {
      events,
      minutes: history.minutesOfApi(apiId, now),
      lastId,
    } satisfies HistoryAnswer);
  }
  const events = history.latestEvents((eventApiId) => mayWatchApi(rootKey, eventApiId));
  sendJson(response, 200, { events, lastId } satisfies HistoryAnswer);
}
