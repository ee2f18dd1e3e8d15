import { integer, object, required } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { findMachine, issueMachineSecretKey } from '../create-machine.js';
import { machinesOf } from '../machine-store.js';
import { machineTarget } from '../../../audit/targets/machine-auth.js';

/**
 * `POST /v1/machines/{id}/secret_key/rotate`: a new secret key; the previous ones keep working for
 * `previous_token_ttl` seconds (0..28800, 0: they stop at once), as Clerk's rotation does.
 */
export const rotateMachineSecretKeyOperation = defineMachineOperation({
  method: 'POST',
  path: '/machines/:id/secret_key/rotate',
  accepts: 'instance',
  query: object({}),
  body: object({ previous_token_ttl: required(integer({ min: 0, max: 28_800 })) }),
  audit: {
    action: 'clerk_machine.rotate_secret_key',
    target: machineTarget,
    detail: ({ body }) => ({ previousTokenTtl: body.previous_token_ttl }),
  },
  handle({ store, vault, workspaceId, now, logger }, { id, body }) {
    return store.transaction(() => {
      const machine = findMachine(store, workspaceId, id);
      machinesOf(store).expireSecretKeys(machine.id, now + body.previous_token_ttl * 1000);
      const secret = issueMachineSecretKey(store, vault, machine.id, now);
      logger.info('clerk machine secret key rotated', { id: machine.id });
      return { object: 'machine_secret_key', secret };
    });
  },
});
