import { badRequest, forbidden } from '../../api-error.js';
import type { RootKeyRecord } from '../../store/types.js';
import { ALL_ROOT_PERMISSIONS } from '../permissions/root-key-permissions.js';

/** `<resource>.<id or *>.<action>`, e.g. `api.api_123.verify_key`, or `*` for everything. */
const PERMISSION_PATTERN = /^(?<resource>[a-z]+)\.(?<id>\*|[A-Za-z0-9_-]+)\.(?<action>[a-z_]+)$/;

/** The wildcard form of a permission (`api.api_123.verify_key` → `api.*.verify_key`), or undefined when malformed. */
function wildcardOf(permission: string): string | undefined {
  const groups = PERMISSION_PATTERN.exec(permission)?.groups;
  return groups ? `${groups.resource}.*.${groups.action}` : undefined;
}

/** Whether `holder` may hand out `permission`: a root key never creates one that can do more than itself. */
function holds(holder: RootKeyRecord, permission: string): boolean {
  if (holder.permissions.has('*') || holder.permissions.has(permission)) return true;
  const wildcard = wildcardOf(permission);
  return wildcard !== undefined && holder.permissions.has(wildcard);
}

/**
 * Checks the permissions asked for a new root key: each one known to this server (400 otherwise, naming it) and
 * held by the root key creating it (403 otherwise), so a narrow key cannot mint a wider one.
 */
export function checkGrantable(creator: RootKeyRecord, permissions: readonly string[]): void {
  permissions.forEach((permission, index) => {
    const wildcard = permission === '*' ? '*' : wildcardOf(permission);
    if (wildcard === undefined || (wildcard !== '*' && !ALL_ROOT_PERMISSIONS.includes(wildcard))) {
      throw badRequest(`Unknown root key permission "${permission}".`, [
        {
          location: `body.permissions[${index}]`,
          message: 'is not a permission this server knows',
          fix: 'use <resource>.<id or *>.<action>, e.g. api.<apiId>.verify_key or api.*.verify_key, or *',
        },
      ]);
    }
  });
  const missing = permissions.filter((permission) => !holds(creator, permission));
  if (missing.length > 0)
    throw forbidden(`This root key cannot grant permissions it does not hold itself: ${missing.join(', ')}.`);
}
