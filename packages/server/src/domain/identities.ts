import { notFound } from '../api-error.js';
import type { Store } from '../store/store.js';
import type { IdentityRecord } from '../store/types.js';
import { string } from '../validation/schema.js';

/** `identity` of the identity operations: an identity id (`id_…`) or an external id. */
export const identityRef = () => string({ min: 1, max: 255 });

/** The identity `identity` (id or external id) of the workspace, else 404. */
export function findIdentity(store: Store, workspaceId: string, identity: string): IdentityRecord {
  const found = store.identities.find(workspaceId, identity);
  if (!found) throw notFound('IDENTITY_NOT_FOUND', 'This identity does not exist.');
  return found;
}
