import { ApiError } from '../../../api-error.js';
import { object } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { findMachine } from '../create-machine.js';
import { machineObject } from '../machine-object.js';
import { machinesOf } from '../machine-store.js';

export const getMachineOperation = defineMachineOperation({
  method: 'GET',
  path: '/machines/:id',
  accepts: 'instance',
  query: object({}),
  handle({ store, workspaceId }, { id }) {
    const machine = findMachine(store, workspaceId, id);
    return machineObject(machine, machinesOf(store).scopedMachines(machine.id));
  },
});

/** `{object: 'machine_secret_key', secret}`, opened from the sealed copy; sealed under another server secret: 422. */
export const getMachineSecretKeyOperation = defineMachineOperation({
  method: 'GET',
  path: '/machines/:id/secret_key',
  accepts: 'instance',
  query: object({}),
  handle({ store, workspaceId, vault }, { id }) {
    const machine = findMachine(store, workspaceId, id);
    const sealed = machinesOf(store).sealedSecretKey(machine.id);
    const secret = sealed && vault.decrypt(sealed.encrypted, sealed.id);
    if (secret === undefined) {
      throw new ApiError(
        422,
        'PRECONDITION_FAILED',
        'The secret key of this machine was sealed with another server secret and cannot be shown.',
        {
          clerkCode: 'machine_secret_key_unavailable',
        },
      );
    }
    return { object: 'machine_secret_key', secret };
  },
});
