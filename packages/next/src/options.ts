import type {
  AuthenticationOutcome,
  DenialResponse,
  KeyguardOptions,
  RequestGuard,
  RequestParts,
  VerifiedKey,
} from '@keyguard/core';

/** Options of `withApiKey`, `withApiKeyPages` and `keyguardMiddleware`: keyguard's options plus a permission query. */
export type NextKeyguardOptions = KeyguardOptions & {
  /**
   * Permission query the key must satisfy, such as `'docs.read AND (docs.write OR admin)'` (403
   * `insufficient_scope` otherwise). Parsed when the guard is created.
   * @default undefined (no permission check)
   */
  permissions?: string;
};

/**
 * The options, or a function that returns them. The function runs once, on the first request, so that
 * configuration read from the environment (a root key) is not needed while `next build` imports the module.
 */
export type OptionsOrFactory<O> = O | (() => O);

export type { ApiKeyFor } from '@keyguard/core';

/** The bound `createKeyguard` of one of core's builds (Node: undici; edge: fetch). */
export type CreateKeyguard = (options: KeyguardOptions) => RequestGuard;

/** Authenticates one request and applies the permission query: the part every Next.js entry point shares. */
export interface Gate {
  (request: RequestParts): Promise<AuthenticationOutcome>;
  /** The RequestGuard behind it (created on first use when the options are a function). */
  keyguard(): RequestGuard;
}

interface GateState {
  core: RequestGuard;
  check: ((apiKey: VerifiedKey | undefined) => DenialResponse | undefined) | undefined;
}

/**
 * One keyguard per guard, created once: now when `options` is an object (bad options and bad permission
 * queries throw at import), on the first request when it is a function. Never per request.
 */
export function createGate(createKeyguard: CreateKeyguard, options: OptionsOrFactory<NextKeyguardOptions>): Gate {
  const init = (): GateState => {
    const { permissions, ...keyguardOptions } = typeof options === 'function' ? options() : options;
    const core = createKeyguard(keyguardOptions as KeyguardOptions);
    return { core, check: permissions === undefined ? undefined : core.permissionCheck(permissions) };
  };
  let state: GateState | undefined = typeof options === 'function' ? undefined : init();
  const gate = async (request: RequestParts): Promise<AuthenticationOutcome> => {
    state ??= init();
    const outcome = await state.core.authenticate(request);
    if (!outcome.allowed) return outcome;
    const denial = state.check?.(outcome.apiKey);
    return denial ? { allowed: false, denial } : outcome;
  };
  return Object.assign(gate, {
    keyguard: () => {
      state ??= init();
      return state.core;
    },
  });
}

/** A denial as a fetch `Response`: status, headers and the problem body as JSON, nothing else. */
export function denialResponse(denial: DenialResponse): Response {
  return new Response(JSON.stringify(denial.body), { status: denial.status, headers: denial.headers });
}
