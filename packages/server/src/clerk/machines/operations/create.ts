import { array, integer, object, optional, required, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { createMachine } from '../create-machine.js';
import { machineObject } from '../machine-object.js';
import { machineTarget } from '../../../audit/targets/machine-auth.js';

/** `POST /v1/machines` with the instance secret key: the machine with its `secret_key` (shown here and by get-secret). */
export const createMachineOperation = defineMachineOperation({
  method: 'POST',
  path: '/machines',
  accepts: 'instance',
  query: object({}),
  body: object({
    name: required(string({ min: 1, max: 255 })),
    scoped_machines: optional(array(string({ min: 1, max: 255 }), { max: 150 })),
    default_token_ttl: optional(integer({ min: 1, max: 315_360_000 })),
  }),
  audit: { action: 'clerk_machine.create', target: machineTarget },
  handle({ store, vault, workspaceId, now, logger }, { body }) {
    const created = createMachine(store, vault, workspaceId, now, {
      name: body.name,
      scopedMachines: body.scoped_machines,
      defaultTokenTtl: body.default_token_ttl,
    });
    logger.info('clerk machine created', { id: created.machine.id });
    return machineObject(created.machine, created.scoped, created.secretKey);
  },
});
