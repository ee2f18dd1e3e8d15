/**
 * Injection token of the module's `RequestGuard` (core's framework-free guard: its verifier, stats, close):
 * `@Inject(KEYGUARD) keyguard: RequestGuard`.
 */
export const KEYGUARD = Symbol('keyguard');
