import { createKeyguardWith } from './guard/create-keyguard.js';
import type { Keyguard, KeyguardOptions } from './guard/types.js';
import { createClerkProvider, type ClerkProviderOptions } from './providers/clerk.js';
import { createUnkeyProvider, type UnkeyProviderOptions } from './providers/unkey.js';
import { fetchRuntime } from './runtime/fetch.js';
import type { Provider } from './types.js';
import { createVerifierWith } from './verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from './verifier/types.js';

export * from './shared.js';

/** A verifier with a bounded cache in front of `provider` (fetch build: global fetch and Web Crypto, no Node built-ins). */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(fetchRuntime, options);
/** Unkey `keys.verifyKey` v2 provider (fetch build). */
export const unkey = (options: UnkeyProviderOptions): Provider => createUnkeyProvider(fetchRuntime, options);
/** Clerk `/api_keys/verify` provider (fetch build). */
export const clerk = (options: ClerkProviderOptions): Provider => createClerkProvider(fetchRuntime, options);
/** The framework-free core every adapter wraps (fetch build). */
export const createKeyguard = (options: KeyguardOptions): Keyguard => createKeyguardWith(fetchRuntime, options);
export { UnkeyClient } from './clients/unkey/fetch.js';
export { ClerkClient } from './clients/clerk/fetch.js';
