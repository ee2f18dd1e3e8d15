import { toClerkAnswer } from '../verification.js';
import { toAPIKey } from '../wire.js';
import { toMachineAnswer } from './answers.js';
import type { OpaqueEndpoint } from './opaque-verify.js';
import { toM2MToken, toOAuthAccessToken } from './wire.js';

/** `POST /api_keys/verify {secret}`. */
export const API_KEY_ENDPOINT: OpaqueEndpoint = {
  operation: 'apiKeys.verify',
  path: '/api_keys/verify',
  field: 'secret',
  answer(body, requestId) {
    const apiKey = toAPIKey(body);
    return apiKey && toClerkAnswer(apiKey, requestId);
  },
};

/** `POST /m2m_tokens/verify {token}`, with the machine secret key or the instance secret key. */
export const M2M_TOKEN_ENDPOINT: OpaqueEndpoint = {
  operation: 'm2mTokens.verify',
  path: '/m2m_tokens/verify',
  field: 'token',
  answer(body, requestId) {
    const token = toM2MToken(body);
    return token && toMachineAnswer({ ...token, kind: 'm2m_token' }, requestId);
  },
};

/** `POST /oauth_applications/access_tokens/verify {access_token}`, with the instance secret key. */
export const OAUTH_TOKEN_ENDPOINT: OpaqueEndpoint = {
  operation: 'oauthAccessTokens.verify',
  path: '/oauth_applications/access_tokens/verify',
  field: 'access_token',
  answer(body, requestId) {
    const token = toOAuthAccessToken(body);
    if (!token) return undefined;
    const extraMeta = token.clientId ? { clientId: token.clientId } : undefined;
    return toMachineAnswer({ ...token, kind: 'oauth_token', claims: null, extraMeta }, requestId);
  },
};
