import type { ProviderAnswer } from '@keyguard/core';
import { toMachineAnswer } from './machine/answers.js';
import type { APIKey } from './types.js';

/**
 * Turns Clerk's APIKey object (the body of a 200 from `/api_keys/verify`, read by the client's wire parser) into a
 * provider answer of kind `api_key`. A 200 for a revoked or expired key, or one whose expiration has passed, is
 * invalid.
 */
export function toClerkAnswer(apiKey: APIKey, requestId: string | undefined, now = Date.now()): ProviderAnswer {
  return toMachineAnswer({ ...apiKey, kind: 'api_key' }, requestId, now);
}
