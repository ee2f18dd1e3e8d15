import type { DenialResponse, DenyOptions } from '../http/types.js';
import { deny } from '../http/deny.js';
import { evaluatePermissionQuery, parsePermissionQuery } from '../permissions/index.js';
import type { VerifiedKey } from '../types.js';
import type { OnDenied } from './types.js';

/** How a permission check writes its denials. */
export interface PermissionCheckOptions extends DenyOptions {
  /**
   * Customise a denial (status, headers, body) before it is written.
   * @default undefined (the denial as keyguard writes it)
   */
  onDenied?: OnDenied;
}

/** The per-request check: undefined when `apiKey` satisfies the query, else the denial to write. */
export type PermissionCheck = (apiKey: VerifiedKey | undefined) => DenialResponse | undefined;

/** Lets a denial be replaced by the user's `onDenied`, which may also keep it by answering undefined. */
export function customiseDenial(denial: DenialResponse, onDenied: OnDenied | undefined): DenialResponse {
  return onDenied?.(denial) ?? denial;
}

// Cached verifications hand out the same VerifiedKey object on every hit, so its permission set is built once.
const permissionSets = new WeakMap<VerifiedKey, ReadonlySet<string>>();

function permissionSetOf(apiKey: VerifiedKey): ReadonlySet<string> {
  let set = permissionSets.get(apiKey);
  if (!set) {
    set = new Set(apiKey.permissions);
    permissionSets.set(apiKey, set);
  }
  return set;
}

/**
 * Parses a permission query once, when the guard is created (a bad query throws
 * `PermissionQuerySyntaxError` at start-up, not per request), and returns the per-request check:
 * undefined when the key satisfies it, a 401 when no key was verified, a 403 `insufficient_scope` otherwise.
 *
 * @param query - A permission query such as `'docs.read AND (docs.write OR admin)'`.
 * @param options - How denials are written.
 * @returns The check to run per request.
 * @throws PermissionQuerySyntaxError when `query` does not parse.
 */
export function createPermissionCheck(query: string, options: PermissionCheckOptions = {}): PermissionCheck {
  const compiled = parsePermissionQuery(query);
  return (apiKey) => {
    if (!apiKey) return customiseDenial(deny({ reason: 'missing' }, options), options.onDenied);
    if (evaluatePermissionQuery(compiled, permissionSetOf(apiKey))) return undefined;
    return customiseDenial(deny({ reason: 'insufficient_scope', query }, options), options.onDenied);
  };
}
