import { Command } from 'commander';
import type { IdentityData } from '@keyguard/unkey';
import { fields, print } from '../output.js';
import { type CliContext, withClient } from './context.js';
import { collect, listing, pageRequest, type PageOptions } from './pages.js';
import { jsonObjectOption, ratelimitOption } from './parse.js';

type Ratelimits = ReturnType<typeof ratelimitOption>;

const collectRatelimit = (value: string, previous?: Ratelimits) => ratelimitOption(value, previous);

const describeIdentity = (identity: IdentityData): string =>
  fields([
    ['id', identity.id],
    ['externalId', identity.externalId],
    ['meta', identity.meta],
    ...(identity.ratelimits ?? []).map((limit): [string, string] => [
      `ratelimit ${limit.name}`,
      `${limit.limit} per ${limit.duration} ms${limit.autoApply ? ' (auto)' : ''}`,
    ]),
  ]);

export function identitiesCommand(context: CliContext): Command {
  const { io } = context;
  const identities = new Command('identities').description(
    'Identities: metadata and rate limits shared by every key of an externalId',
  );

  identities
    .command('create')
    .description('Create an identity; keys created with --external-id <externalId> belong to it')
    .argument('<externalId>')
    .option('--meta <json>', 'metadata, a JSON object')
    .option('--ratelimit <name:limit:duration[:auto]>', 'a shared rate limit; repeat for more', collectRatelimit)
    .action((externalId: string, options: { meta?: string; ratelimit?: Ratelimits }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.identities.createIdentity({
          externalId,
          ...(options.meta !== undefined ? { meta: jsonObjectOption('--meta', options.meta) } : {}),
          ...(options.ratelimit ? { ratelimits: options.ratelimit } : {}),
        });
        print(io, Boolean(json), data, () => fields([['identityId', data.identityId]]));
      }),
    );

  identities
    .command('get')
    .description('Show an identity')
    .argument('<identity>', 'its id (id_…) or externalId')
    .action((identity: string, _options: unknown, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.identities.getIdentity({ identity });
        print(io, Boolean(json), data, () => describeIdentity(data));
      }),
    );

  identities
    .command('list')
    .description('List identities (one page, or every page with --all)')
    .option('--search <text>', 'only ids or externalIds containing this (case-insensitive)')
    .option('--limit <n>', 'identities per page, 1..100')
    .option('--cursor <cursor>', 'start at this cursor (from a previous page)')
    .option('--all', 'follow the cursor through every page')
    .action((options: PageOptions & { search?: string }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const request = {
          ...pageRequest(options),
          ...(options.search !== undefined ? { search: options.search } : {}),
        };
        const { items, pagination } = await collect(
          options,
          () => client.identities.listIdentities(request),
          () => client.identities.listIdentitiesAll(request),
        );
        print(io, Boolean(json), { identities: items, pagination }, () =>
          listing(
            items.map((identity) => `${identity.id}  ${identity.externalId}`),
            'no identities',
            pagination,
          ),
        );
      }),
    );

  identities
    .command('update')
    .description(
      "Replace an identity's metadata and/or rate limits (its keys see the change at their next verification)",
    )
    .argument('<identity>', 'its id (id_…) or externalId')
    .option('--meta <json>', 'new metadata, a JSON object ({} clears it)')
    .option('--ratelimit <name:limit:duration[:auto]>', 'the new set of rate limits; repeat for more', collectRatelimit)
    .option('--clear-ratelimits', 'remove every rate limit')
    .action(
      (
        identity: string,
        options: { meta?: string; ratelimit?: Ratelimits; clearRatelimits?: boolean },
        command: Command,
      ) =>
        withClient(context, command, async (client, { json }) => {
          const ratelimits = options.clearRatelimits ? [] : options.ratelimit;
          const { data } = await client.identities.updateIdentity({
            identity,
            ...(options.meta !== undefined ? { meta: jsonObjectOption('--meta', options.meta) } : {}),
            ...(ratelimits ? { ratelimits } : {}),
          });
          print(io, Boolean(json), data, () => describeIdentity(data));
        }),
    );

  identities
    .command('delete')
    .description('Delete an identity and its rate limits; its keys stay, without it')
    .argument('<identity>', 'its id (id_…) or externalId')
    .action((identity: string, _options: unknown, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        await client.identities.deleteIdentity({ identity });
        print(io, Boolean(json), { identity, deleted: true }, () => `deleted ${identity}`);
      }),
    );
  return identities;
}
