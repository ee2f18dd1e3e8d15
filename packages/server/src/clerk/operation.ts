import type { AuditedContext } from '../audit/audited-handle.js';
import { defineAuditedOperation, type AuditedDefinition, type AuditedOperation } from '../audit/define-operation.js';

/** What a Clerk operation gets besides its input (`workspaceId`: the workspace of the request's secret key). */
export type ClerkContext = AuditedContext;

/** One Clerk Backend API operation; its path is under the API root and served with and without the `/v1` prefix. */
export type ClerkOperation = AuditedOperation<ClerkContext, unknown>;

/**
 * `defineOperation` for Clerk's wire format: method, path (`:id` for the key id), success status, query and body
 * schemas, the JSON to answer, and for a management operation what it records in the audit log.
 */
export const defineClerkOperation = <Q = undefined, B = undefined>(
  definition: AuditedDefinition<ClerkContext, unknown, Q, B>,
): ClerkOperation => defineAuditedOperation(definition);

/** The operation's name in the audit log and metrics: `clerk PATCH /api_keys/:id`. */
export const clerkOperationName = (operation: Pick<ClerkOperation, 'method' | 'path'>): string =>
  `clerk ${operation.method} ${operation.path}`;
