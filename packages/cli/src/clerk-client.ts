import { ClerkClient } from '@keyguard/clerk';
import { checkedBaseUrl, CLI_RETRY, DEFAULT_PORT, timeoutFrom, type ConnectionOptions } from './client.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** Where the Clerk commands go unless told otherwise: a local `keyguard serve`'s Clerk API. */
export const DEFAULT_CLERK_BASE_URL = `http://127.0.0.1:${DEFAULT_PORT}/v1`;

export interface ClerkConnectionOptions extends ConnectionOptions {
  secretKey?: string;
}

/** The Clerk secret key from `--secret-key`, `KEYGUARD_CLERK_SECRET_KEY` or `CLERK_SECRET_KEY`, in that order. */
export function clerkSecretKeyFrom(options: ClerkConnectionOptions, io: CliIo): string | undefined {
  return options.secretKey || io.env.KEYGUARD_CLERK_SECRET_KEY || io.env.CLERK_SECRET_KEY || undefined;
}

/** `--base-url`, else `KEYGUARD_CLERK_BASE_URL`, else the local `keyguard serve`'s `/v1`, checked to be http(s). */
export function clerkBaseUrlFrom(options: ClerkConnectionOptions, io: CliIo): string {
  return checkedBaseUrl(options.baseUrl || io.env.KEYGUARD_CLERK_BASE_URL || DEFAULT_CLERK_BASE_URL);
}

/** A `ClerkClient` for `--base-url` / `KEYGUARD_CLERK_BASE_URL` (default the local `keyguard serve`'s `/v1`). */
export function clerkClientFrom(options: ClerkConnectionOptions, io: CliIo): ClerkClient {
  const secretKey = clerkSecretKeyFrom(options, io);
  if (!secretKey)
    throw new CliError('no Clerk secret key: pass --secret-key or set KEYGUARD_CLERK_SECRET_KEY (or CLERK_SECRET_KEY)');
  return new ClerkClient({
    secretKey,
    baseUrl: clerkBaseUrlFrom(options, io),
    timeoutMs: timeoutFrom(options),
    userAgent: 'keyguard-cli',
    retry: CLI_RETRY,
  });
}
