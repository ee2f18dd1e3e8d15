import type { Store } from '../../store/store.js';
import type { AuditState } from '../types.js';
import type { AuditTarget } from '../spec.js';

/** Reads a target's state by the reference the request (or its answer) gives; `undefined` when it does not exist. */
export type StateReader<Ref> = (store: Store, workspaceId: string, ref: Ref) => AuditState | undefined;

/** A target of `type` found by `read` from `ref`; nothing is read for an undefined `ref` (what is not created yet). */
export function auditTarget<Ref>(
  type: string,
  read: StateReader<Ref>,
  ref: Ref | undefined,
  shown: (ref: Ref) => string,
): AuditTarget {
  return {
    type,
    ref: ref === undefined ? undefined : shown(ref),
    read: (store, workspaceId) => (ref === undefined ? undefined : read(store, workspaceId, ref)),
  };
}

/** A target referenced by a string: an id, an external id, a slug, a name. */
export const targetById = (type: string, read: StateReader<string>, ref: string | undefined): AuditTarget =>
  auditTarget(type, read, ref, (id) => id);

/** The id an operation's answer gives for what it created (`data.keyId` of `keys.createKey`), or `undefined`. */
export function createdId(result: unknown, field: string): string | undefined {
  const data = (result as { data?: Record<string, unknown> } | undefined)?.data;
  const id = data?.[field];
  return typeof id === 'string' ? id : undefined;
}
