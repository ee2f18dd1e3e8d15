import type { UnkeyClient } from '@keyguard/unkey';
import { UnkeyApiError } from '@keyguard/unkey';
import { CliError } from '../errors.js';
import type { ApiSummary, KeyguardRoutes } from '../keyguard-routes.js';

/** The APIs the root key may read, from the local key service (Unkey's API v2 has no list of APIs). */
export const listApis = (routes: KeyguardRoutes): Promise<ApiSummary[]> => routes.call<ApiSummary[]>('listApis');

/**
 * An API by id (`api_…`) or by name: an id is asked for directly; a name (or an id that is not one) is looked up in
 * the list, so `keyguard apis get payments` finds what `apis create payments` made.
 */
export async function findApi(
  client: UnkeyClient,
  routes: KeyguardRoutes,
  nameOrId: string,
): Promise<{ id: string; name: string }> {
  let notFound: UnkeyApiError | undefined;
  if (nameOrId.startsWith('api_')) {
    try {
      return (await client.apis.getApi({ apiId: nameOrId })).data;
    } catch (error) {
      if (!(error instanceof UnkeyApiError && error.code === 'UNKEY_NOT_FOUND')) throw error;
      notFound = error;
    }
  }
  const found = (await listApis(routes)).find((api) => api.name === nameOrId);
  if (found) return { id: found.id, name: found.name };
  // An id nobody has is the service's 404; a name nobody has, ours.
  throw notFound ?? new CliError(`no API named "${nameOrId}"; \`keyguard apis list\` shows them`);
}
