import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { Command } from 'commander';
import { CliError } from '../errors.js';
import { fields, print, table } from '../output.js';
import { withM2M } from './clerk-m2m-session.js';
import { addOAuthCommand, addTokensCommand } from './clerk-m2m-tokens.js';
import type { CliContext } from './context.js';
import { integerOption, listOption, secondsOption } from './parse.js';

interface MachineJson {
  id: string;
  name: string;
  default_token_ttl: number;
  scoped_machines: { id: string }[];
  created_at: number;
  secret_key?: string;
}

export function clerkM2MCommand(context: CliContext): Command {
  const m2m = new Command('clerk-m2m')
    .description("Clerk's machine auth on Clerk or on the local key service: machines, M2M tokens, OAuth access tokens")
    .option('--secret-key <key>', 'Clerk secret key (prefer env KEYGUARD_CLERK_SECRET_KEY or CLERK_SECRET_KEY)')
    .option(
      '--machine-secret-key <key>',
      'machine secret key, ak_… (prefer env KEYGUARD_CLERK_MACHINE_SECRET_KEY or CLERK_MACHINE_SECRET_KEY)',
    )
    .addHelpText(
      'after',
      '\nBase URL: --base-url or KEYGUARD_CLERK_BASE_URL (default http://127.0.0.1:8787/v1; Clerk itself: https://api.clerk.com/v1).',
    );
  m2m.addCommand(machinesCommand(context));
  addTokensCommand(m2m, context);
  addOAuthCommand(m2m, context);
  m2m
    .command('jwt-key')
    .description('Print the PEM public key that verifies M2M JWTs (jwtKey of @clerk/backend), from GET /jwks')
    .action((_options: unknown, command: Command) =>
      withM2M(context, command, 'instance', async (call, json) => {
        const { keys } = await call<{ keys: (JsonWebKey & { kid: string })[] }>('jwks', 'GET', '/jwks');
        const newest = keys[0];
        if (!newest) throw new CliError('the JWKS lists no key');
        const pem = createPublicKey({ key: newest, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
        print(context.io, json, { kid: newest.kid, pem }, () => pem.trimEnd());
      }),
    );
  return m2m;
}

function machineFields(machine: MachineJson): string {
  return fields([
    ['id', machine.id],
    ['name', machine.name],
    ['scoped machines', machine.scoped_machines.map((target) => target.id).join(', ') || '(none)'],
    ['default token ttl', `${machine.default_token_ttl}s`],
    ['secret key', machine.secret_key],
  ]);
}

function machinesCommand(context: CliContext): Command {
  const machines = new Command('machines').description('Create and list machines (instance secret key)');
  machines
    .command('create')
    .description('Create a machine; its secret key is printed with it')
    .requiredOption('--name <name>', '1..255 characters')
    .option('--scoped-machines <mch_a,mch_b>', 'machines it may send tokens to (the scopes of its tokens)')
    .option('--default-ttl <duration>', 'lifetime of its tokens: seconds, or 90s, 15m, 12h, 30d (default 1h)')
    .action((options: { name: string; scopedMachines?: string; defaultTtl?: string }, command: Command) =>
      withM2M(context, command, 'instance', async (call, json) => {
        const machine = await call<MachineJson>('machines.create', 'POST', '/machines', {
          name: options.name,
          ...(options.scopedMachines !== undefined ? { scoped_machines: listOption(options.scopedMachines) } : {}),
          ...(options.defaultTtl !== undefined
            ? { default_token_ttl: secondsOption('--default-ttl', options.defaultTtl, 1) }
            : {}),
        });
        if (machine.secret_key) context.secrets.push(machine.secret_key);
        print(context.io, json, machine, () => `${machineFields(machine)}\n(store the secret key safely)`);
      }),
    );
  machines
    .command('list')
    .description('List machines, newest first')
    .option('--query <text>', 'a machine id, or part of a name')
    .option('--limit <n>', 'at most this many (default 10)')
    .action((options: { query?: string; limit?: string }, command: Command) =>
      withM2M(context, command, 'instance', async (call, json) => {
        const query = new URLSearchParams();
        if (options.query !== undefined) query.set('query', options.query);
        if (options.limit !== undefined) query.set('limit', String(integerOption('--limit', options.limit, 1)));
        const page = await call<{ data: MachineJson[]; total_count: number }>(
          'machines.list',
          'GET',
          `/machines?${query}`,
        );
        print(context.io, json, page, () =>
          table(
            ['ID', 'NAME', 'SCOPED MACHINES', 'TTL'],
            page.data.map((m) => [
              m.id,
              m.name,
              m.scoped_machines.map((t) => t.id).join(',') || '-',
              `${m.default_token_ttl}s`,
            ]),
          ),
        );
      }),
    );
  return machines;
}
