import { MACHINE_AUTH_OPERATIONS } from '../clerk/machine-auth/operations.js';
import { CLERK_OPERATIONS } from '../clerk/operations/index.js';
import { unkeyOperationName } from '../unkey/operation.js';
import { UNKEY_OPERATIONS } from '../unkey/operations/index.js';
import { KEYGUARD_OPERATIONS } from '../unkey/operations/keyguard/index.js';

/** The operation label of a request nothing answers (an unknown path, or a known one with the wrong method). */
export const UNKNOWN_OPERATION = 'unknown';

interface ClerkPattern {
  method: string;
  regex: RegExp;
  label: string;
}

/**
 * Names the operation a request asks for, from a fixed list: Unkey's operation names (`keys.verifyKey`,
 * `liveness`), and Clerk's method and path template (`clerk POST /api_keys/verify`). A bounded set, so it can be a
 * metric label; never the path itself, which a confused client may have put a key in.
 */
export class OperationLabels {
  private readonly unkey = new Map<string, string>();
  private readonly clerk: ClerkPattern[];

  constructor() {
    for (const operation of [...UNKEY_OPERATIONS, ...KEYGUARD_OPERATIONS])
      this.unkey.set(`${operation.method} ${operation.path}`, unkeyOperationName(operation));
    this.unkey.set('GET /v2/liveness', 'liveness');
    this.unkey.set('HEAD /v2/liveness', 'liveness');
    // Clerk's official SDKs call `/v1/…` and unversioned paths (`/api_keys…`, `/m2m_tokens…`); literal paths before
    // `:id` ones, as routed.
    this.clerk = [...CLERK_OPERATIONS, ...MACHINE_AUTH_OPERATIONS]
      .map((operation) => ({
        method: operation.method,
        regex: new RegExp(`^(?:/v1)?${operation.path.replace(/[.]/g, '\\.').replace(/:(id|other)\b/g, '[^/]+')}$`),
        label: `clerk ${operation.method} ${operation.path}`,
        literal: !operation.path.includes(':id'),
      }))
      .sort((a, b) => Number(b.literal) - Number(a.literal))
      .map(({ method, regex, label }) => ({ method, regex, label }));
  }

  of(method: string | undefined, url: string | undefined): string {
    const path = (url ?? '/').split('?')[0] ?? '/';
    const unkey = this.unkey.get(`${method} ${path}`);
    if (unkey) return unkey;
    for (const pattern of this.clerk) if (pattern.method === method && pattern.regex.test(path)) return pattern.label;
    return UNKNOWN_OPERATION;
  }
}
