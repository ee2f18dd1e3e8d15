import { integer, numberText, object, oneOf, optional, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { machineObject } from '../machine-object.js';
import { MACHINE_ORDERS } from '../machine-repository.js';
import { machinesOf } from '../machine-store.js';

/** `{data, total_count}`: the workspace's machines, newest first unless `order_by` says otherwise. */
export const listMachinesOperation = defineMachineOperation({
  method: 'GET',
  path: '/machines',
  accepts: 'instance',
  query: object({
    limit: optional(numberText(integer({ min: 1, max: 500 }))),
    offset: optional(numberText(integer({ min: 0, max: 1_000_000_000 }))),
    query: optional(string({ max: 255 })),
    order_by: optional(oneOf(MACHINE_ORDERS)),
  }),
  handle({ store, workspaceId }, { query }) {
    const machines = machinesOf(store);
    const { machines: page, total } = machines.list(workspaceId, {
      limit: query.limit ?? 10,
      offset: query.offset ?? 0,
      query: query.query,
      orderBy: query.order_by,
    });
    return {
      data: page.map((machine) => machineObject(machine, machines.scopedMachines(machine.id))),
      total_count: total,
    };
  },
});
