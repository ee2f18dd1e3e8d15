import { authenticateClerkSecretKey } from './authenticate.js';
import type { KeyVault } from '../crypto/encryption.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import { sendJson } from '../http/send-json.js';
import type { WireFormat } from '../http/wire-format.js';
import { clerkErrorBody } from './errors.js';
import type { ClerkRouter } from './router.js';
import { clerkActor } from '../audit/clerk-actor.js';
import { auditLogOf } from '../audit/audit-log.js';
import { auditRequest } from '../audit/request.js';
import { clerkOperationName } from './operation.js';

export interface ClerkFormatOptions {
  store: Store;
  router: ClerkRouter;
  vault: KeyVault;
  logger: KeyServerLogger;
}

export interface ClerkOutcome {
  status: number;
  body: unknown;
}

/**
 * Exactly `application/json`, errors included: `@clerk/backend` parses a body as JSON only when the header equals
 * that string; with a `charset` parameter it reads text and loses the object and `errors[]`.
 */
const JSON_TYPE = 'application/json';

/**
 * Clerk's Backend API for API keys: `[/v1]/api_keys…` with the instance secret key, snake_case JSON, errors as
 * `{errors: [...], clerk_trace_id}`.
 */
export function clerkFormat({ store, router, vault, logger }: ClerkFormatOptions): WireFormat<ClerkOutcome> {
  return {
    prepare(request, { path }) {
      const { operation, id } = router.match(request.method ?? 'GET', path);
      const workspaceId = authenticateClerkSecretKey(request, store);
      return {
        query: operation.query,
        body: operation.body && { schema: operation.body, optional: operation.optionalBody },
        run: ({ query, body, now, requestId }) => {
          const status = operation.status ?? 200;
          const audit = operation.audit
            ? auditRequest(request, {
                actor: clerkActor(request, store),
                operation: clerkOperationName(operation),
                successStatus: status,
                requestId,
                log: auditLogOf(store),
              })
            : undefined;
          return {
            status,
            body: operation.handle({ store, workspaceId, now, vault, logger, audit }, { id, query, body }),
          };
        },
      };
    },
    succeed: (response, _traceId, outcome) => sendJson(response, outcome.status, JSON_TYPE, outcome.body),
    fail: (_request, response, traceId, error) =>
      sendJson(response, error.status, JSON_TYPE, clerkErrorBody(error, traceId), error.headers),
  };
}
