import { ApiError } from '../../api-error.js';
import type { MachineOperation } from './operation.js';

interface Pattern {
  operation: MachineOperation;
  regex: RegExp;
}

/**
 * Maps `METHOD [/v1]/<path>` to a machine-auth operation and its `:id`, with the rules of the API-key routes
 * (`clerk/router.ts`): literal paths before `:id` ones, 404 for an unknown path, 405 for a wrong method, and
 * messages that never repeat the path.
 */
export class MachineRouter {
  private readonly patterns: Pattern[];

  constructor(operations: readonly MachineOperation[]) {
    this.patterns = operations
      .map((operation) => ({
        operation,
        regex: new RegExp(
          `^(?:/v1)?${operation.path.replace(/[.]/g, '\\.').replace(':id', '([^/]+)').replace(':other', '([^/]+)')}$`,
        ),
        literal: !operation.path.includes(':id'),
      }))
      .sort((a, b) => Number(b.literal) - Number(a.literal))
      .map(({ operation, regex }) => ({ operation, regex }));
  }

  /** The operation, its `:id` and, on paths with two ids (`/machines/:id/scopes/:other`), its `:other`. */
  match(method: string, path: string): { operation: MachineOperation; id: string; otherId: string } {
    const candidates = this.patterns.flatMap((pattern) => {
      const found = pattern.regex.exec(path);
      return found ? [{ operation: pattern.operation, id: found[1] ?? '', otherId: found[2] ?? '' }] : [];
    });
    if (candidates.length === 0) throw new ApiError(404, 'ROUTE_NOT_FOUND', 'There is no operation at this path.');
    const chosen = candidates.find((candidate) => candidate.operation.method === method);
    if (chosen) return chosen;
    const allowed = [...new Set(candidates.map((candidate) => candidate.operation.method))].join(', ');
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Use ${allowed} for this path.`, { headers: { Allow: allowed } });
  }
}
