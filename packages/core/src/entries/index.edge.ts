import { createKeyguardWith } from '../guard/create-keyguard.js';
import type { Keyguard, KeyguardOptions } from '../guard/types.js';
import { fetchRuntime } from '../runtime/fetch.js';
import { createVerifierWith } from '../verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from '../verifier/types.js';

export * from '../public-api.js';

/** A verifier with a bounded cache in front of `provider` (fetch build: Web Crypto, no Node built-ins). */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(fetchRuntime, options);
/** The framework-free core every adapter wraps (fetch build). */
export const createKeyguard = (options: KeyguardOptions): Keyguard => createKeyguardWith(fetchRuntime, options);
