import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import {
  createKeyServer,
  DEFAULT_DASHBOARD_PATH,
  defaultMetricsAccess,
  LOG_FORMATS,
  METRICS_ACCESS,
  type MetricsAccess,
  pinoLogger,
  silentLogger,
  type KeyServer,
  type KeyServerLogger,
  type LogFormat,
} from '@keyguard/server';
import { DEFAULT_PORT } from '../client.js';
import { CliError } from '../errors.js';
import { assertCanListen, listenFailure } from '../listen-check.js';
import { fields, print } from '../output.js';
import type { CliContext } from './context.js';
import { globalsOf } from './context.js';
import { durationOption, integerOption } from './parse.js';

interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
  quiet?: boolean;
  logFormat?: string;
  metricsAccess?: string;
  /** Commander's `--no-dashboard`: false when given. */
  dashboard?: boolean;
  dashboardPath?: string;
  auditMaxEntries?: string;
  auditMaxAge?: string;
}

/** Request and event lines on standard output: readable by default, JSON for a log collector; none with --quiet (or --json, unless a format is asked for). */
function serviceLogger(context: CliContext, options: ServeOptions, json: boolean): KeyServerLogger {
  if (options.logFormat !== undefined && !LOG_FORMATS.includes(options.logFormat as LogFormat)) {
    throw new CliError(`--log-format must be one of ${LOG_FORMATS.join(', ')}`);
  }
  if (options.quiet || (json && options.logFormat === undefined)) return silentLogger;
  return pinoLogger({
    format: (options.logFormat as LogFormat | undefined) ?? 'pretty',
    destination: { write: (line) => context.io.stdout(line) },
  });
}

type Bootstrap = ReturnType<KeyServer['bootstrap']>;

/** Said at start, since Ctrl+C then loses every API and key without another word. */
const IN_MEMORY = 'in memory: everything is lost when it stops (keep it with --db ./.data/keys.sqlite or KEYGUARD_DB)';

function metricsAccessOf(options: ServeOptions, host: string): MetricsAccess {
  const access = options.metricsAccess ?? defaultMetricsAccess(host);
  if (!METRICS_ACCESS.includes(access as MetricsAccess))
    throw new CliError(`--metrics-access must be one of ${METRICS_ACCESS.join(', ')}`);
  return access as MetricsAccess;
}

/** Resolves when the shutdown signal fires (never, without one). */
const untilShutdown = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** The lines that show generated keys (each shown this once) or say where the keys come from. */
function keyLines(boot: Bootstrap, given: { rootKey?: string; clerkSecretKey?: string }, url: string): string[] {
  const clerkBaseUrl = `${url}/v1`;
  const lines: string[] = [];
  if (boot.rootKey)
    lines.push(
      `root key (shown once, store it now): ${boot.rootKey}`,
      `  export KEYGUARD_ROOT_KEY=${boot.rootKey} KEYGUARD_BASE_URL=${url}`,
      '  it may do everything: give apps that only verify their own, `keyguard root-keys create --permission api.<apiId>.verify_key`',
    );
  else
    lines.push(
      given.rootKey
        ? 'root key: from KEYGUARD_ROOT_KEY'
        : 'root key: the one printed on first start (lost? restart with KEYGUARD_ROOT_KEY set to 16+ letters and digits to add it)',
    );
  lines.push(`Clerk API keys (/v1/api_keys): ${clerkBaseUrl}`);
  if (boot.clerkSecretKey) {
    lines.push(
      `clerk secret key (shown once, store it now): ${boot.clerkSecretKey}`,
      `  export KEYGUARD_CLERK_SECRET_KEY=${boot.clerkSecretKey} KEYGUARD_CLERK_BASE_URL=${clerkBaseUrl}`,
    );
  } else {
    lines.push(
      given.clerkSecretKey
        ? 'clerk secret key: from KEYGUARD_CLERK_SECRET_KEY'
        : 'clerk secret key: the one printed on first start (or set KEYGUARD_CLERK_SECRET_KEY)',
    );
  }
  return lines;
}

const SERVE_HELP =
  '\nOn first start it creates a workspace and a root key with every permission and prints the key once.\n' +
  'It also creates a Clerk secret key (sk_test_…) for /v1/api_keys and prints it once.\n' +
  'KEYGUARD_ROOT_KEY: use this root key instead. KEYGUARD_CLERK_SECRET_KEY: use this Clerk secret key instead.\n' +
  'KEYGUARD_SECRET: secret sealing recoverable keys and Clerk API key secrets.\n' +
  'GET /metrics: request counts, durations and verification outcomes in Prometheus text format; on a host that\n' +
  'is not loopback it needs Authorization: Bearer <root key> (see --metrics-access).';

