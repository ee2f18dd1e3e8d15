import type { RetryConfig } from '@keyguard/core/service';
import { UnkeyClient } from '@keyguard/unkey';
import { durationOption } from './commands/parse.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** The port `keyguard serve` listens on unless told otherwise. */
export const DEFAULT_PORT = 8787;
/** Where the Unkey commands go unless `--base-url` or `KEYGUARD_BASE_URL` says otherwise: a local `keyguard serve`. */
export const DEFAULT_BASE_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

/** Someone is waiting at a terminal: retry safe calls briefly (2 s budget), not the library's 10 s. */
export const CLI_RETRY: RetryConfig = {
  strategy: 'backoff',
  backoff: { initialInterval: 250, maxInterval: 1_000, exponent: 1.5, maxElapsedTime: 2_000 },
  retryConnectionErrors: true,
};

export interface ConnectionOptions {
  baseUrl?: string;
  rootKey?: string;
  timeout?: string;
}

/** The root key from `--root-key`, `KEYGUARD_ROOT_KEY` or `UNKEY_ROOT_KEY`, in that order. */
export function rootKeyFrom(options: ConnectionOptions, io: CliIo): string | undefined {
  return options.rootKey || io.env.KEYGUARD_ROOT_KEY || io.env.UNKEY_ROOT_KEY || undefined;
}

/** The base URL, checked to be http(s). */
export function checkedBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`invalid base URL "${baseUrl}": expected http(s)://host[:port]`);
  }
  return baseUrl;
}

/** `--timeout` in ms (or with a unit: `5s`), when given. */
export function timeoutFrom(options: ConnectionOptions): number | undefined {
  const timeoutMs = durationOption('--timeout', options.timeout);
  if (timeoutMs === 0) throw new CliError('--timeout must be more than 0');
  return timeoutMs;
}

/** `--base-url`, else `KEYGUARD_BASE_URL`, else the local `keyguard serve`'s default, checked to be http(s). */
export function baseUrlFrom(options: ConnectionOptions, io: CliIo): string {
  return checkedBaseUrl(options.baseUrl || io.env.KEYGUARD_BASE_URL || DEFAULT_BASE_URL);
}

/** An `UnkeyClient` for `--base-url` / `KEYGUARD_BASE_URL` (default the local `keyguard serve`). */
export function clientFrom(options: ConnectionOptions, io: CliIo): UnkeyClient {
  const rootKey = rootKeyFrom(options, io);
  if (!rootKey) throw new CliError('no root key: pass --root-key or set KEYGUARD_ROOT_KEY (or UNKEY_ROOT_KEY)');
  return new UnkeyClient({
    rootKey,
    baseUrl: baseUrlFrom(options, io),
    timeoutMs: timeoutFrom(options),
    userAgent: 'keyguard-cli',
    retry: CLI_RETRY,
  });
}
