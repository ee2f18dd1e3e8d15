import { CLERK_OPERATIONS } from '../clerk/operations/index.js';
import type { KeyVault } from '../crypto/encryption.js';
import { UNKEY_OPERATIONS } from '../unkey/operations/index.js';
import { KEYGUARD_OPERATIONS } from '../unkey/operations/keyguard/index.js';
import { clerkFormat } from '../clerk/format.js';
import { isMachineAuthPath, machineFormat } from '../clerk/machine-auth/format.js';
import { MACHINE_AUTH_OPERATIONS } from '../clerk/machine-auth/operations.js';
import { ClerkRouter, isClerkPath } from '../clerk/router.js';
import { createPipeline, type PipelineOptions } from '../http/pipeline.js';
import type { RequestHandler } from '../http/request-handler.js';
import { requestTarget } from '../http/target.js';
import { unkeyFormat } from '../unkey/format.js';
import { Router } from '../unkey/router.js';

export interface ServiceOptions extends PipelineOptions {
  vault: KeyVault;
}

/** The whole HTTP surface: Clerk's API-key and machine-auth routes in Clerk's format, everything else (keyguard's own `/v2/keyguard.*` too) in Unkey's. */
export function createServiceHandler(options: ServiceOptions): RequestHandler {
  const unkey = createPipeline(
    unkeyFormat({ ...options, router: new Router([...UNKEY_OPERATIONS, ...KEYGUARD_OPERATIONS]) }),
    options,
  );
  const clerk = createPipeline(clerkFormat({ ...options, router: new ClerkRouter(CLERK_OPERATIONS) }), options);
  const machineAuth = createPipeline(machineFormat({ ...options, operations: MACHINE_AUTH_OPERATIONS }), options);
  return (request, response) => {
    const path = requestTarget(request.url).path;
    if (isMachineAuthPath(path)) return machineAuth(request, response);
    return (isClerkPath(path) ? clerk : unkey)(request, response);
  };
}
