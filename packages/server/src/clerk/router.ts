import type { ClerkOperation } from './operation.js';
import { ApiError } from '../api-error.js';

/**
 * Whether a request path belongs to the Clerk-compatible API. Clerk's official clients call two forms: generated
 * SDKs use the OpenAPI server `https://api.clerk.com/v1` (`/v1/api_keys…`), `@clerk/backend` calls
 * `${apiUrl}/api_keys…` without a version segment. Anything else under `/v1/` answers in Clerk's format too.
 */
export const isClerkPath = (path: string): boolean =>
  path.startsWith('/v1/') || path === '/api_keys' || path.startsWith('/api_keys/');

interface Pattern {
  operation: ClerkOperation;
  regex: RegExp;
  /** Literal paths (`/api_keys/verify`) win over paths with an `:id` (`/api_keys/:id`). */
  literal: boolean;
}

/**
 * Maps `METHOD [/v1]/<path>` to an operation and its `:id`; 404 for an unknown path, 405 for a wrong method.
 * Messages do not repeat the path (a confused client may put a secret in it).
 */
export class ClerkRouter {
  private readonly patterns: Pattern[];

  constructor(operations: readonly ClerkOperation[]) {
    this.patterns = operations
      .map((operation) => ({
        operation,
        regex: new RegExp(`^(?:/v1)?${operation.path.replace(/[.]/g, '\\.').replace(':id', '([^/]+)')}$`),
        literal: !operation.path.includes(':id'),
      }))
      .sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  match(method: string, path: string): { operation: ClerkOperation; id: string } {
    const candidates = this.patterns.flatMap((pattern) => {
      const found = pattern.regex.exec(path);
      return found ? [{ operation: pattern.operation, id: found[1] ?? '' }] : [];
    });
    if (candidates.length === 0) throw new ApiError(404, 'ROUTE_NOT_FOUND', 'There is no operation at this path.');
    const chosen = candidates.find((candidate) => candidate.operation.method === method);
    if (chosen) return chosen;
    const allowed = [...new Set(candidates.map((candidate) => candidate.operation.method))].join(', ');
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Use ${allowed} for this path.`, { headers: { Allow: allowed } });
  }
}
