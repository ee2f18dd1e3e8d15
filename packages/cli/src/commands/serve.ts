import { Command } from 'commander';
import { consoleLogger, createKeyServer, silentLogger } from '@keyguard/server';
import { DEFAULT_PORT } from '../client.js';
import { CliError } from '../errors.js';
import { fields, print } from '../output.js';
import type { CliContext } from './context.js';
import { globalsOf } from './context.js';
import { integerOption } from './parse.js';

interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
  quiet?: boolean;
}

/** Resolves when the shutdown signal fires (never, without one). */
const untilShutdown = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

export function serveCommand(context: CliContext): Command {
  const { io } = context;
  return new Command('serve')
    .description("Run the local key service (Unkey v2 wire format, and Clerk's /v1/api_keys) until SIGINT/SIGTERM")
    .option('--port <port>', `port to listen on, 0 for any free one (default ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--db <path>', 'SQLite file (default: in memory, lost on exit)')
    .option('--quiet', 'no request logging')
    .addHelpText(
      'after',
      '\nOn first start it creates a workspace and a root key with every permission and prints the key once.\n' +
        'It also creates a Clerk secret key (sk_test_…) for /v1/api_keys and prints it once.\n' +
        'KEYGUARD_ROOT_KEY: use this root key instead. KEYGUARD_CLERK_SECRET_KEY: use this Clerk secret key instead.\n' +
        'KEYGUARD_SECRET: secret sealing recoverable keys and Clerk API key secrets.',
    )
    .action(async (options: ServeOptions, command: Command) => {
      const { json } = globalsOf(command);
      const port = integerOption('--port', options.port, 0) ?? DEFAULT_PORT;
      if (port > 65_535) throw new CliError('--port must be 0..65535');
      const rootKey = io.env.KEYGUARD_ROOT_KEY || undefined;
      const clerkSecretKey = io.env.KEYGUARD_CLERK_SECRET_KEY || undefined;
      for (const secret of [rootKey, clerkSecretKey]) if (secret) context.secrets.push(secret);
      let server;
      try {
        server = createKeyServer({
          database: options.db ?? ':memory:',
          host: options.host ?? '127.0.0.1',
          port,
          rootKey,
          clerkSecretKey,
          secret: io.env.KEYGUARD_SECRET || undefined,
          logger: options.quiet || json ? silentLogger : consoleLogger,
        });
      } catch (error) {
        throw new CliError(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        const boot = server.bootstrap();
        const { url } = await server.start();
        const clerkBaseUrl = `${url}/v1`;
        const info = {
          url,
          clerkBaseUrl,
          workspaceId: boot.workspaceId,
          ...(boot.rootKey ? { rootKey: boot.rootKey } : {}),
          ...(boot.clerkSecretKey ? { clerkSecretKey: boot.clerkSecretKey } : {}),
          database: options.db ?? ':memory:',
        };
        print(io, Boolean(json), info, () => {
          const lines = [`keyguard key service listening on ${url}`, fields([['workspace', boot.workspaceId], ['database', info.database]])];
          if (boot.rootKey) lines.push(`root key (shown once, store it now): ${boot.rootKey}`, `  export KEYGUARD_ROOT_KEY=${boot.rootKey} KEYGUARD_BASE_URL=${url}`);
          else lines.push(rootKey ? 'root key: from KEYGUARD_ROOT_KEY' : 'root key: the one printed on first start (or set KEYGUARD_ROOT_KEY)');
          lines.push(`Clerk API keys (/v1/api_keys): ${clerkBaseUrl}`);
          if (boot.clerkSecretKey) {
            lines.push(
              `clerk secret key (shown once, store it now): ${boot.clerkSecretKey}`,
              `  export KEYGUARD_CLERK_SECRET_KEY=${boot.clerkSecretKey} KEYGUARD_CLERK_BASE_URL=${clerkBaseUrl}`,
            );
          } else {
            lines.push(clerkSecretKey ? 'clerk secret key: from KEYGUARD_CLERK_SECRET_KEY' : 'clerk secret key: the one printed on first start (or set KEYGUARD_CLERK_SECRET_KEY)');
          }
          return lines.join('\n');
        });
      } catch (error) {
        await server.stop();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`cannot listen on ${options.host ?? '127.0.0.1'}:${port}: the port is in use`);
        if (code === 'EACCES') throw new CliError(`cannot listen on ${options.host ?? '127.0.0.1'}:${port}: permission denied`);
        throw error;
      }
      await untilShutdown(io.shutdown);
      if (!json) io.stdout('stopping: finishing in-flight requests\n');
      await server.stop();
      if (!json) io.stdout('stopped\n');
    });
}
