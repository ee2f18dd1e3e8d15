import { requireAny } from '../permissions/root-key-permissions.js';
import { notFound } from '../../api-error.js';
import type { Store } from '../../store/store.js';
import type { RatelimitNamespaceRecord } from '../../store/repositories/ratelimit-namespaces.js';
import type { RootKeyRecord } from '../../store/types.js';
import { string } from '../../validation/schema.js';

/** `namespace` of the override operations: a namespace name or id (`rlns_…`). */
export const namespaceRef = () => string({ min: 1, max: 512 });
/** `identifier` of the override operations: an identifier, or a pattern with `*` wildcards. */
export const overrideIdentifier = () => string({ min: 1, max: 512 });

/**
 * The namespace (404 when unknown, as Unkey answers: namespaces are created by `ratelimit.limit`), after checking the
 * root key holds `ratelimit.*.<action>` or `ratelimit.<namespaceId>.<action>`.
 */
export function findNamespaceFor(
  store: Store,
  rootKey: RootKeyRecord,
  namespace: string,
  action: string,
): RatelimitNamespaceRecord {
  const found = store.ratelimitNamespaces.find(rootKey.workspaceId, namespace);
  if (!found) throw notFound('RATELIMIT_NAMESPACE_NOT_FOUND', 'This namespace does not exist.');
  requireAny(rootKey, [`ratelimit.*.${action}`, `ratelimit.${found.id}.${action}`]);
  return found;
}
