import type { Command } from 'commander';
import type { ClerkClient } from '@keyguard/clerk';
import type { UnkeyClient } from '@keyguard/unkey';
import { clerkBaseUrlFrom, clerkClientFrom, clerkSecretKeyFrom, type ClerkConnectionOptions } from '../clerk-client.js';
import { baseUrlFrom, clientFrom, rootKeyFrom, timeoutFrom } from '../client.js';
import { CliError } from '../errors.js';
import { KeyguardRoutes } from '../keyguard-routes.js';
import { transportFailureOf, unreachableServiceError } from '../errors.js';
import type { CliIo } from '../io.js';

export interface GlobalOptions extends ClerkConnectionOptions {
  json?: boolean;
}

/** What every command gets: the io, and the secrets to keep out of any output. */
export interface CliContext {
  io: CliIo;
  /** Filled as secrets become known (root key, keys passed as arguments), so error lines can redact them. */
  secrets: string[];
  /** Set by a command that succeeded but wants a non-zero exit (an invalid key in `keys verify`). */
  exitCode?: number;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Where a client talks to, for error messages: its base URL and the variable that sets it. */
interface Endpoint {
  baseUrl: string;
  baseUrlEnv: string;
}

/** Runs `work` with `client`, closing it afterwards; a transport failure names the URL it tried. */
async function using<C extends { close(): Promise<void> }, T>(
  client: C,
  endpoint: Endpoint,
  options: GlobalOptions,
  work: (client: C, options: GlobalOptions) => Promise<T>,
): Promise<T> {
  try {
    return await work(client, options);
  } catch (error) {
    const transportFailure = transportFailureOf(error);
    if (transportFailure) throw unreachableServiceError(transportFailure, endpoint.baseUrl, endpoint.baseUrlEnv);
    throw error;
  } finally {
    await client.close();
  }
}

/** Runs `work` with an Unkey client for the command's connection options, closing it afterwards. */
export async function withClient<T>(
  context: CliContext,
  command: Command,
  work: (client: UnkeyClient, options: GlobalOptions) => Promise<T>,
): Promise<T> {
  const options = globalsOf(command);
  const rootKey = rootKeyFrom(options, context.io);
  if (rootKey) context.secrets.push(rootKey);
  return using(
    clientFrom(options, context.io),
    { baseUrl: baseUrlFrom(options, context.io), baseUrlEnv: 'KEYGUARD_BASE_URL' },
    options,
    work,
  );
}

/** Runs `work` with a Clerk client for the command's connection options (`--secret-key`, …), closing it afterwards. */
export async function withClerkClient<T>(
  context: CliContext,
  command: Command,
  work: (client: ClerkClient, options: GlobalOptions) => Promise<T>,
): Promise<T> {
  const options = globalsOf(command);
  const secretKey = clerkSecretKeyFrom(options, context.io);
  if (secretKey) context.secrets.push(secretKey);
  return using(
    clerkClientFrom(options, context.io),
    { baseUrl: clerkBaseUrlFrom(options, context.io), baseUrlEnv: 'KEYGUARD_CLERK_BASE_URL' },
    options,
    work,
  );
}

/** Runs `work` with keyguard's own routes of the local key service (listing APIs, managing root keys). */
export async function withKeyguardRoutes<T>(
  context: CliContext,
  command: Command,
  work: (routes: KeyguardRoutes, options: GlobalOptions) => Promise<T>,
): Promise<T> {
  const options = globalsOf(command);
  const rootKey = rootKeyFrom(options, context.io);
  if (!rootKey) throw new CliError('no root key: pass --root-key or set KEYGUARD_ROOT_KEY (or UNKEY_ROOT_KEY)');
  context.secrets.push(rootKey);
  const baseUrl = baseUrlFrom(options, context.io);
  return using(
    new KeyguardRoutes(baseUrl, rootKey, timeoutFrom(options)),
    { baseUrl, baseUrlEnv: 'KEYGUARD_BASE_URL' },
    options,
    work,
  );
}
