import type { UnkeyOperation } from '../../operation.js';
import { createRootKey } from './create-root-key.js';
import { deleteRootKey } from './delete-root-key.js';
import { getRootKey } from './get-root-key.js';
import { listApis } from './list-apis.js';
import { listAuditLogs } from './list-audit-logs.js';
import { listRootKeys } from './list-root-keys.js';

/**
 * keyguard's own operations, beside Unkey's under `/v2/keyguard.*`: same bearer root key, same envelope and error
 * shape. What Unkey does in its dashboard (listing APIs, managing root keys, reading the audit log); against Unkey they answer 404.
 */
export const KEYGUARD_OPERATIONS: readonly UnkeyOperation[] = [
  listApis,
  createRootKey,
  listRootKeys,
  deleteRootKey,
  getRootKey,
  listAuditLogs,
];
