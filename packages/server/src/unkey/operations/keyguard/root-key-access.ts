import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import type { RootKeyRecord } from '../../../store/types.js';

/** 403 unless the root key may do `action` on root keys: `rbac.*.<action>_root_key`, or `*`. */
export function requireRootKeyPermission(rootKey: RootKeyRecord, action: 'create' | 'read' | 'delete'): void {
  requireAny(rootKey, ['*', `rbac.*.${action}_root_key`]);
}
