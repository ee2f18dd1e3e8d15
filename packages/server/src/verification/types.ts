import type { IdentityData } from '../keys/key-response.js';

export type VerificationCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'DISABLED'
  | 'EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'RATE_LIMITED'
  | 'USAGE_EXCEEDED';

export interface VerifyRequest {
  key: string;
  tags?: string[];
  permissions?: string;
  credits?: { cost: number };
  ratelimits?: { name: string; cost?: number; limit?: number; duration?: number }[];
  migrationId?: string;
}

export interface CheckedRatelimit {
  id: string;
  name: string;
  limit: number;
  duration: number;
  reset: number;
  remaining: number;
  exceeded: boolean;
  autoApply: boolean;
}

/** `data` of keys.verifyKey (unkey-v2.md). Early NOT_FOUND answers carry only `valid` and `code`. */
export interface VerifyKeyData {
  valid: boolean;
  code: VerificationCode;
  keyId?: string;
  name?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  credits?: number;
  enabled?: boolean;
  permissions?: string[];
  roles?: string[];
  identity?: IdentityData;
  ratelimits?: CheckedRatelimit[];
}
