import { ApiError } from '../api-error.js';
import type { Store } from '../store/store.js';

/**
 * A subject's valid keys (neither revoked nor expired: the ones `list` shows by default) have distinct names; a
 * revoked or expired key frees its name. 409 otherwise. `exceptId`: the key being updated.
 */
export function assertNameFree(
  store: Store,
  workspaceId: string,
  subject: string,
  name: string,
  now: number,
  exceptId?: string,
): void {
  if (!store.clerkApiKeys.validNameTaken(workspaceId, subject, name, now, exceptId)) return;
  throw new ApiError(409, 'API_ALREADY_EXISTS', `The subject already has a valid API key named "${name}".`, {
    clerkCode: 'duplicate_record',
    issues: [
      {
        location: 'body.name',
        message: 'is already used by a valid key of this subject',
        fix: 'choose another name, or revoke the other key',
        clerkCode: 'duplicate_record',
      },
    ],
  });
}
