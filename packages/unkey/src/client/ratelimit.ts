import type { Call } from '../connection.js';
import type {
  DeleteOverrideRequest,
  EmptyData,
  GetOverrideRequest,
  ListOverridesRequest,
  RatelimitLimitRequest,
  RatelimitLimitResponseData,
  RatelimitOverrideData,
  SetOverrideRequest,
  SetOverrideResponseData,
  UnkeyListResponse,
  UnkeyResponse,
} from '../wire.js';
import { allPages, listOperation } from './pages.js';

/**
 * Standalone rate limiting and its overrides. Overrides change what `ratelimit.limit` allows for matching
 * identifiers; Unkey does not apply them to `keys.verifyKey`, so they emit no key change.
 */
export interface UnkeyRatelimit {
  /** Spends `cost` tokens: never retried after it may have reached Unkey. */
  limit(request: RatelimitLimitRequest): Promise<UnkeyResponse<RatelimitLimitResponseData>>;
  /** Setting the same override twice ends in the same state, so a lost answer may be retried. */
  setOverride(request: SetOverrideRequest): Promise<UnkeyResponse<SetOverrideResponseData>>;
  /** `ratelimit.getOverride`: one identifier's override in a namespace. */
  getOverride(request: GetOverrideRequest): Promise<UnkeyResponse<RatelimitOverrideData>>;
  /** One page of a namespace's overrides; pass `pagination.cursor` back as `cursor` while `pagination.hasMore`. */
  listOverrides(request: ListOverridesRequest): Promise<UnkeyListResponse<RatelimitOverrideData>>;
  /** Every page, following the cursor to the last page. */
  listOverridesAll(
    request: ListOverridesRequest,
  ): AsyncGenerator<UnkeyListResponse<RatelimitOverrideData>, void, undefined>;
  /** `ratelimit.deleteOverride`: the identifier falls back to the namespace's default limit. */
  deleteOverride(request: DeleteOverrideRequest): Promise<UnkeyResponse<EmptyData>>;
}

export function createRatelimitGroup(call: Call): UnkeyRatelimit {
  const send = async <T>(
    operation: string,
    request: object,
    policy: 'repeatable' | 'unsent-only',
  ): Promise<UnkeyResponse<T>> => {
    const { meta, data } = await call<T>(operation, request, policy);
    return { meta, data };
  };
  const listOverrides = listOperation<ListOverridesRequest, RatelimitOverrideData>(call, 'ratelimit.listOverrides');
  return {
    limit: (request) => send('ratelimit.limit', request, 'unsent-only'),
    setOverride: (request) => send('ratelimit.setOverride', request, 'repeatable'),
    getOverride: (request) => send('ratelimit.getOverride', request, 'repeatable'),
    listOverrides,
    listOverridesAll: (request) => allPages('ratelimit.listOverrides', request, listOverrides),
    deleteOverride: (request) => send('ratelimit.deleteOverride', request, 'repeatable'),
  };
}
