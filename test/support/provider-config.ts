import * as nodeCore from '@keyguard/core';
import type { Verifier } from '@keyguard/core';
import { clerk } from '@keyguard/clerk';
import { runtime as nodeRuntime, type Runtime } from '@keyguard/core/runtime';
import { unkey } from '@keyguard/unkey';
import { inMemoryProvider, type InMemoryKey } from './in-memory-provider.js';

/**
 * Which key service a verifier asks, as plain data (it may cross into another process): an Unkey-compatible one with
 * a root key, or a Clerk-compatible one (`/v1` included in `baseUrl`) with an instance secret key.
 */
export type ProviderConfig =
  | { kind: 'unkey'; baseUrl: string; rootKey: string; timeoutMs: number }
  | {
      kind: 'clerk';
      baseUrl: string;
      secretKey: string;
      timeoutMs: number;
      /** Clerk's token kinds to verify (`clerk({ accepts })`); API keys alone when absent. */
      accepts?: readonly ('api_key' | 'm2m_token' | 'oauth_token')[];
    }
  /** A hand-written provider over these keys (test/support/in-memory-provider.ts). */
  | { kind: 'custom'; keys: Record<string, InMemoryKey> };

/**
 * The parts of a build a verifier is made of: Node's (`@keyguard/core` and undici), or the fetch one
 * (`@keyguard/core/edge` and `@keyguard/core/runtime-edge`).
 */
export interface CoreBuild {
  createVerifier: typeof nodeCore.createVerifier;
  runtime: Runtime;
}

const NODE_BUILD: CoreBuild = { createVerifier: nodeCore.createVerifier, runtime: nodeRuntime };

/** A verifier with keyguard's defaults in front of the provider `config` describes, from the given build. */
export function verifierFor(config: ProviderConfig, build: CoreBuild = NODE_BUILD): Verifier {
  if (config.kind === 'custom') return build.createVerifier({ provider: inMemoryProvider(config.keys) });
  const provider =
    config.kind === 'unkey'
      ? unkey({ rootKey: config.rootKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs }, build.runtime)
      : clerk(
          {
            secretKey: config.secretKey,
            baseUrl: config.baseUrl,
            timeoutMs: config.timeoutMs,
            accepts: config.accepts,
          },
          build.runtime,
        );
  return build.createVerifier({ provider });
}
