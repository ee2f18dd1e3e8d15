import * as nodeCore from '@keyguard/core';
import type { Verifier } from '@keyguard/core';

/**
 * Which key service a verifier asks, as plain data (it may cross into another process): an Unkey-compatible one with
 * a root key, or a Clerk-compatible one (`/v1` included in `baseUrl`) with an instance secret key.
 */
export type ProviderConfig =
  | { kind: 'unkey'; baseUrl: string; rootKey: string; timeoutMs: number }
  | { kind: 'clerk'; baseUrl: string; secretKey: string; timeoutMs: number };

/** The parts of a core build (Node's `@keyguard/core`, or `@keyguard/core/edge`) a verifier is made of. */
export type CoreBuild = Pick<typeof nodeCore, 'createVerifier' | 'unkey' | 'clerk'>;

/** A verifier with keyguard's defaults in front of the provider `config` describes, from the given core build. */
export function verifierFor(config: ProviderConfig, build: CoreBuild = nodeCore): Verifier {
  const provider =
    config.kind === 'unkey'
      ? build.unkey({ rootKey: config.rootKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs })
      : build.clerk({ secretKey: config.secretKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  return build.createVerifier({ provider });
}
