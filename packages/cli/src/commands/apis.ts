import { Command } from 'commander';
import { UnkeyApiError, type KeyResponseData } from '@keyguard/unkey';
import { CliError, describeError } from '../errors.js';
import { fields, print, table } from '../output.js';
import { findApi, listApis } from './api-lookup.js';
import { keyTable } from './key-table.js';
import { type CliContext, withClient, withKeyguardRoutes } from './context.js';
import { integerOption } from './parse.js';

export function apisCommand(context: CliContext): Command {
  const apis = new Command('apis').description('Create, list, read and delete APIs, and list their keys');

  addCreateCommand(apis, context);
  addListCommand(apis, context);
  addGetCommand(apis, context);
  addDeleteCommand(apis, context);
  addListKeysCommand(apis, context);
  return apis;
}

function addCreateCommand(apis: Command, context: CliContext): void {
  const { io } = context;
  apis
    .command('create')
    .description('Create an API (3..255 chars, starts with a letter; letters, digits, _ . -)')
    .argument('<name>', 'the API name, unique in the workspace')
    .action((name: string, _options: object, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.apis.createApi({ name }).catch((error: unknown) => {
          // The server's 409 names the existing id; add the command that shows it.
          if (error instanceof UnkeyApiError && error.code === 'UNKEY_CONFLICT')
            throw new CliError(
              `${describeError(error, []).replace(/\.$/, '')}; \`keyguard apis get ${name}\` shows it`,
            );
          throw error;
        });
        print(io, Boolean(json), data, () =>
          fields([
            ['apiId', data.apiId],
            ['name', name],
          ]),
        );
      }),
    );
}

function addListCommand(apis: Command, context: CliContext): void {
  const { io } = context;
  apis
    .command('list')
    .description("List the APIs (keyguard's local key service; on Unkey, its dashboard lists them)")
    .option('--name <name>', 'only the API with this name')
    .action((options: { name?: string }, command: Command) =>
      withKeyguardRoutes(context, command, async (routes, { json }) => {
        const found = (await listApis(routes)).filter((api) => options.name === undefined || api.name === options.name);
        print(io, Boolean(json), { apis: found }, () =>
          found.length === 0
            ? options.name === undefined
              ? 'no APIs: create one with `keyguard apis create <name>`'
              : `no API named "${options.name}"`
            : table(
                ['id', 'name', 'created'],
                found.map((api) => [api.id, api.name, new Date(api.createdAt).toISOString()]),
              ),
        );
      }),
    );
}

function addGetCommand(apis: Command, context: CliContext): void {
  const { io } = context;
  apis
    .command('get')
    .description('Show an API, by id or by name')
    .argument('<apiId|name>')
    .action((nameOrId: string, _options: object, command: Command) =>
      withClient(context, command, (client, { json }) =>
        withKeyguardRoutes(context, command, async (routes) => {
          const data = await findApi(client, routes, nameOrId);
          print(io, Boolean(json), data, () =>
            fields([
              ['apiId', data.id],
              ['name', data.name],
            ]),
          );
        }),
      ),
    );
}

function addDeleteCommand(apis: Command, context: CliContext): void {
  const { io } = context;
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
}

function addListKeysCommand(apis: Command, context: CliContext): void {
  const { io } = context;
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
}
