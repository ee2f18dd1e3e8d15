import { Command } from 'commander';
import type { KeyResponseData } from '@keyguard/unkey';
import { fields, print } from '../output.js';
import { keyTable } from './key-table.js';
import { type CliContext, withClient } from './context.js';
import { integerOption } from './parse.js';

export function apisCommand(context: CliContext): Command {
  const { io } = context;
  const apis = new Command('apis').description('Create, read and delete APIs, and list their keys');

  apis
    .command('create')
    .description('Create an API (3..255 chars, starts with a letter; letters, digits, _ . -)')
    .argument('<name>', 'the API name, unique in the workspace')
    .action((name: string, _options: object, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.apis.createApi({ name });
        print(io, Boolean(json), data, () =>
          fields([
            ['apiId', data.apiId],
            ['name', name],
          ]),
        );
      }),
    );

  apis
    .command('get')
    .description('Show an API')
    .argument('<apiId>')
    .action((apiId: string, _options: object, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.apis.getApi({ apiId });
        print(io, Boolean(json), data, () =>
          fields([
            ['apiId', data.id],
            ['name', data.name],
          ]),
        );
      }),
    );

  apis
    .command('delete')
    .description('Delete an API; every key in it stops verifying at once')
    .argument('<apiId>')
    .action((apiId: string, _options: object, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        await client.apis.deleteApi({ apiId });
        print(io, Boolean(json), { apiId, deleted: true }, () => `deleted ${apiId}`);
      }),
    );

  apis
    .command('list-keys')
    .description('List the keys of an API (one page, or every page with --all)')
    .argument('<apiId>')
    .option('--limit <n>', 'keys per page, 1..100')
    .option('--cursor <cursor>', 'start at this cursor (from a previous page)')
    .option('--external-id <id>', 'only keys of this identity')
    .option('--all', 'follow the cursor through every page')
    .action(
      (
        apiId: string,
        options: { limit?: string; cursor?: string; externalId?: string; all?: boolean },
        command: Command,
      ) =>
        withClient(context, command, async (client, { json }) => {
          const request = {
            apiId,
            ...(options.limit !== undefined ? { limit: integerOption('--limit', options.limit, 1) } : {}),
            ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
            ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
          };
          const keys: KeyResponseData[] = [];
          let pagination: { cursor?: string; hasMore: boolean } | undefined;
          if (options.all) {
            for await (const page of client.apis.listKeysAll(request)) keys.push(...page.data);
            pagination = { hasMore: false };
          } else {
            const page = await client.apis.listKeys(request);
            keys.push(...page.data);
            pagination = page.pagination;
          }
          print(io, Boolean(json), { keys, pagination }, () => {
            const lines = keys.length === 0 ? ['no keys'] : [keyTable(keys)];
            if (pagination?.hasMore && pagination.cursor) lines.push(`more: --cursor ${pagination.cursor}`);
            return lines.join('\n');
          });
        }),
    );
  return apis;
}
