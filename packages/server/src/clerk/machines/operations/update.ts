import { integer, object, optional, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { findMachine } from '../create-machine.js';
import { machineObject } from '../machine-object.js';
import { machinesOf } from '../machine-store.js';
import { machineTarget } from '../../../audit/targets/machine-auth.js';

/** `PATCH /v1/machines/{id}`: `name` and `default_token_ttl`, each kept when omitted. */
export const updateMachineOperation = defineMachineOperation({
  method: 'PATCH',
  path: '/machines/:id',
  accepts: 'instance',
  query: object({}),
  body: object({
    name: optional(string({ min: 1, max: 255 })),
    default_token_ttl: optional(integer({ min: 1, max: 315_360_000 })),
  }),
  optionalBody: true,
  audit: { action: 'clerk_machine.update', target: machineTarget },
  handle({ store, workspaceId, now, logger }, { id, body }) {
    return store.transaction(() => {
      const machines = machinesOf(store);
      const machine = findMachine(store, workspaceId, id);
      machines.update(machine.id, { name: body.name, defaultTokenTtl: body.default_token_ttl }, now);
      logger.info('clerk machine updated', { id: machine.id });
      return machineObject(findMachine(store, workspaceId, id), machines.scopedMachines(machine.id));
    });
  },
});

/** `DELETE /v1/machines/{id}`: the machine with its secret keys, scopes and tokens; `{object, id, deleted: true}`. */
export const deleteMachineOperation = defineMachineOperation({
  method: 'DELETE',
  path: '/machines/:id',
  accepts: 'instance',
  query: object({}),
  audit: { action: 'clerk_machine.delete', target: machineTarget },
  handle({ store, workspaceId, logger }, { id }) {
    return store.transaction(() => {
      const machine = findMachine(store, workspaceId, id);
      machinesOf(store).delete(machine.id);
      logger.info('clerk machine deleted', { id: machine.id });
      return { object: 'machine', id: machine.id, deleted: true };
    });
  },
});
