import type { Call } from '../connection.js';
import type {
  CreateIdentityRequest,
  CreateIdentityResponseData,
  DeleteIdentityRequest,
  EmptyData,
  GetIdentityRequest,
  IdentityData,
  ListIdentitiesRequest,
  UnkeyListResponse,
  UnkeyResponse,
  UpdateIdentityRequest,
} from '../wire.js';
import { allPages, listOperation } from './pages.js';

/** `identities.*` of Unkey API v2: `client.identities`. */
export interface UnkeyIdentities {
  /** A second identity with the same `externalId` answers 409, so this is retried only when never sent. */
  createIdentity(request: CreateIdentityRequest): Promise<UnkeyResponse<CreateIdentityResponseData>>;
  /** `identities.getIdentity`: by `identity` (its id or external id). */
  getIdentity(request: GetIdentityRequest): Promise<UnkeyResponse<IdentityData>>;
  /** One page of identities; pass `pagination.cursor` back as `cursor` while `pagination.hasMore`. */
  listIdentities(request?: ListIdentitiesRequest): Promise<UnkeyListResponse<IdentityData>>;
  /** Every page, following the cursor to the last page. */
  listIdentitiesAll(request?: ListIdentitiesRequest): AsyncGenerator<UnkeyListResponse<IdentityData>, void, undefined>;
  /** Its keys answer with the new metadata and limits. Emits a change for every key (the client cannot tell which are linked). */
  updateIdentity(request: UpdateIdentityRequest): Promise<UnkeyResponse<IdentityData>>;
  /** Unkey answers `{meta}` alone; `data` is `{}`. Emits a change for every key. */
  deleteIdentity(request: DeleteIdentityRequest): Promise<UnkeyResponse<EmptyData>>;
}

export function createIdentitiesGroup(call: Call, everyKeyChanged: () => void): UnkeyIdentities {
  const listIdentities = listOperation<ListIdentitiesRequest, IdentityData>(call, 'identities.listIdentities');
  return {
    async createIdentity(request) {
      const { meta, data } = await call<CreateIdentityResponseData>(
        'identities.createIdentity',
        request,
        'unsent-only',
      );
      return { meta, data };
    },
    async getIdentity(request) {
      const { meta, data } = await call<IdentityData>('identities.getIdentity', request, 'repeatable');
      return { meta, data };
    },
    listIdentities: (request = {}) => listIdentities(request),
    listIdentitiesAll: (request = {}) => allPages('identities.listIdentities', request, listIdentities),
    // Replacing metadata and limits with the same values twice ends in the same state.
    async updateIdentity(request) {
      const { meta, data } = await call<IdentityData>('identities.updateIdentity', request, 'repeatable');
      everyKeyChanged();
      return { meta, data };
    },
    async deleteIdentity(request) {
      const { meta } = await call<EmptyData>('identities.deleteIdentity', request, 'repeatable', { noData: true });
      everyKeyChanged();
      return { meta, data: {} };
    },
  };
}
