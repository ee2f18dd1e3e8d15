import type { Pagination } from './envelope.js';
import type { AuditedContext } from '../audit/audited-handle.js';
import { defineAuditedOperation, type AuditedDefinition, type AuditedOperation } from '../audit/define-operation.js';
import type { RootKeyRecord } from '../store/types.js';

/** What an Unkey operation gets besides its input: the shared context, and the request's root key and id. */
export interface UnkeyContext extends AuditedContext {
  rootKey: RootKeyRecord;
  requestId: string;
}

/** `data` (and `pagination`) of Unkey's `{meta, data, pagination?}` envelope. */
export interface UnkeyResult {
  data: unknown;
  pagination?: Pagination;
}

/** One `POST /v2/<operation>`. */
export type UnkeyOperation = AuditedOperation<UnkeyContext, UnkeyResult>;

/**
 * `defineOperation` for Unkey's wire format: path `/v2/<operation>`, a body schema, the `data` to answer, and for a
 * management operation what it records in the audit log.
 */
export const defineUnkeyOperation = <Q = undefined, B = undefined>(
  definition: AuditedDefinition<UnkeyContext, UnkeyResult, Q, B>,
): UnkeyOperation => defineAuditedOperation(definition);

const PREFIX = '/v2/';

/** The operation's Unkey name (`keys.verifyKey`), from its path. */
export const unkeyOperationName = (operation: Pick<UnkeyOperation, 'path'>): string =>
  operation.path.slice(PREFIX.length);
