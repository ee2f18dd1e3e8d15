import { ApiError, badRequest } from '../../../api-error.js';
import { object, required, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { findMachine } from '../create-machine.js';
import { machinesOf } from '../machine-store.js';
import { machineTarget } from '../../../audit/targets/machine-auth.js';

/** Clerk's limit of scopes per machine (Backend API OpenAPI, `POST /machines`). */
const MAX_SCOPES = 150;

/**
 * `POST /v1/machines/{id}/scopes` (`to_machine_id`): the machine may now send tokens to that one (tokens made from
 * now on carry it in `scopes`). Granting a scope it already has answers that scope again.
 */
export const createMachineScopeOperation = defineMachineOperation({
  method: 'POST',
  path: '/machines/:id/scopes',
  accepts: 'instance',
  query: object({}),
  body: object({ to_machine_id: required(string({ min: 1, max: 255 })) }),
  audit: {
    action: 'clerk_machine.create_scope',
    target: machineTarget,
    detail: ({ body }) => ({ toMachineId: body.to_machine_id }),
  },
  handle({ store, workspaceId, now, logger }, { id, body }) {
    return store.transaction(() => {
      const machines = machinesOf(store);
      const from = findMachine(store, workspaceId, id);
      const to = findMachine(store, workspaceId, body.to_machine_id);
      if (from.id === to.id) throw badRequest('A machine cannot be scoped to itself.');
      let createdAt = machines.scopeCreatedAt(from.id, to.id);
      if (createdAt === undefined) {
        if (machines.scopedMachines(from.id).length >= MAX_SCOPES)
          throw badRequest(`A machine has at most ${MAX_SCOPES} scopes.`);
        machines.addScope(from.id, to.id, now);
        createdAt = now;
        logger.info('clerk machine scope created', { from: from.id, to: to.id });
      }
      return { object: 'machine_scope', from_machine_id: from.id, to_machine_id: to.id, created_at: createdAt };
    });
  },
});

/** `DELETE /v1/machines/{id}/scopes/{other}`: tokens made from now on no longer carry `other`; 404 when not scoped. */
export const deleteMachineScopeOperation = defineMachineOperation({
  method: 'DELETE',
  path: '/machines/:id/scopes/:other',
  accepts: 'instance',
  query: object({}),
  audit: { action: 'clerk_machine.delete_scope', target: machineTarget },
  handle({ store, workspaceId, otherId, logger }, { id }) {
    return store.transaction(() => {
      const from = findMachine(store, workspaceId, id);
      if (!machinesOf(store).removeScope(from.id, otherId)) {
        throw new ApiError(404, 'KEY_NOT_FOUND', 'This machine has no scope for that machine.', {
          clerkCode: 'resource_not_found',
        });
      }
      logger.info('clerk machine scope deleted', { from: from.id, to: otherId });
      return { object: 'machine_scope', from_machine_id: from.id, to_machine_id: otherId, deleted: true };
    });
  },
});
