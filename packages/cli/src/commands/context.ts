import type { Command } from 'commander';
import type { UnkeyClient } from '@keyguard/core';
import { clientFrom, rootKeyFrom, type ConnectionOptions } from '../client.js';
import type { CliIo } from '../io.js';

export interface GlobalOptions extends ConnectionOptions {
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

/** Runs `work` with a client for the command's connection options, closing it afterwards. */
export async function withClient<T>(context: CliContext, command: Command, work: (client: UnkeyClient, options: GlobalOptions) => Promise<T>): Promise<T> {
  const options = globalsOf(command);
  const rootKey = rootKeyFrom(options, context.io);
  if (rootKey) context.secrets.push(rootKey);
  const client = clientFrom(options, context.io);
  try {
    return await work(client, options);
  } finally {
    await client.close();
  }
}
