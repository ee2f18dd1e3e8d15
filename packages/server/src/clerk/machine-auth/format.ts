import type { IncomingMessage } from 'node:http';
import { auditLogOf } from '../../audit/audit-log.js';
import { machineAuthActor } from '../../audit/machine-actor.js';
import { auditRequest } from '../../audit/request.js';
import type { KeyVault } from '../../crypto/encryption.js';
import { sendJson } from '../../http/send-json.js';
import type { WireFormat } from '../../http/wire-format.js';
import type { KeyServerLogger } from '../../key-server/logger.js';
import type { Store } from '../../store/store.js';
import { clerkErrorBody } from '../errors.js';
import type { ClerkOutcome } from '../format.js';
import { clerkOperationName } from '../operation.js';
import { authenticateMachineCaller } from './caller.js';
import type { MachineOperation } from './operation.js';
import { MachineRouter } from './router.js';

export interface MachineFormatOptions {
  store: Store;
  operations: readonly MachineOperation[];
  vault: KeyVault;
  logger: KeyServerLogger;
  /** The server's clock: a rotated machine secret key stops working when its grace period ends. */
  clock: () => number;
}

/** Exactly `application/json`: `@clerk/backend` parses a body only when the header equals that string. */
const JSON_TYPE = 'application/json';
const HOST_PATTERN = /^[A-Za-z0-9.:[\]-]{1,255}$/;

/** `http://<Host>`: what a client called, so the `iss` of a JWT names this server; a strange Host is left out. */
const issuerOf = (request: IncomingMessage): string => {
  const host = request.headers.host ?? '';
  return HOST_PATTERN.test(host) ? `http://${host}` : 'http://localhost';
};

/**
 * Clerk's machine auth (M2M tokens, machines, JWKS, OAuth access-token verification) in Clerk's wire format, as the
 * API-key routes: the same routing rules and error body, but each operation names the credentials it takes.
 */
export function machineFormat({
  store,
  operations,
  vault,
  logger,
  clock,
}: MachineFormatOptions): WireFormat<ClerkOutcome> {
  const router = new MachineRouter(operations);
  return {
    prepare(request, { path }) {
      const { operation, id, otherId } = router.match(request.method ?? 'GET', path);
      const caller = authenticateMachineCaller(request, store, operation.accepts, clock());
      const issuer = issuerOf(request);
      return {
        query: operation.query,
        body: operation.body && { schema: operation.body, optional: operation.optionalBody },
        run: ({ query, body, now, requestId }) => {
          const status = operation.status ?? 200;
          const audit = operation.audit
            ? auditRequest(request, {
                actor: machineAuthActor(request, store, caller.kind),
                operation: clerkOperationName(operation),
                successStatus: status,
                requestId,
                log: auditLogOf(store),
              })
            : undefined;
          const context = {
            store,
            workspaceId: caller.workspaceId,
            now,
            vault,
            logger,
            caller,
            issuer,
            otherId,
            audit,
          };
          return { status, body: operation.handle(context, { id, query, body }) };
        },
      };
    },
    succeed: (response, _traceId, outcome) => sendJson(response, outcome.status, JSON_TYPE, outcome.body),
    fail: (_request, response, traceId, error) =>
      sendJson(response, error.status, JSON_TYPE, clerkErrorBody(error, traceId), error.headers),
  };
}

const MACHINE_ROOTS = ['/m2m_tokens', '/machines', '/jwks', '/oauth_applications/access_tokens', '/keyguard/'];

/**
 * Whether a path belongs to Clerk's machine auth. `@clerk/backend` calls `/m2m_tokens…` and
 * `/oauth_applications/access_tokens/verify` without a version segment, `/v1/jwks` and `/v1/machines…` with one.
 */
export function isMachineAuthPath(path: string): boolean {
  const rest = path.startsWith('/v1/') ? path.slice(3) : path;
  return MACHINE_ROOTS.some((root) => rest === root || rest.startsWith(root.endsWith('/') ? root : `${root}/`));
}
