import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestTarget } from '../http/target.js';
import type { RequestHandler } from '../http/request-handler.js';
import type { VerificationFeed } from '../observability/verification-feed.js';
import { openVerificationHistory, type VerificationHistory } from '../observability/verification-history.js';
import type { Store } from '../store/store.js';
import { loadDashboardAssets, type DashboardAssets } from './assets.js';
import { openEventStream, type FeedClient } from './event-stream.js';
import { answerHistory } from './history-route.js';
import { IMMUTABLE, REVALIDATE, SECURITY_HEADERS } from './headers.js';
import { dashboardPage } from './page.js';
import { authenticateRootKey, sendText } from './root-key-auth.js';

/** The dashboard's routes in front of the service, and a way to end its open event streams when the server stops. */
export interface Dashboard {
  handler: RequestHandler;
  /** Ends every open event stream (they would otherwise hold `stop()` until its timeout). */
  close(): void;
}

function sendBody(
  request: IncomingMessage,
  response: ServerResponse,
  asset: { body: Buffer; gzip?: Buffer; contentType: string },
  cacheControl: string,
): void {
  const gzip = asset.gzip !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip! : asset.body;
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': asset.contentType,
    'Content-Length': String(body.length),
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function events(request: IncomingMessage, response: ServerResponse, context: DashboardContext): void {
  const signedIn = authenticateRootKey(request, response, context.store, 'the event stream');
  if (signedIn) openEventStream(request, response, { ...context, ...signedIn });
}

function history(request: IncomingMessage, response: ServerResponse, context: DashboardContext): void {
  const signedIn = authenticateRootKey(request, response, context.store, 'the history');
  if (!signedIn) return;
  const { feed } = context;
  // Every open feed sends what it holds first, so that no batch spans the `lastId` answered (no count twice).
  for (const stream of context.streams) stream.flush();
  answerHistory(response, requestTarget(request.url).query, {
    history: context.history,
    rootKey: signedIn.rootKey,
    lastId: feed.lastId,
    now: feed.clock(),
  });
}

interface DashboardContext {
  path: string;
  store: Store;
  feed: VerificationFeed;
  history: VerificationHistory;
  streams: Set<FeedClient>;
  assets: () => DashboardAssets | undefined;
}

function route(request: IncomingMessage, response: ServerResponse, rest: string, context: DashboardContext): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'The dashboard answers GET and HEAD only.', { Allow: 'GET, HEAD' });
    return;
  }
  if (rest === '/events') return events(request, response, context);
  if (rest === '/history') return history(request, response, context);
  const assets = context.assets();
  if (!assets) {
    sendText(response, 503, "The dashboard's files are not built: run pnpm build in the keyguard repository.");
    return;
  }
  if (rest === '' || rest === '/') {
    const page = Buffer.from(dashboardPage(context.path, assets.script, assets.style));
    return sendBody(request, response, { body: page, contentType: 'text/html; charset=utf-8' }, REVALIDATE);
  }
  const asset = rest.startsWith('/assets/') ? assets.files.get(rest.slice('/assets/'.length)) : undefined;
  if (!asset) return sendText(response, 404, 'No such page of the dashboard.');
  sendBody(request, response, asset, IMMUTABLE);
}

/**
 * The dashboard under `path`, on the service's own port: the page and its assets (read from the build once, on
 * first use), `<path>/events`, the live verifications as server-sent events for a root key, and `<path>/history`,
 * the recent ones (kept from the moment the dashboard is made). Every other
 * request goes on to `service`. The page calls the service's `/v2` operations with the root key typed into it, so
 * the dashboard has no authentication of its own.
 */
export function createDashboard(
  service: RequestHandler,
  options: { path: string; store: Store; feed: VerificationFeed },
): Dashboard {
  let loaded: DashboardAssets | undefined;
  const context: DashboardContext = {
    ...options,
    history: openVerificationHistory(options.feed),
    streams: new Set(),
    assets: () => (loaded ??= loadDashboardAssets()),
  };
  return {
    handler(request, response) {
      // The verify path passes here too: one string test before anything is parsed.
      if (!request.url?.startsWith(options.path) && !request.url?.includes('://')) return service(request, response);
      const path = requestTarget(request.url).path;
      const under = path === options.path || path.startsWith(`${options.path}/`);
      if (!under) return service(request, response);
      route(request, response, path.slice(options.path.length), context);
    },
    close() {
      for (const stream of context.streams) stream.end();
    },
  };
}
