import type { UnkeyVerificationCode, VerifyKeyRateLimit, VerifyKeyRequest, VerifyKeyResponseData } from '@keyguard/core';

// The wire types are core's (the client reads what this server writes); the server narrows `code` to the codes it
// actually answers.
export type VerificationCode = UnkeyVerificationCode;
export type VerifyRequest = VerifyKeyRequest;
export type CheckedRatelimit = VerifyKeyRateLimit;

/** `data` of keys.verifyKey (unkey-v2.md). Early NOT_FOUND answers carry only `valid` and `code`. */
export type VerifyKeyData = Omit<VerifyKeyResponseData, 'code'> & { code: VerificationCode };
