import type { Call } from '../connection.js';
import type {
  CreateKeyRequest,
  CreateKeyResponseData,
  DeleteKeyRequest,
  EmptyData,
  GetKeyRequest,
  KeyResponseData,
  UnkeyResponse,
  UpdateCreditsRequest,
  UpdateCreditsResponseData,
  UpdateKeyRequest,
  VerifyKeyRequest,
  VerifyKeyResponseData,
  WhoamiRequest,
} from '../wire.js';

export interface UnkeyKeys {
  /** Not retried after it may have reached Unkey: a repeat would create a second key. */
  createKey(request: CreateKeyRequest): Promise<UnkeyResponse<CreateKeyResponseData>>;
  getKey(request: GetKeyRequest): Promise<UnkeyResponse<KeyResponseData>>;
  whoami(request: WhoamiRequest): Promise<UnkeyResponse<KeyResponseData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  deleteKey(request: DeleteKeyRequest): Promise<UnkeyResponse<EmptyData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  updateKey(request: UpdateKeyRequest): Promise<UnkeyResponse<EmptyData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  updateCredits(request: UpdateCreditsRequest): Promise<UnkeyResponse<UpdateCreditsResponseData>>;
  /** Never retried after it may have reached Unkey: it may have spent a credit or a rate-limit token. */
  verifyKey(request: VerifyKeyRequest): Promise<UnkeyResponse<VerifyKeyResponseData>>;
}

export function createKeysGroup(call: Call, keyChanged: (keyId: string) => void): UnkeyKeys {
  const send = async <T>(operation: string, request: object, policy: 'repeatable' | 'unsent-only', secrets?: readonly string[]): Promise<UnkeyResponse<T>> => {
    const { meta, data } = await call<T>(operation, request, policy, secrets);
    return { meta, data };
  };
  const changing = async <T>(operation: string, request: { keyId: string }, policy: 'repeatable' | 'unsent-only'): Promise<UnkeyResponse<T>> => {
    const response = await send<T>(operation, request, policy);
    keyChanged(request.keyId);
    return response;
  };

  return {
    createKey: (request) => send('keys.createKey', request, 'unsent-only'),
    getKey: (request) => send('keys.getKey', request, 'repeatable'),
    // The key looked up is a secret too: redacted from anything the server echoes.
    whoami: (request) => send('keys.whoami', request, 'repeatable', [request.key]),
    // Idempotent: a second delete of the same key changes nothing (it answers 404).
    deleteKey: (request) => changing('keys.deleteKey', request, 'repeatable'),
    // A partial update is not safe to replay blindly (it may race a newer update), so only when never sent.
    updateKey: (request) => changing('keys.updateKey', request, 'unsent-only'),
    // increment/decrement are not idempotent.
    updateCredits: (request) => changing('keys.updateCredits', request, 'unsent-only'),
    verifyKey: (request) => send('keys.verifyKey', request, 'unsent-only', [request.key]),
  };
}
