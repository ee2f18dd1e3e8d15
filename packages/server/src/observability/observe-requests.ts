import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLogger } from '../key-server/console-logger.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { OperationLabels } from './operation-label.js';
import type { ServiceMetrics } from './service-metrics.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface ObserveOptions {
  labels: OperationLabels;
  /** Absent: no `/metrics` route and nothing counted. */
  metrics: ServiceMetrics | undefined;
  logger: KeyServerLogger;
  /** Whether this request may read `/metrics`; absent: everyone may. Refused ones get 401 with a Bearer challenge. */
  mayReadMetrics?: (request: IncomingMessage) => boolean;
}

function serveMetrics(request: IncomingMessage, response: ServerResponse, metrics: ServiceMetrics): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response
      .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      .end('Use GET for /metrics.\n');
    return;
  }
  metrics.exposition().then(
    (text) => {
      response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : text);
    },
    () => {
      response
        .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('The metrics could not be collected.\n');
    },
  );
}

/**
 * Wraps the service's request handler: `GET /metrics` in Prometheus' text format, and for every other request its
 * count, duration and one structured log line (request id, method, operation, status, duration; never the path,
 * headers or body, where a key may be). One place, outside the request pipeline.
 */
export function observeRequests(
  handler: Handler,
  { labels, metrics, logger, mayReadMetrics }: ObserveOptions,
): Handler {
  return (request, response) => {
    if (metrics && (request.url === '/metrics' || request.url?.startsWith('/metrics?'))) {
      if (mayReadMetrics && !mayReadMetrics(request)) {
        response
          .writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'text/plain; charset=utf-8' })
          .end('Send Authorization: Bearer <root key> for /metrics.\n');
        return;
      }
      return serveMetrics(request, response, metrics);
    }
    const started = performance.now();
    response.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const operation = labels.of(request.method, request.url);
      metrics?.answered(operation, response.statusCode, seconds);
      // The default logger writes nothing: no line is put together for it, on every request.
      if (logger === silentLogger) return;
      const requestId = response.getHeader('unkey-request-id');
      logger.info('request', {
        ...(typeof requestId === 'string' ? { requestId } : {}),
        method: request.method,
        operation,
        status: response.statusCode,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      });
    });
    handler(request, response);
  };
}
