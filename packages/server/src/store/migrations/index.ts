import type { Migration } from './types.js';
import { coreSchema } from './v1-core.js';
import { clerkApiKeys } from './v2-clerk-api-keys.js';
import { rateLimitNamespaces } from './v3-rate-limit-namespaces.js';
import { rootKeyNames } from './v4-root-key-names.js';
import { clerkMachineAuth } from './v5-clerk-machine-auth.js';
import { auditLog } from './v6-audit-log.js';
import { machineSecretKeyExpiry } from './v7-machine-secret-key-expiry.js';

export type { Migration } from './types.js';

/** Every migration of the schema, oldest first: `migrate` applies those past the database's `schema_version` in this order. */
export const MIGRATIONS: readonly Migration[] = [
  coreSchema,
  clerkApiKeys,
  rateLimitNamespaces,
  rootKeyNames,
  clerkMachineAuth,
  auditLog,
  machineSecretKeyExpiry,
];
