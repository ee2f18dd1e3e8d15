import type { ClerkOperation } from '../operation.js';
import { createApiKey } from './create.js';
import { deleteApiKey } from './delete.js';
import { getApiKey } from './get.js';
import { getApiKeySecret } from './get-secret.js';
import { listApiKeys } from './list.js';
import { revokeApiKey } from './revoke.js';
import { updateApiKey } from './update.js';
import { verifyApiKey } from './verify.js';

/** Every `/v1/api_keys…` operation the server answers (Clerk's Backend API). */
export const CLERK_OPERATIONS: readonly ClerkOperation[] = [
  createApiKey,
  listApiKeys,
  verifyApiKey,
  getApiKey,
  updateApiKey,
  deleteApiKey,
  getApiKeySecret,
  revokeApiKey,
];
