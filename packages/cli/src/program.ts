import { Command, CommanderError } from 'commander';
import { apisCommand } from './commands/apis.js';
import { clerkKeysCommand } from './commands/clerk-keys.js';
import type { CliContext } from './commands/context.js';
import { keysCommand } from './commands/keys.js';
import { serveCommand } from './commands/serve.js';
import { DEFAULT_CLERK_BASE_URL } from './clerk-client.js';
import { DEFAULT_BASE_URL } from './client.js';
import { describeError } from './errors.js';
import type { CliIo } from './io.js';

const VERSION = '0.1.0';

function buildProgram(context: CliContext): Command {
  const program = new Command('keyguard')
    .description('keyguard: run the local key service; manage APIs and keys on any Unkey-compatible service, and Clerk API keys')
    .version(VERSION)
    .option('--base-url <url>', `service base URL (env KEYGUARD_BASE_URL, default ${DEFAULT_BASE_URL}; for clerk-keys KEYGUARD_CLERK_BASE_URL, default ${DEFAULT_CLERK_BASE_URL})`)
    .option('--root-key <key>', 'root key (prefer env KEYGUARD_ROOT_KEY or UNKEY_ROOT_KEY: arguments show in process lists)')
    .option('--timeout <ms>', 'per-request timeout in milliseconds')
    .option('--json', 'print JSON (one line) instead of text')
    .addCommand(serveCommand(context))
    .addCommand(apisCommand(context))
    .addCommand(keysCommand(context))
    .addCommand(clerkKeysCommand(context));
  const configure = (command: Command) => {
    command
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({ writeOut: (text) => context.io.stdout(text), writeErr: (text) => context.io.stderr(text), outputError: (text, write) => write(text) });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * Runs the `keyguard` command with `argv` (the arguments after the program name) and answers the exit code.
 * Expected failures print one line on stderr (`keyguard: …`) and exit 1; never a stack trace, never the root key.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context: CliContext = { io, secrets: [] };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(`keyguard: ${describeError(error, context.secrets)}\n`);
    return 1;
  }
}
