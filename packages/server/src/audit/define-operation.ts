import { defineOperation, type Operation, type OperationDefinition, type OperationInput } from '../http/operation.js';
import { auditedHandle, type AuditedContext } from './audited-handle.js';
import type { AuditSpec } from './spec.js';

/** An operation definition with what it records in the audit log; without `audit` it is not audited. */
export interface AuditedDefinition<Context extends AuditedContext, Result, Q, B> extends OperationDefinition<
  Context,
  Result,
  Q,
  B
> {
  /** Management operations (create, update, delete) declare it; reads, verification and rate limiting do not. */
  audit?: AuditSpec<OperationInput<Q, B>, Result>;
}

/** An operation that may be audited: `audit` is its definition's. */
export interface AuditedOperation<Context extends AuditedContext, Result> extends Operation<Context, Result> {
  audit?: AuditSpec<OperationInput<unknown, unknown>, Result>;
}

/**
 * `defineOperation`, with the handler wrapped in its audit entry when the definition declares one. The wrap is
 * inside the request quota's spend: a request answered 429 reaches no handler and writes no entry.
 */
export function defineAuditedOperation<Context extends AuditedContext, Result, Q, B>(
  definition: AuditedDefinition<Context, Result, Q, B>,
): AuditedOperation<Context, Result> {
  const { audit } = definition;
  const operation = defineOperation<Context, Result, Q, B>(
    audit ? { ...definition, handle: auditedHandle(definition.handle, audit) } : definition,
  );
  return { ...operation, audit: audit as AuditedOperation<Context, Result>['audit'] };
}
