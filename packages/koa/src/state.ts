import type { VerifiedKey } from '@keyguard/core';

/** The `ctx.state` keyguard fills; `Middleware<KeyguardState>` types `ctx.state.apiKey` for the middlewares after it. */
export interface KeyguardState {
  /** The verified API key; unset on `optional` routes called without a key. */
  apiKey?: VerifiedKey;
}
