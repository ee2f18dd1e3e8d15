import type { AuditedContext } from '../../audit/audited-handle.js';
import { defineAuditedOperation, type AuditedDefinition, type AuditedOperation } from '../../audit/define-operation.js';
import type { AcceptedCallers, MachineCaller } from './caller.js';

/** What a machine-auth operation gets: the common context, its caller, and the `iss` of the JWTs it signs. */
export interface MachineContext extends AuditedContext {
  caller: MachineCaller;
  /** This server as seen by the client (`http://<Host>`), the issuer of its JWTs as Clerk's Frontend API is of Clerk's. */
  issuer: string;
  /** The second id of a path with two (`:other` of `/machines/:id/scopes/:other`); `''` on other paths. */
  otherId: string;
}

/** One machine-auth operation (M2M tokens, machines, JWKS, OAuth access tokens) and the credentials it takes. */
export type MachineOperation = AuditedOperation<MachineContext, unknown> & { accepts: AcceptedCallers };

/**
 * `defineOperation` for the machine-auth routes: Clerk's wire format, plus which credentials the route takes and,
 * for a management operation, what it records in the audit log.
 */
export function defineMachineOperation<Q = undefined, B = undefined>(
  definition: AuditedDefinition<MachineContext, unknown, Q, B> & { accepts: AcceptedCallers },
): MachineOperation {
  return { ...defineAuditedOperation<MachineContext, unknown, Q, B>(definition), accepts: definition.accepts };
}
