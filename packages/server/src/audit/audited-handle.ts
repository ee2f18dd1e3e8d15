import { ApiError } from '../api-error.js';
import type { OperationContext } from '../http/operation.js';
import { changedFields } from './changes.js';
import type { AuditRecord, AuditRequest, AuditState } from './types.js';
import type { AuditSpec } from './spec.js';

/** An operation's context when its request is audited: the wire format sets `audit` for audited operations only. */
export interface AuditedContext extends OperationContext {
  audit?: AuditRequest;
}

type Outcome = Pick<AuditRecord, 'target' | 'before' | 'after' | 'detail' | 'status' | 'errorCode'>;

function record(context: AuditedContext, request: AuditRequest, action: string, outcome: Outcome): void {
  request.log.record({
    workspaceId: context.workspaceId,
    time: context.now,
    action,
    operation: request.operation,
    actor: request.actor,
    origin: request.origin,
    requestId: request.requestId,
    ...outcome,
  });
}

/**
 * `handle` with its audit entry: the target's state is read before and after the handler in one transaction with
 * it and the entry, so a change and its entry are committed together or not at all. A failure rolls the change
 * back and is then recorded on its own, with its status and error code and no fields.
 */
export function auditedHandle<Context extends AuditedContext, Input, Result>(
  handle: (context: Context, input: Input) => Result,
  spec: AuditSpec<Input, Result>,
): (context: Context, input: Input) => Result {
  return (context, input) => {
    const request = context.audit;
    if (!request) return handle(context, input);
    const { store, workspaceId } = context;
    const first = spec.target(input, undefined);
    let before: AuditState | undefined;
    try {
      return store.transaction(() => {
        before = first.read(store, workspaceId);
        const result = handle(context, input);
        const after = spec.target(input, result).read(store, workspaceId);
        record(context, request, spec.action, {
          target: { type: first.type, id: after?.id ?? before?.id ?? first.ref ?? null },
          ...changedFields(before?.fields, after?.fields),
          detail: spec.detail?.(input, result) ?? null,
          status: request.successStatus,
          errorCode: null,
        });
        return result;
      });
    } catch (error) {
      const answer = error instanceof ApiError ? error : undefined;
      try {
        record(context, request, spec.action, {
          target: { type: first.type, id: before?.id ?? first.ref ?? null },
          before: null,
          after: null,
          detail: null,
          status: answer?.status ?? 500,
          errorCode: answer?.code ?? 'UNEXPECTED_ERROR',
        });
      } catch {
        // The answer is the operation's failure; a log that cannot be written (closing database) must not replace it.
        context.logger.error('could not write an audit entry', { requestId: request.requestId, action: spec.action });
      }
      throw error;
    }
  };
}
