import type { Backend } from './backend.js';
import { curlCommand, type DemoKeys, type DemoRequest } from './requests.js';

/** What the demo prints, and the commands in it that `--check` runs as printed. */
export interface Banner {
  text: string;
  /** One curl command per request, in order. */
  curls: string[];
  /** Shell lines that point the CLI at this key service and list the demo's keys. */
  cliLines: string[];
}

function cliLines(backend: Backend): string[] {
  if (backend.kind === 'unkey')
    return [
      'export KEYGUARD_BASE_URL=https://api.unkey.com   # the root key comes from UNKEY_ROOT_KEY',
      `pnpm keyguard apis list-keys ${backend.apiId}`,
    ];
  return [
    `export KEYGUARD_BASE_URL=${backend.baseUrl} KEYGUARD_ROOT_KEY=${backend.rootKey}`,
    `pnpm keyguard apis list-keys ${backend.apiId}`,
  ];
}

export function banner(backend: Backend, api: string, keys: DemoKeys, requests: readonly DemoRequest[]): Banner {
  const curls = requests.map((request) => curlCommand(request, api));
  const cli = cliLines(backend);
  const service =
    backend.kind === 'local'
      ? `${backend.baseUrl}   local, in memory: empty again on every run (KEYGUARD_PORT moves it)`
      : `https://api.unkey.com   Unkey, API ${backend.apiId}`;
  const lines = [
    '',
    'keyguard demo',
    '',
    `  key service  ${service}`,
    `  example API  ${api}   examples/express (PORT moves it)`,
    ...(backend.kind === 'local' ? [`  root key     ${backend.rootKey}   (for the CLI, see "Next" below)`] : []),
    '',
    'Keys (shown once):',
    `  read-only       ${keys.reader}`,
    `  read-write      ${keys.writer}`,
    `  rate-limited    ${keys.limited}`,
    `  three credits   ${keys.credits}`,
    '',
    'Try (each answer shows its status, headers and problem+json body):',
    ...requests.flatMap((request, index) => ['', `  # ${request.title} → ${request.expect}`, `  ${curls[index]}`]),
    '',
    'Next:',
    '  Manage this service with the CLI, in another terminal (`pnpm keyguard --help` for more):',
    ...cli.map((line) => `    ${line}`),
    '  The app answering above: examples/express/src/app.ts; the same API on Fastify, Hono, Koa, NestJS and Next.js: examples/*/README.md',
    '  Guard your own app: README.md ("In one picture") and packages/express/README.md',
    '',
    'Ctrl+C stops the demo.',
  ];
  return { text: lines.join('\n'), curls, cliLines: cli };
}
