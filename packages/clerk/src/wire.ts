import type {
  APIKey,
  APIKeyList,
  APIKeySecret,
  CreateAPIKeyRequest,
  DeletedAPIKey,
  ListAPIKeysRequest,
  RevokeAPIKeyRequest,
  UpdateAPIKeyRequest,
} from './types.js';
import { isRecord } from '@keyguard/core/service';

/*
 * camelCase ⇄ snake_case, field by field. A generic deep conversion would rename the keys inside `claims` (user
 * data) and send fields Clerk does not know, so each shape lists its own fields.
 */

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The wire name of each request field; fields not listed are not sent. */
const CREATE_FIELDS: Record<keyof CreateAPIKeyRequest, string> = {
  name: 'name',
  subject: 'subject',
  type: 'type',
  description: 'description',
  claims: 'claims',
  scopes: 'scopes',
  createdBy: 'created_by',
  secondsUntilExpiration: 'seconds_until_expiration',
};
const UPDATE_FIELDS: Record<keyof UpdateAPIKeyRequest, string> = {
  claims: 'claims',
  scopes: 'scopes',
  description: 'description',
  subject: 'subject',
  secondsUntilExpiration: 'seconds_until_expiration',
};
const REVOKE_FIELDS: Record<keyof RevokeAPIKeyRequest, string> = { revocationReason: 'revocation_reason' };

/** Renames the listed fields; absent (undefined) ones are left out, null is sent as null. */
function toWire(request: object, fields: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    const wireName = fields[name];
    if (wireName !== undefined && value !== undefined) body[wireName] = value;
  }
  return body;
}

export const createBody = (request: CreateAPIKeyRequest): Record<string, unknown> => toWire(request, CREATE_FIELDS);
export const updateBody = (request: UpdateAPIKeyRequest): Record<string, unknown> => toWire(request, UPDATE_FIELDS);
export const revokeBody = (request: RevokeAPIKeyRequest): Record<string, unknown> => toWire(request, REVOKE_FIELDS);

/** `?subject=…&…`, every value percent-encoded. */
export function listQuery(request: ListAPIKeysRequest): string {
  const query = new URLSearchParams({ subject: request.subject });
  if (request.type !== undefined) query.set('type', request.type);
  if (request.includeInvalid !== undefined) query.set('include_invalid', String(request.includeInvalid));
  if (request.limit !== undefined) query.set('limit', String(request.limit));
  if (request.offset !== undefined) query.set('offset', String(request.offset));
  if (request.query !== undefined) query.set('query', request.query);
  return `?${query.toString()}`;
}

/** An API key id as one path segment: an id with `/` or `?` must not reach another endpoint. */
export const keyPath = (id: string, suffix = ''): string => `/api_keys/${encodeURIComponent(id)}${suffix}`;

/** Clerk's APIKey object, or undefined when the value is not one (no string `id` and `subject`). */
export function toAPIKey(value: unknown): APIKey | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.subject !== 'string') return undefined;
  const key: APIKey = {
    id: value.id,
    object: 'api_key',
    type: typeof value.type === 'string' ? value.type : 'api_key',
    subject: value.subject,
    name: typeof value.name === 'string' ? value.name : '',
    description: stringOrNull(value.description),
    claims: value.claims ?? null,
    scopes: Array.isArray(value.scopes)
      ? value.scopes.filter((scope): scope is string => typeof scope === 'string')
      : [],
    revoked: value.revoked === true,
    revocationReason: stringOrNull(value.revocation_reason),
    expired: value.expired === true,
    expiration: numberOrNull(value.expiration),
    createdBy: stringOrNull(value.created_by),
    lastUsedAt: numberOrNull(value.last_used_at),
    createdAt: numberOrNull(value.created_at) ?? 0,
    updatedAt: numberOrNull(value.updated_at) ?? 0,
  };
  if (typeof value.secret === 'string') key.secret = value.secret;
  return key;
}

export function toAPIKeyList(value: unknown): APIKeyList | undefined {
  if (!isRecord(value) || !Array.isArray(value.data) || typeof value.total_count !== 'number') return undefined;
  const data: APIKey[] = [];
  for (const item of value.data) {
    const key = toAPIKey(item);
    if (!key) return undefined;
    data.push(key);
  }
  return { data, totalCount: value.total_count };
}

export function toDeletedAPIKey(value: unknown): DeletedAPIKey | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || value.deleted !== true) return undefined;
  return { id: value.id, object: 'api_key', deleted: true };
}

export function toAPIKeySecret(value: unknown): APIKeySecret | undefined {
  return isRecord(value) && typeof value.secret === 'string' ? { secret: value.secret } : undefined;
}
