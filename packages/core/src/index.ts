import { createKeyguardWith } from './guard/create-keyguard.js';
import type { Keyguard, KeyguardOptions } from './guard/types.js';
import { createClerkProvider, type ClerkProviderOptions } from './providers/clerk.js';
import { createUnkeyProvider, type UnkeyProviderOptions } from './providers/unkey.js';
import { nodeRuntime } from './runtime/node.js';
import type { Provider } from './types.js';
import { createVerifierWith } from './verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from './verifier/types.js';

export * from './shared.js';

/** A verifier with a bounded cache in front of `provider` (Node build: undici keep-alive pool, node:crypto). */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(nodeRuntime, options);
/** Unkey `keys.verifyKey` v2 provider (Node build). */
export const unkey = (options: UnkeyProviderOptions): Provider => createUnkeyProvider(nodeRuntime, options);
/** Clerk `/api_keys/verify` provider (Node build). */
export const clerk = (options: ClerkProviderOptions): Provider => createClerkProvider(nodeRuntime, options);
/** The framework-free core every adapter wraps (Node build). */
export const createKeyguard = (options: KeyguardOptions): Keyguard => createKeyguardWith(nodeRuntime, options);
export { UnkeyClient } from './clients/unkey/node.js';
export { ClerkClient } from './clients/clerk/node.js';
