import type { Call } from '../connection.js';
import { allPages, listOperation } from './pages.js';
import type {
  CreateApiRequest,
  CreateApiResponseData,
  DeleteApiRequest,
  EmptyData,
  GetApiRequest,
  GetApiResponseData,
  KeyResponseData,
  ListKeysRequest,
  UnkeyListResponse,
  UnkeyResponse,
} from '../wire.js';

/** `apis.*` of Unkey API v2: `client.apis`. */
export interface UnkeyApis {
  /** Not retried after it may have reached Unkey: a repeat could create a second API or answer 409. */
  createApi(request: CreateApiRequest): Promise<UnkeyResponse<CreateApiResponseData>>;
  /** `apis.getApi`: the API's id and name. */
  getApi(request: GetApiRequest): Promise<UnkeyResponse<GetApiResponseData>>;
  /**
   * Deletes the API; its keys then verify as NOT_FOUND. Emits a change for the whole API: a verifier given this
   * client drops every cached answer, since it cannot tell which of its keys belonged to the API.
   */
  deleteApi(request: DeleteApiRequest): Promise<UnkeyResponse<EmptyData>>;
  /** One page of keys; pass `pagination.cursor` back as `cursor` while `pagination.hasMore`. */
  listKeys(request: ListKeysRequest): Promise<UnkeyListResponse<KeyResponseData>>;
  /** Every page, following the cursor from `request.cursor` (or the start) to the last page. */
  listKeysAll(request: ListKeysRequest): AsyncGenerator<UnkeyListResponse<KeyResponseData>, void, undefined>;
}

export function createApisGroup(call: Call, apiDeleted: (apiId: string) => void): UnkeyApis {
  const listKeys = listOperation<ListKeysRequest, KeyResponseData>(call, 'apis.listKeys');
  return {
    createApi: async (request) => unwrap(await call<CreateApiResponseData>('apis.createApi', request, 'unsent-only')),
    getApi: async (request) => unwrap(await call<GetApiResponseData>('apis.getApi', request, 'repeatable')),
    // Deleting twice ends in the same state (the second answers 404), so a lost answer may be retried.
    deleteApi: async (request) => {
      const response = unwrap(await call<EmptyData>('apis.deleteApi', request, 'repeatable'));
      apiDeleted(request.apiId);
      return response;
    },
    listKeys,
    listKeysAll: (request) => allPages('apis.listKeys', request, listKeys),
  };
}

function unwrap<T>(envelope: { meta: UnkeyResponse<T>['meta']; data: T }): UnkeyResponse<T> {
  return { meta: envelope.meta, data: envelope.data };
}
