import type { KeyVault } from '../crypto/encryption.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import { spendRequestQuota } from './request-quota.js';
import type { Schema } from '../validation/schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What every operation gets, whichever wire format it answers in; a wire format's context adds its own fields. */
export interface OperationContext {
  store: Store;
  /** The workspace of the request's credential (a root key, a Clerk secret key). */
  workspaceId: string;
  /** The request's clock reading (unix ms), one per request. */
  now: number;
  vault: KeyVault;
  logger: KeyServerLogger;
}

/** The request's input, validated against the operation's schemas. */
export interface OperationInput<Q, B> {
  /** The `:id` path segment, or `''` for paths without one. */
  id: string;
  /** `undefined` when the operation declares no query schema (its query parameters are then ignored). */
  query: Q;
  /** `undefined` when the operation declares no body schema (its body is then not read). */
  body: B;
}

interface OperationFields {
  method: HttpMethod;
  /** The path as the wire format routes it: `/v2/keys.verifyKey`, `/api_keys/:id` (`:id` for the key id). */
  path: string;
  /** The success status; 200 unless said. */
  status?: number;
  /** A request without a body reads as `{}` (only with `body`). */
  optionalBody?: boolean;
}

/**
 * One operation of either wire format (Unkey's `/v2`, Clerk's API keys): route, input schemas and a synchronous
 * handler (both SQLite drivers are synchronous). Handlers throw `ApiError`s for answers other than success; the wire
 * format maps them to its own error body (`unkey/envelope.ts`, `clerk/errors.ts`).
 */
export interface Operation<
  Context extends OperationContext = OperationContext,
  Result = unknown,
> extends OperationFields {
  query?: Schema<unknown>;
  body?: Schema<unknown>;
  handle(context: Context, input: OperationInput<unknown, unknown>): Result;
}

export interface OperationDefinition<Context, Result, Q, B> extends OperationFields {
  query?: Schema<Q>;
  body?: Schema<B>;
  handle(context: Context, input: OperationInput<Q, B>): Result;
}

/** `defineOperation` with a wire format's context and result types filled in (`defineUnkeyOperation`, `defineClerkOperation`). */
export type OperationDefiner<Context extends OperationContext, Result> = <Q = undefined, B = undefined>(
  definition: OperationDefinition<Context, Result, Q, B>,
) => Operation<Context, Result>;

/**
 * The one way to define an operation, for both wire formats. Every request of it counts against the workspace's
 * request quota (429 once it is spent) before the handler runs: the quota covers the Clerk routes too, as Clerk's
 * Backend API has a per-key request limit.
 */
export function defineOperation<Context extends OperationContext, Result, Q = undefined, B = undefined>(
  definition: OperationDefinition<Context, Result, Q, B>,
): Operation<Context, Result> {
  return {
    ...definition,
    query: definition.query as Schema<unknown> | undefined,
    body: definition.body as Schema<unknown> | undefined,
    handle: (context, input) => {
      spendRequestQuota(context.store, context.workspaceId, context.now);
      return definition.handle(context, input as OperationInput<Q, B>);
    },
  };
}
