import { createKeyguardWith } from './guard/create-keyguard.js';
import type { Keyguard, KeyguardOptions } from './guard/types.js';
import { nodeRuntime } from './runtime/node.js';
import { createVerifierWith } from './verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from './verifier/types.js';

export * from './public-api.js';

/** A verifier with a bounded cache in front of `provider` (Node build: node:crypto). */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(nodeRuntime, options);
/** The framework-free core every adapter wraps (Node build). */
export const createKeyguard = (options: KeyguardOptions): Keyguard => createKeyguardWith(nodeRuntime, options);
