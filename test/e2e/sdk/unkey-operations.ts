import type { Unkey } from '@unkey/api';

/** The 36 operations of Unkey's API v2 that its SDKs list (apis, identities, keys, permissions, ratelimit). */
export const UNKEY_OPERATIONS = [
  'apis.createApi',
  'apis.deleteApi',
  'apis.getApi',
  'apis.listKeys',
  'identities.createIdentity',
  'identities.deleteIdentity',
  'identities.getIdentity',
  'identities.listIdentities',
  'identities.updateIdentity',
  'keys.addPermissions',
  'keys.addRoles',
  'keys.createKey',
  'keys.deleteKey',
  'keys.getKey',
  'keys.removePermissions',
  'keys.removeRoles',
  'keys.rerollKey',
  'keys.setPermissions',
  'keys.setRoles',
  'keys.updateCredits',
  'keys.updateKey',
  'keys.verifyKey',
  'keys.whoami',
  'permissions.createPermission',
  'permissions.createRole',
  'permissions.deletePermission',
  'permissions.deleteRole',
  'permissions.getPermission',
  'permissions.getRole',
  'permissions.listPermissions',
  'permissions.listRoles',
  'ratelimit.deleteOverride',
  'ratelimit.getOverride',
  'ratelimit.limit',
  'ratelimit.listOverrides',
  'ratelimit.setOverride',
] as const;

export type UnkeyOperation = (typeof UNKEY_OPERATIONS)[number];

/** Ids the calls below refer to; they need not exist for answers that come before any lookup (401, 403, 429). */
export interface OperationRefs {
  apiId: string;
  keyId: string;
  key: string;
  namespace: string;
}

/** One well-formed call of each operation through the SDK, as a caller would write it. */
export function callEach(sdk: Unkey, refs: OperationRefs): Record<UnkeyOperation, () => Promise<unknown>> {
  const { apiId, keyId, key, namespace } = refs;
  return {
    'apis.createApi': () => sdk.apis.createApi({ name: 'sdk-sweep' }),
    'apis.deleteApi': () => sdk.apis.deleteApi({ apiId }),
    'apis.getApi': () => sdk.apis.getApi({ apiId }),
    'apis.listKeys': () => sdk.apis.listKeys({ apiId }),
    'identities.createIdentity': () => sdk.identities.createIdentity({ externalId: 'sweep_user' }),
    'identities.deleteIdentity': () => sdk.identities.deleteIdentity({ identity: 'sweep_user' }),
    'identities.getIdentity': () => sdk.identities.getIdentity({ identity: 'sweep_user' }),
    'identities.listIdentities': () => sdk.identities.listIdentities({}),
    'identities.updateIdentity': () => sdk.identities.updateIdentity({ identity: 'sweep_user', meta: { plan: 'pro' } }),
    'keys.addPermissions': () => sdk.keys.addPermissions({ keyId, permissions: ['sweep.read'] }),
    'keys.addRoles': () => sdk.keys.addRoles({ keyId, roles: ['sweep-role'] }),
    'keys.createKey': () => sdk.keys.createKey({ apiId }),
    'keys.deleteKey': () => sdk.keys.deleteKey({ keyId }),
    'keys.getKey': () => sdk.keys.getKey({ keyId }),
    'keys.removePermissions': () => sdk.keys.removePermissions({ keyId, permissions: ['sweep.read'] }),
    'keys.removeRoles': () => sdk.keys.removeRoles({ keyId, roles: ['sweep-role'] }),
    'keys.rerollKey': () => sdk.keys.rerollKey({ keyId, expiration: 0 }),
    'keys.setPermissions': () => sdk.keys.setPermissions({ keyId, permissions: ['sweep.read'] }),
    'keys.setRoles': () => sdk.keys.setRoles({ keyId, roles: [] }),
    'keys.updateCredits': () => sdk.keys.updateCredits({ keyId, operation: 'set', value: 5 }),
    'keys.updateKey': () => sdk.keys.updateKey({ keyId, name: 'sweep' }),
    'keys.verifyKey': () => sdk.keys.verifyKey({ key }),
    'keys.whoami': () => sdk.keys.whoami({ key }),
    'permissions.createPermission': () => sdk.permissions.createPermission({ name: 'sweep', slug: 'sweep.create' }),
    'permissions.createRole': () => sdk.permissions.createRole({ name: 'sweep-created' }),
    'permissions.deletePermission': () => sdk.permissions.deletePermission({ permission: 'sweep.read' }),
    'permissions.deleteRole': () => sdk.permissions.deleteRole({ role: 'sweep-role' }),
    'permissions.getPermission': () => sdk.permissions.getPermission({ permission: 'sweep.read' }),
    'permissions.getRole': () => sdk.permissions.getRole({ role: 'sweep-role' }),
    'permissions.listPermissions': () => sdk.permissions.listPermissions({}),
    'permissions.listRoles': () => sdk.permissions.listRoles({}),
    'ratelimit.deleteOverride': () => sdk.ratelimit.deleteOverride({ namespace, identifier: 'sweep_*' }),
    'ratelimit.getOverride': () => sdk.ratelimit.getOverride({ namespace, identifier: 'sweep_*' }),
    'ratelimit.limit': () => sdk.ratelimit.limit({ namespace, identifier: 'sweep', limit: 10, duration: 60_000 }),
    'ratelimit.listOverrides': () => sdk.ratelimit.listOverrides({ namespace }),
    'ratelimit.setOverride': () =>
      sdk.ratelimit.setOverride({ namespace, identifier: 'sweep_*', limit: 1, duration: 60_000 }),
  };
}
