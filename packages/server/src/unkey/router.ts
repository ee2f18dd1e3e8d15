import type { Endpoint } from './operation.js';

export type Route = { kind: 'liveness' } | { kind: 'endpoint'; endpoint: Endpoint } | { kind: 'unknown' };

/** Maps request paths to endpoints: `GET /v2/liveness` and `POST /v2/<operation>`. */
export class Router {
  private readonly byPath = new Map<string, Endpoint>();

  constructor(endpoints: readonly Endpoint[]) {
    for (const endpoint of endpoints) this.byPath.set(`/v2/${endpoint.operation}`, endpoint);
  }

  route(path: string): Route {
    if (path === '/v2/liveness') return { kind: 'liveness' };
    const endpoint = this.byPath.get(path);
    return endpoint ? { kind: 'endpoint', endpoint } : { kind: 'unknown' };
  }
}
