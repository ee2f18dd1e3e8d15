import type { Store } from '../store/store.js';
import type { AuditState } from './types.js';

/** One target of an audited operation, as the request (or its answer) names it; `targets/` makes them. */
export interface AuditTarget {
  type: string;
  /** The request's reference to it (an id, an external id, a slug…); `undefined` for what does not exist yet. */
  ref: string | undefined;
  /** Its state now, or `undefined` when it does not exist (before a create, after a delete). */
  read(store: Store, workspaceId: string): AuditState | undefined;
}

/**
 * What an operation records, declared on its definition: the action's name (Unkey's audit event names where Unkey
 * has one: `key.create`, `api.delete`, …) and its target. `target` is asked before the handler (`result`
 * undefined) and after it, in the same transaction, so `before`/`after` are the target as it was and as it is.
 */
export interface AuditSpec<Input, Result> {
  action: string;
  target(input: Input, result: Result | undefined): AuditTarget;
  /** Facts of the change that are not the target's fields: the new key id of a reroll, `permanent` of a delete. */
  detail?(input: Input, result: Result): Record<string, unknown>;
}
