import { Command } from 'commander';
import type { PermissionData, RoleData, UnkeyClient } from '@keyguard/unkey';
import { fields, print } from '../output.js';
import { type CliContext, withClient } from './context.js';
import { durationOption } from './parse.js';

type Change = 'add' | 'remove' | 'set';

const DESCRIPTIONS: Record<Change, (what: string) => string> = {
  add: (what) => `Give the key ${what} (it keeps the ones it has)`,
  remove: (what) => `Take ${what} from the key`,
  set: (what) => `Replace the key's ${what} (none given: remove them all)`,
};

/** `keys permissions add|remove|set <keyId> <slug...>`: the key's direct permissions afterwards. */
function permissionsCommand(context: CliContext): Command {
  const command = new Command('permissions').description(
    "Change a key's direct permissions (ids or slugs; add and set create missing ones)",
  );
  const run = (
    change: Change,
    client: UnkeyClient,
    keyId: string,
    permissions: string[],
  ): Promise<{ data: PermissionData[] }> =>
    change === 'add'
      ? client.keys.addPermissions({ keyId, permissions })
      : change === 'remove'
        ? client.keys.removePermissions({ keyId, permissions })
        : client.keys.setPermissions({ keyId, permissions });
  for (const change of ['add', 'remove', 'set'] as const) {
    command
      .command(change)
      .description(DESCRIPTIONS[change]('permissions'))
      .argument('<keyId>')
      .argument(change === 'set' ? '[permissions...]' : '<permissions...>')
      .action((keyId: string, permissions: string[], _options: unknown, sub: Command) =>
        withClient(context, sub, async (client, { json }) => {
          const { data } = await run(change, client, keyId, permissions);
          print(context.io, Boolean(json), data, () =>
            data.length > 0
              ? data.map((permission) => `${permission.slug}  ${permission.id}`).join('\n')
              : 'no direct permissions',
          );
        }),
      );
  }
  return command;
}

/** `keys roles add|remove|set <keyId> <role...>`: the key's roles afterwards. */
function rolesCommand(context: CliContext): Command {
  const command = new Command('roles').description("Change a key's roles (ids or names; each must exist)");
  const run = (change: Change, client: UnkeyClient, keyId: string, roles: string[]): Promise<{ data: RoleData[] }> =>
    change === 'add'
      ? client.keys.addRoles({ keyId, roles })
      : change === 'remove'
        ? client.keys.removeRoles({ keyId, roles })
        : client.keys.setRoles({ keyId, roles });
  for (const change of ['add', 'remove', 'set'] as const) {
    command
      .command(change)
      .description(DESCRIPTIONS[change]('roles'))
      .argument('<keyId>')
      .argument(change === 'set' ? '[roles...]' : '<roles...>')
      .action((keyId: string, roles: string[], _options: unknown, sub: Command) =>
        withClient(context, sub, async (client, { json }) => {
          const { data } = await run(change, client, keyId, roles);
          print(context.io, Boolean(json), data, () =>
            data.length > 0
              ? data
                  .map((role) =>
                    `${role.name}  ${role.id}  ${(role.permissions ?? []).map((permission) => permission.slug).join(', ')}`.trimEnd(),
                  )
                  .join('\n')
              : 'no roles',
          );
        }),
      );
  }
  return command;
}

/** `keys reroll <keyId> [--expiration 1h]`: a new key with the same settings; the old one stops after `expiration`. */
function rerollCommand(context: CliContext): Command {
  return new Command('reroll')
    .description(
      'Issue a new key with the same settings; the old key keeps working for --expiration (default: stops now)',
    )
    .argument('<keyId>')
    .option('--expiration <duration>', 'how long the old key keeps working: ms, or 90s, 15m, 12h, 30d (default 0)')
    .action((keyId: string, options: { expiration?: string }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const { data } = await client.keys.rerollKey({
          keyId,
          expiration: durationOption('--expiration', options.expiration) ?? 0,
        });
        context.secrets.push(data.key);
        print(
          context.io,
          Boolean(json),
          data,
          () =>
            `${fields([
              ['keyId', data.keyId],
              ['key', data.key],
            ])}\n(the key is shown only now; store it safely)`,
        );
      }),
    );
}

/** Adds `permissions`, `roles` and `reroll` to the `keys` command. */
export function addKeyAccessCommands(keys: Command, context: CliContext): Command {
  return keys
    .addCommand(permissionsCommand(context))
    .addCommand(rolesCommand(context))
    .addCommand(rerollCommand(context));
}
