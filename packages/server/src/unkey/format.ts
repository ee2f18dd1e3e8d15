import { authenticateRootKey } from './authenticate.js';
import type { KeyVault } from '../crypto/encryption.js';
import { unkeyOperationName, type UnkeyResult } from './operation.js';
import { auditLogOf } from '../audit/audit-log.js';
import { auditRequest } from '../audit/request.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import { ApiError } from '../api-error.js';
import type { WireFormat } from '../http/wire-format.js';
import { sendData, sendError } from './envelope.js';
import type { Router } from './router.js';

export interface UnkeyFormatOptions {
  store: Store;
  router: Router;
  vault: KeyVault;
  logger: KeyServerLogger;
}

const LIVENESS: UnkeyResult = { data: { message: 'OK' } };

/**
 * Unkey's v2 wire format: `GET /v2/liveness` and `POST /v2/<operation>` with a root key, answers in the
 * `{meta, data}` envelope and errors in `{meta, error}`, each with an `Unkey-Request-Id` header.
 */
export function unkeyFormat({ store, router, vault, logger }: UnkeyFormatOptions): WireFormat<UnkeyResult> {
  return {
    begin: (response, requestId) => response.setHeader('Unkey-Request-Id', requestId),
    prepare(request, { path }) {
      const route = router.route(path);
      if (route.kind === 'liveness') {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Use GET for /v2/liveness.', {
            headers: { Allow: 'GET, HEAD' },
          });
        }
        return { run: () => LIVENESS };
      }
      // The path is not repeated: a confused client may have put a key in it.
      if (route.kind === 'unknown') throw new ApiError(404, 'ROUTE_NOT_FOUND', 'There is no operation at this path.');
      const { operation } = route;
      if (request.method !== operation.method) {
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Use ${operation.method} for ${operation.path}.`, {
          headers: { Allow: operation.method },
        });
      }
      const rootKey = authenticateRootKey(request, store);
      return {
        body: operation.body && { schema: operation.body, optional: operation.optionalBody },
        run: ({ body, now, requestId }) => {
          // Only an audited operation gets audit fields: a verification makes none.
          const audit = operation.audit
            ? auditRequest(request, {
                actor: { type: 'root_key', id: rootKey.id },
                operation: unkeyOperationName(operation),
                successStatus: 200,
                requestId,
                log: auditLogOf(store),
              })
            : undefined;
          const context = { store, workspaceId: rootKey.workspaceId, rootKey, requestId, now, vault, logger, audit };
          return operation.handle(context, { id: '', query: undefined, body });
        },
      };
    },
    succeed: (response, requestId, result) => sendData(response, requestId, result.data, result.pagination),
    fail: sendError,
  };
}
