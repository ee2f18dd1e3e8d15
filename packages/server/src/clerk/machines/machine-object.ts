import type { MachineRecord } from './machine-repository.js';

/** Clerk's Machine object without its scopes: what `scoped_machines[]` lists. */
export interface MachineSummaryObject {
  object: 'machine';
  id: string;
  name: string;
  /** The workspace stands in for Clerk's instance. */
  instance_id: string;
  created_at: number;
  updated_at: number;
  default_token_ttl: number;
}

/** Clerk's Machine object (`MachineJSON` of `@clerk/backend`); `secret_key` only when the machine is created. */
export interface MachineObject extends MachineSummaryObject {
  scoped_machines: MachineSummaryObject[];
  secret_key?: string;
}

const summary = (machine: MachineRecord): MachineSummaryObject => ({
  object: 'machine',
  id: machine.id,
  name: machine.name,
  instance_id: machine.workspaceId,
  created_at: machine.createdAt,
  updated_at: machine.updatedAt,
  default_token_ttl: machine.defaultTokenTtl,
});

export function machineObject(
  machine: MachineRecord,
  scoped: readonly MachineRecord[],
  secretKey?: string,
): MachineObject {
  return {
    ...summary(machine),
    scoped_machines: scoped.map(summary),
    ...(secretKey !== undefined ? { secret_key: secretKey } : {}),
  };
}
