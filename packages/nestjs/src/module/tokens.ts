/**
 * Injection token of the module's core `Keyguard` (core's framework-free keyguard: its verifier, stats, close):
 * `@Inject(KEYGUARD) keyguard: Keyguard`.
 */
export const KEYGUARD = Symbol('keyguard');
