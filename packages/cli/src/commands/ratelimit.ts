import { Command } from 'commander';
import type { RatelimitOverrideData } from '@keyguard/unkey';
import { CliError } from '../errors.js';
import { fields, print } from '../output.js';
import { type CliContext, withClient } from './context.js';
import { collect, listing, pageRequest, type PageOptions } from './pages.js';
import { durationOption, integerOption } from './parse.js';

const describeOverride = (override: RatelimitOverrideData): string =>
  fields([
    ['overrideId', override.overrideId],
    ['identifier', override.identifier],
    ['limit', override.limit],
    ['duration', `${override.duration} ms`],
  ]);

function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new CliError(`${name} is required`);
  return value;
}

function overrideCommand(context: CliContext): Command {
  const { io } = context;
  const override = new Command('override').description(
    'Overrides: a different limit for identifiers of a namespace (exact, or a pattern with * wildcards)',
  );

  override
    .command('set')
    .description('Set the limit for an identifier or pattern (replaces an existing override for it)')
    .argument('<namespace>', 'namespace name or id (created by its first `ratelimit limit`)')
    .argument('<identifier>', 'an identifier, or a pattern such as "premium_*"')
    .requiredOption('--limit <n>', 'requests per window (0 blocks every request)')
    .requiredOption('--duration <duration>', 'window length: ms, or 90s, 15m, 12h, 30d (≥ 1 s)')
    .action((namespace: string, identifier: string, options: { limit: string; duration: string }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.ratelimit.setOverride({
          namespace,
          identifier,
          limit: required('--limit', integerOption('--limit', options.limit, 0)),
          duration: required('--duration', durationOption('--duration', options.duration)),
        });
        print(io, Boolean(json), data, () => fields([['overrideId', data.overrideId]]));
      }),
    );

  override
    .command('get')
    .description('Show the override set for exactly this identifier or pattern')
    .argument('<namespace>')
    .argument('<identifier>')
    .action((namespace: string, identifier: string, _options: unknown, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.ratelimit.getOverride({ namespace, identifier });
        print(io, Boolean(json), data, () => describeOverride(data));
      }),
    );

  override
    .command('list')
    .description("List a namespace's overrides (one page, or every page with --all)")
    .argument('<namespace>')
    .option('--limit <n>', 'overrides per page, 1..100 (default 10)')
    .option('--cursor <cursor>', 'start at this cursor (from a previous page)')
    .option('--all', 'follow the cursor through every page')
    .action((namespace: string, options: PageOptions, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const request = { namespace, ...pageRequest(options) };
        const { items, pagination } = await collect(
          options,
          () => client.ratelimit.listOverrides(request),
          () => client.ratelimit.listOverridesAll(request),
        );
        print(io, Boolean(json), { overrides: items, pagination }, () =>
          listing(
            items.map((entry) => `${entry.overrideId}  ${entry.identifier}  ${entry.limit} per ${entry.duration} ms`),
            'no overrides',
            pagination,
          ),
        );
      }),
    );

  override
    .command('delete')
    .description('Delete the override for exactly this identifier or pattern')
    .argument('<namespace>')
    .argument('<identifier>')
    .action((namespace: string, identifier: string, _options: unknown, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        await client.ratelimit.deleteOverride({ namespace, identifier });
        print(
          io,
          Boolean(json),
          { namespace, identifier, deleted: true },
          () => `deleted the override for ${identifier}`,
        );
      }),
    );
  return override;
}

export function ratelimitCommand(context: CliContext): Command {
  const { io } = context;
  const ratelimit = new Command('ratelimit').description(
    'Standalone rate limiting (ratelimit.limit) and its overrides',
  );
  ratelimit
    .command('limit')
    .description('Spend from the limit of an identifier in a namespace; exits 0 when allowed, 3 when limited')
    .argument('<namespace>')
    .argument('<identifier>')
    .requiredOption('--limit <n>', 'requests per window')
    .requiredOption('--duration <duration>', 'window length: ms, or 90s, 15m, 12h, 30d (≥ 1 s)')
    .option('--cost <n>', 'units to spend (default 1)')
    .action(
      (
        namespace: string,
        identifier: string,
        options: { limit: string; duration: string; cost?: string },
        command: Command,
      ) =>
        withClient(context, command, async (client, { json }) => {
          const cost = integerOption('--cost', options.cost, 0);
          const { data } = await client.ratelimit.limit({
            namespace,
            identifier,
            limit: required('--limit', integerOption('--limit', options.limit, 1)),
            duration: required('--duration', durationOption('--duration', options.duration)),
            ...(cost !== undefined ? { cost } : {}),
          });
          print(io, Boolean(json), data, () =>
            fields([
              ['success', String(data.success)],
              ['remaining', `${data.remaining}/${data.limit}`],
              ['reset', new Date(data.reset).toISOString()],
              ['overrideId', data.overrideId],
            ]),
          );
          if (!data.success) context.exitCode = 3;
        }),
    );
  return ratelimit.addCommand(overrideCommand(context));
}
