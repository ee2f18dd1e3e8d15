import type { ProviderAnswer, Verification } from '../types.js';

/** The answer to a key rejected by the local pre-checks (prefix, length, characters), with no call made. */
export const INVALID_FORMAT: Verification = Object.freeze({
  valid: false,
  code: 'INVALID_KEY_FORMAT',
  source: 'local',
});

/** A provider's answer as callers see it, served from `source`: a key is present exactly when it is valid. */
export function verificationOf(answer: ProviderAnswer, source: Verification['source']): Verification {
  const verification: Verification =
    answer.valid && answer.key
      ? { valid: true, code: answer.code, source, key: answer.key }
      : { valid: false, code: answer.valid ? 'UNKNOWN_CODE' : answer.code, source };
  if (answer.ratelimits) verification.ratelimits = answer.ratelimits;
  if (answer.requestId) verification.requestId = answer.requestId;
  if (answer.keyId && !verification.valid) verification.keyId = answer.keyId;
  return verification;
}