/** The first output of `serve`: where it listens and, on a first start, the keys it made (shown this once). */
function printListening(
  io: CliContext['io'],
  json: boolean,
  started: {
    url: string;
    dashboardUrl: string | undefined;
    boot: Bootstrap;
    given: { rootKey?: string; clerkSecretKey?: string };
    database: string;
    metricsAccess: MetricsAccess;
  },
): void {
  const { url, dashboardUrl, boot, given, database, metricsAccess } = started;
  const info = {
    url,
    clerkBaseUrl: `${url}/v1`,
    ...(dashboardUrl ? { dashboardUrl } : {}),
    workspaceId: boot.workspaceId,
    ...(boot.rootKey ? { rootKey: boot.rootKey } : {}),
    ...(boot.clerkSecretKey ? { clerkSecretKey: boot.clerkSecretKey } : {}),
    database,
  };
  print(io, json, info, () =>
    [
      `keyguard key service listening on ${url}`,
      fields([
        ['workspace', boot.workspaceId],
        ['database', database === ':memory:' ? IN_MEMORY : database],
        ['metrics', `${url}/metrics${metricsAccess === 'root-key' ? ' (Authorization: Bearer <root key>)' : ''}`],
        ...(dashboardUrl ? [['dashboard', `${dashboardUrl} (sign in with a root key)`] as [string, string]] : []),
      ]),
      ...keyLines(boot, given, url),
    ].join('\n'),
  );
}

export function serveCommand(context: CliContext): Command {
  const { io } = context;
  return new Command('serve')
    .description(
      "Run the local key service (Unkey v2 wire format; Clerk's API keys, machines, M2M and OAuth tokens) until SIGINT/SIGTERM",
    )
    .option('--port <port>', `port to listen on, 0 for any free one (env KEYGUARD_PORT, default ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option(
      '--db <path>',
      'SQLite file, created with its folder if missing (env KEYGUARD_DB; default: in memory, lost on exit)',
    )
    .option(
      '--metrics-access <access>',
      `who may read GET /metrics: ${METRICS_ACCESS.join(' or ')} (default open on a loopback --host, else root-key)`,
    )
    .option(
      '--dashboard-path <path>',
      `where the web dashboard is served, on the same port (default ${DEFAULT_DASHBOARD_PATH})`,
    )
    .option('--no-dashboard', 'no web dashboard')
    .option('--audit-max-entries <n>', 'audit log: keep the newest n entries (default 10000)')
    .option('--audit-max-age <duration>', 'audit log: drop entries older than this, e.g. 7d (default 30d)')
    .option('--quiet', 'no request logging')
    .option('--log-format <format>', `request log lines: ${LOG_FORMATS.join(' or ')} (default pretty)`)
    .addHelpText('after', SERVE_HELP)
    .action(async (options: ServeOptions, command: Command) => {
      const { json } = globalsOf(command);
      const portText = options.port ?? (io.env.KEYGUARD_PORT || undefined);
      const port = integerOption(options.port !== undefined ? '--port' : 'KEYGUARD_PORT', portText, 0) ?? DEFAULT_PORT;
      if (port > 65_535) throw new CliError('the port must be 0..65535');
      const logger = serviceLogger(context, options, Boolean(json));
      const host = options.host ?? '127.0.0.1';
      const given = {
        rootKey: io.env.KEYGUARD_ROOT_KEY || undefined,
        clerkSecretKey: io.env.KEYGUARD_CLERK_SECRET_KEY || undefined,
      };
      for (const secret of [given.rootKey, given.clerkSecretKey]) if (secret) context.secrets.push(secret);
      const database = options.db ?? (io.env.KEYGUARD_DB || ':memory:');
      const metricsAccess = metricsAccessOf(options, host);
      // Before the database exists: a busy port must not cost the root key that only a first start prints.
      await assertCanListen(host, port);
      let server: KeyServer;
      try {
        if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
        server = createKeyServer({
          database,
          host,
          port,
          ...given,
          secret: io.env.KEYGUARD_SECRET || undefined,
          metricsAccess,
          logger,
          auditMaxEntries: integerOption('--audit-max-entries', options.auditMaxEntries, 1),
          auditMaxAgeMs: durationOption('--audit-max-age', options.auditMaxAge, 1000),
          dashboard: options.dashboard === false ? false : { path: options.dashboardPath ?? DEFAULT_DASHBOARD_PATH },
        });
      } catch (error) {
        throw new CliError(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
      }
      const boot = server.bootstrap();
      let url: string;
      try {
        ({ url } = await server.start());
      } catch (error) {
        await server.stop();
        // The port was taken between the check and now: the keys exist already, so show them rather than lose them.
        if (database !== ':memory:' && (boot.rootKey || boot.clerkSecretKey)) {
          const intended = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
          print(
            io,
            Boolean(json),
            { workspaceId: boot.workspaceId, rootKey: boot.rootKey, clerkSecretKey: boot.clerkSecretKey, database },
            () =>
              [`created ${database} but could not listen; its keys:`, ...keyLines(boot, given, intended)].join('\n'),
          );
        }
        throw listenFailure(error, host, port) ?? error;
      }
      const dashboardUrl =
        options.dashboard === false ? undefined : `${url}${options.dashboardPath ?? DEFAULT_DASHBOARD_PATH}/`;
      printListening(io, Boolean(json), { url, dashboardUrl, boot, given, database, metricsAccess });
      await untilShutdown(io.shutdown);
      if (!json) io.stdout('stopping: finishing in-flight requests\n');
      await server.stop();
      if (!json) io.stdout('stopped\n');
    });
}
