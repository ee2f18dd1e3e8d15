import { Command, CommanderError } from 'commander';
import { apisCommand } from './commands/apis.js';
import { auditCommand } from './commands/audit.js';
import { clerkKeysCommand } from './commands/clerk-keys.js';
import { clerkM2MCommand } from './commands/clerk-m2m.js';
import type { CliContext } from './commands/context.js';
import { identitiesCommand } from './commands/identities.js';
import { addKeyAccessCommands } from './commands/key-access.js';
import { invalidateCommand } from './commands/invalidate.js';
import { keysCommand } from './commands/keys.js';
import { ratelimitCommand } from './commands/ratelimit.js';
import { rootKeysCommand } from './commands/root-keys.js';
import { serveCommand } from './commands/serve.js';
import { DEFAULT_CLERK_BASE_URL } from './clerk-client.js';
import { DEFAULT_BASE_URL } from './client.js';
import { describeError } from './errors.js';
import type { CliIo } from './io.js';

const VERSION = '0.1.0';

function buildProgram(context: CliContext): Command {
  const program = new Command('keyguard')
    .description(
      'keyguard: run the local key service; manage APIs, keys, identities and rate limits on any Unkey-compatible service, root keys on the local one, and Clerk API keys',
    )
    .version(VERSION)
    .option(
      '--base-url <url>',
      `service base URL (env KEYGUARD_BASE_URL, default ${DEFAULT_BASE_URL}; for clerk-keys KEYGUARD_CLERK_BASE_URL, default ${DEFAULT_CLERK_BASE_URL})`,
    )
    .option(
      '--root-key <key>',
      'root key (prefer env KEYGUARD_ROOT_KEY or UNKEY_ROOT_KEY: arguments show in process lists)',
    )
    .option('--timeout <duration>', 'per-request timeout: milliseconds, or 5s, 1m')
    .option('--json', 'print JSON (one line) instead of text')
    .addCommand(serveCommand(context))
    .addCommand(apisCommand(context))
    .addCommand(addKeyAccessCommands(keysCommand(context), context))
    .addCommand(identitiesCommand(context))
    .addCommand(ratelimitCommand(context))
    .addCommand(rootKeysCommand(context))
    .addCommand(auditCommand(context))
    .addCommand(clerkKeysCommand(context))
    .addCommand(clerkM2MCommand(context))
    .addCommand(invalidateCommand(context));
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
      // Commander's own errors (unknown option, missing argument, …) in the style of every other error: one line.
      outputError: (text, write) => write(`${usageErrorLine(text, command)}\n`),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** `keyguard apis get`: the words that reach `command`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

/** `error: unknown option '--x'\n(Did you mean --y?)` → `keyguard: unknown option '--x' (Did you mean --y?); see \`keyguard … --help\``. */
export function usageErrorLine(commanderText: string, command: Command): string {
  const message = commanderText
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  // A missing API id is the first wall a new user meets: say where ids come from.
  const hint = /missing required argument 'apiId'/.test(message) ? ' (`keyguard apis list` shows the ids)' : '';
  return `keyguard: ${message}${hint}; see \`${commandPath(command)} --help\``;
}

/**
 * Runs the `keyguard` command with `argv` (the arguments after the program name) and answers the exit code.
 * Expected failures print one line on stderr (`keyguard: …`) and exit 1; never a stack trace, never the root key.
 *
 * @example
 * ```ts
 * import { processIo, runCli } from '@keyguard/cli';
 *
 * process.exitCode = await runCli(['keys', 'verify', 'sk_…'], processIo());
 * ```
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
