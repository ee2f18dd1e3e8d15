import { defineOperation, type Operation, type OperationContext, type OperationDefiner } from '../http/operation.js';

/** What a Clerk operation gets besides its input (`workspaceId`: the workspace of the request's secret key). */
export type ClerkContext = OperationContext;

/** One Clerk Backend API operation; its path is under the API root and served with and without the `/v1` prefix. */
export type ClerkOperation = Operation<ClerkContext, unknown>;

/** `defineOperation` for Clerk's wire format: method, path (`:id` for the key id), success status, query and body schemas, the JSON to answer. */
export const defineClerkOperation: OperationDefiner<ClerkContext, unknown> = defineOperation;
