import type { Store } from '../../store/store.js';
import type { AuditState } from '../types.js';
import type { AuditTarget } from '../spec.js';
import { auditTarget, targetById } from './target.js';

/** An API's recorded fields. */
export function readApi(store: Store, workspaceId: string, apiId: string): AuditState | undefined {
  const api = store.apis.get(workspaceId, apiId);
  return api && { id: api.id, fields: { name: api.name, deleteProtection: api.deleteProtection } };
}

/** An identity's, by id or external id. */
export function readIdentity(store: Store, workspaceId: string, identity: string): AuditState | undefined {
  const found = store.identities.find(workspaceId, identity);
  if (!found) return undefined;
  const ratelimits = store.ratelimits
    .forIdentity(found.id)
    .map(({ name, limit, duration, autoApply }) => ({ name, limit, duration, autoApply }));
  return { id: found.id, fields: { externalId: found.externalId, meta: found.meta, ratelimits } };
}

/** A permission's, by id or slug. */
export function readPermission(store: Store, workspaceId: string, permission: string): AuditState | undefined {
  const found = store.permissions.find(workspaceId, permission);
  return found && { id: found.id, fields: { name: found.name, slug: found.slug, description: found.description } };
}

/** A role's, by id or name, with the slugs of its permissions. */
export function readRole(store: Store, workspaceId: string, role: string): AuditState | undefined {
  const found = store.roles.find(workspaceId, role);
  if (!found) return undefined;
  const permissions = store.roles.permissions(found.id).map((permission) => permission.slug);
  return { id: found.id, fields: { name: found.name, description: found.description, permissions } };
}

/** A rate-limit override's, by its namespace (id or name) and identifier. */
export function readOverride(
  store: Store,
  workspaceId: string,
  ref: { namespace: string; identifier: string },
): AuditState | undefined {
  const namespace = store.ratelimitNamespaces.find(workspaceId, ref.namespace);
  const override = namespace && store.ratelimitOverrides.find(namespace.id, ref.identifier);
  if (!namespace || !override) return undefined;
  const { identifier, limit, duration } = override;
  return { id: override.id, fields: { namespace: namespace.name, identifier, limit, duration } };
}

/** A live root key's: its name and permissions, never its hash or first characters. */
export function readRootKey(store: Store, workspaceId: string, rootKeyId: string): AuditState | undefined {
  const found = store.rootKeys.list(workspaceId).find((rootKey) => rootKey.id === rootKeyId);
  return found && { id: found.id, fields: { name: found.name ?? null, permissions: found.permissions } };
}

/** The targets of Unkey's resources other than keys, by the reference a request gives. */
export const apiTarget = (apiId: string | undefined): AuditTarget => targetById('api', readApi, apiId);
export const identityTarget = (ref: string | undefined): AuditTarget => targetById('identity', readIdentity, ref);
export const permissionTarget = (ref: string | undefined): AuditTarget => targetById('permission', readPermission, ref);
export const roleTarget = (ref: string | undefined): AuditTarget => targetById('role', readRole, ref);
export const rootKeyTarget = (id: string | undefined): AuditTarget => targetById('root_key', readRootKey, id);
export const overrideTarget = (namespace: string, identifier: string): AuditTarget =>
  auditTarget(
    'ratelimit_override',
    readOverride,
    { namespace, identifier },
    (ref) => `${ref.namespace}:${ref.identifier}`,
  );
