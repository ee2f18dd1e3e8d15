import type { UnkeyOperation } from './operation.js';

export type Route = { kind: 'liveness' } | { kind: 'operation'; operation: UnkeyOperation } | { kind: 'unknown' };

/** Maps request paths to operations: `GET /v2/liveness` and `POST /v2/<operation>`. */
export class Router {
  private readonly byPath = new Map<string, UnkeyOperation>();

  constructor(operations: readonly UnkeyOperation[]) {
    for (const operation of operations) this.byPath.set(operation.path, operation);
  }

  route(path: string): Route {
    if (path === '/v2/liveness') return { kind: 'liveness' };
    const operation = this.byPath.get(path);
    return operation ? { kind: 'operation', operation } : { kind: 'unknown' };
  }
}
