import type { IncomingMessage } from 'node:http';
import { machinesOf } from '../clerk/machines/machine-store.js';
import { hashKey } from '../crypto/hash.js';
import { readBearer } from '../http/bearer.js';
import type { Store } from '../store/store.js';
import { clerkActor } from './clerk-actor.js';
import type { AuditActor } from './types.js';

/**
 * Who sent an audited machine-auth request, by id: the instance's Clerk-style secret key or one machine's secret
 * key. Looked up again for audited operations only, so that authentication stays one lookup.
 */
export function machineAuthActor(request: IncomingMessage, store: Store, caller: 'instance' | 'machine'): AuditActor {
  if (caller === 'instance') return clerkActor(request, store);
  const bearer = readBearer(request);
  const id = bearer.kind === 'token' ? machinesOf(store).secretKeyIdByHash(hashKey(bearer.token)) : undefined;
  return { type: 'machine_secret_key', id: id ?? 'unknown' };
}
