import { Command } from 'commander';
import type { RootKeySummary } from '../keyguard-routes.js';
import { fields, print, table } from '../output.js';
import { type CliContext, withKeyguardRoutes } from './context.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A root key made by `serve` holds some thirty permissions: the table shows two and a count (`--json` has all). */
const shortList = (permissions: readonly string[]): string =>
  permissions.length > 3
    ? `${permissions.slice(0, 2).join(' ')} and ${permissions.length - 2} more`
    : permissions.join(' ');

/**
 * `keyguard root-keys create|list|delete`: root keys with only the permissions an app needs, on the local key
 * service (Unkey manages root keys in its dashboard). A verifier needs `api.<apiId>.verify_key` alone.
 */
export function rootKeysCommand(context: CliContext): Command {
  const { io } = context;
  const rootKeys = new Command('root-keys').description(
    'Create, list and delete root keys with chosen permissions (local key service)',
  );

  rootKeys
    .command('create')
    .description('Create a root key with these permissions; the key is printed once and never stored in plain text')
    .requiredOption(
      '--permission <permission>',
      'a permission, e.g. api.<apiId>.verify_key (all an app verifying keys needs), api.*.verify_key, or *; repeat for more',
      collect,
    )
    .option('--name <name>', 'a name for people, e.g. the app that uses it')
    .addHelpText(
      'after',
      '\nPermissions are <resource>.<id or *>.<action>, as in Unkey: api.*.create_key, identity.*.read_identity,\n' +
        'rbac.*.create_root_key, … A root key grants only permissions it holds itself.',
    )
    .action((options: { permission: string[]; name?: string }, command: Command) =>
      withKeyguardRoutes(context, command, async (routes, { json }) => {
        const data = await routes.call<{ rootKeyId: string; key: string }>('createRootKey', {
          permissions: options.permission,
          ...(options.name !== undefined ? { name: options.name } : {}),
        });
        context.secrets.push(data.key);
        print(io, Boolean(json), { ...data, permissions: options.permission }, () =>
          [
            fields([
              ['rootKeyId', data.rootKeyId],
              ['rootKey', data.key],
              ['permissions', options.permission.join(' ')],
            ]),
            'the key is shown this once: store it now (e.g. as KEYGUARD_ROOT_KEY of the app)',
          ].join('\n'),
        );
      }),
    );

  rootKeys
    .command('list')
    .description('List the root keys: id, name, permissions, created (never the key)')
    .action((_options: object, command: Command) =>
      withKeyguardRoutes(context, command, async (routes, { json }) => {
        const found = await routes.call<RootKeySummary[]>('listRootKeys');
        print(io, Boolean(json), { rootKeys: found }, () =>
          table(
            ['id', 'name', 'start', 'permissions', 'created'],
            found.map((rootKey) => [
              rootKey.id,
              rootKey.name ?? '-',
              `${rootKey.start}…`,
              shortList(rootKey.permissions),
              new Date(rootKey.createdAt).toISOString(),
            ]),
          ),
        );
      }),
    );

  rootKeys
    .command('delete')
    .description('Delete a root key: it stops working at once (a root key cannot delete itself)')
    .argument('<rootKeyId>', 'the id (rk_…) from `keyguard root-keys list`, never the key')
    .action((rootKeyId: string, _options: object, command: Command) =>
      withKeyguardRoutes(context, command, async (routes, { json }) => {
        await routes.call('deleteRootKey', { rootKeyId });
        print(io, Boolean(json), { rootKeyId, deleted: true }, () => `deleted ${rootKeyId}`);
      }),
    );
  return rootKeys;
}
