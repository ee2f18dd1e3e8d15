import { ApiError } from '../../api-error.js';
import type { KeyVault } from '../../crypto/encryption.js';
import { hashKey } from '../../crypto/hash.js';
import { generateKey, newId } from '../../crypto/random.js';
import type { Store } from '../../store/store.js';
import { objectId } from '../ids.js';
import type { MachineRecord } from './machine-repository.js';
import { machinesOf } from './machine-store.js';

/** Clerk's default `default_token_ttl` (Backend API OpenAPI, `POST /machines`): one hour. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** What a machine is created with (`POST /v1/machines`, `KeyServer.createMachine`, `keyguard clerk-m2m machines create`). */
export interface MachineInput {
  name: string;
  /** Ids of machines of the workspace this one may send tokens to; they become the `scopes` of its tokens. */
  scopedMachines?: readonly string[];
  /** Seconds, at least 1; the lifetime of a token created without `seconds_until_expiration`. */
  defaultTokenTtl?: number;
}

export interface CreatedMachine {
  machine: MachineRecord;
  scoped: MachineRecord[];
  /** `ak_…`, as Clerk's machine secret keys; stored by hash (and sealed, for `GET /machines/{id}/secret_key`). */
  secretKey: string;
}

const machineNotFound = () =>
  new ApiError(404, 'KEY_NOT_FOUND', 'No machine was found with this id.', { clerkCode: 'resource_not_found' });

/** Issues a new secret key for the machine; the plaintext is returned once. */
export function issueMachineSecretKey(store: Store, vault: KeyVault, machineId: string, now: number): string {
  const secretKey = generateKey(32, 'ak');
  const id = newId('msk', now);
  machinesOf(store).insertSecretKey(id, machineId, hashKey(secretKey), vault.encrypt(secretKey, id), now);
  return secretKey;
}

/** Creates a machine with its scopes and first secret key; a scoped machine outside the workspace is a 404. */
export function createMachine(
  store: Store,
  vault: KeyVault,
  workspaceId: string,
  now: number,
  input: MachineInput,
): CreatedMachine {
  return store.transaction(() => {
    const machines = machinesOf(store);
    const scopedIds = [...new Set(input.scopedMachines ?? [])];
    const scoped = scopedIds.map((id) => findMachine(store, workspaceId, id));
    const machine: MachineRecord = {
      id: objectId('mch'),
      workspaceId,
      name: input.name,
      defaultTokenTtl: input.defaultTokenTtl ?? DEFAULT_TOKEN_TTL_SECONDS,
      createdAt: now,
      updatedAt: now,
    };
    machines.insert(machine);
    for (const target of scoped) machines.addScope(machine.id, target.id, now);
    return { machine, scoped, secretKey: issueMachineSecretKey(store, vault, machine.id, now) };
  });
}

/** The workspace's machine with this id, or a 404 (which does not repeat the id). */
export function findMachine(store: Store, workspaceId: string, id: string): MachineRecord {
  const machine = machinesOf(store).get(workspaceId, id);
  if (!machine) throw machineNotFound();
  return machine;
}
