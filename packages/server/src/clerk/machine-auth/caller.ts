import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api-error.js';
import { hashKey } from '../../crypto/hash.js';
import { readBearer } from '../../http/bearer.js';
import type { Store } from '../../store/store.js';
import { authenticateClerkSecretKey } from '../authenticate.js';
import type { MachineRecord } from '../machines/machine-repository.js';
import { machinesOf } from '../machines/machine-store.js';

/** Who sent a machine-auth request: the instance (its `sk_…` secret key) or one machine (its `ak_…` secret key). */
export type MachineCaller =
  { kind: 'instance'; workspaceId: string } | { kind: 'machine'; workspaceId: string; machine: MachineRecord };

/** Which credentials an operation takes, as Clerk's Backend API documents each one. */
export type AcceptedCallers = 'instance' | 'machine' | 'either';

/** Clerk's answer to anything but a machine secret key on `POST /m2m_tokens` (`@clerk/backend`'s own tests). */
export const machineKeyInvalid = (): ApiError =>
  new ApiError(
    401,
    'CREDENTIAL_NOT_FOUND',
    'The provided Machine Secret Key is invalid. Make sure that your Machine Secret Key is correct.',
    { clerkCode: 'machine_secret_key_invalid' },
  );

function findCaller(store: Store, token: string, now: number): MachineCaller | undefined {
  const hash = hashKey(token);
  const workspaceId = store.clerkSecretKeys.workspaceOf(hash);
  if (workspaceId !== undefined) return { kind: 'instance', workspaceId };
  const machine = machinesOf(store).findBySecretHash(hash, now);
  return machine && { kind: 'machine', workspaceId: machine.workspaceId, machine };
}

/**
 * The caller of a machine-auth route. A missing, malformed or repeated header answers as on the API-key routes; an
 * unknown or unaccepted credential is a 401 that never repeats it.
 */
export function authenticateMachineCaller(
  request: IncomingMessage,
  store: Store,
  accepts: AcceptedCallers,
  now: number,
): MachineCaller {
  const bearer = readBearer(request);
  if (bearer.kind !== 'token') {
    authenticateClerkSecretKey(request, store);
    throw machineKeyInvalid();
  }
  const caller = findCaller(store, bearer.token, now);
  if (accepts === 'machine') {
    if (caller?.kind !== 'machine') throw machineKeyInvalid();
    return caller;
  }
  if (caller && (accepts === 'either' || caller.kind === 'instance')) return caller;
  if (accepts === 'either' && bearer.token.startsWith('ak_')) throw machineKeyInvalid();
  // Answers as the API-key routes do for an unknown instance secret key.
  return { kind: 'instance', workspaceId: authenticateClerkSecretKey(request, store) };
}
