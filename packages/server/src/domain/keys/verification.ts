import type { UnkeyVerificationCode } from '@keyguard/core/service';
import type { VerifyKeyRateLimit, VerifyKeyRequest, VerifyKeyResponseData } from '@keyguard/unkey';

// The wire types are @keyguard/unkey's (its client and provider read what this server writes); the server narrows `code` to the codes it
// actually answers.
/** The codes `keys.verifyKey` answers: Unkey's. */
export type VerificationCode = UnkeyVerificationCode;
export type VerifyRequest = VerifyKeyRequest;
export type CheckedRatelimit = VerifyKeyRateLimit;

/** `data` of keys.verifyKey (docs/unkey-v2.md). Early NOT_FOUND answers carry only `valid` and `code`. */
export type VerifyKeyData = Omit<VerifyKeyResponseData, 'code'> & { code: VerificationCode };
