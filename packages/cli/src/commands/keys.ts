import { Command } from 'commander';
import { CliError } from '../errors.js';
import { fields, print } from '../output.js';
import { type CliContext, withClient } from './context.js';
import { integerOption, jsonObjectOption, listOption, ratelimitOption, timeOption } from './parse.js';

interface CreateOptions {
  prefix?: string;
  name?: string;
  byteLength?: string;
  externalId?: string;
  meta?: string;
  roles?: string;
  permissions?: string;
  expires?: string;
  credits?: string;
  ratelimit?: { name: string; limit: number; duration: number; autoApply: boolean }[];
  disabled?: boolean;
  recoverable?: boolean;
}

/** Unkey's key ids (and the local service's) are `key_` and a base58 id; a key is `prefix_` and random text. */
const looksLikeKeyId = (value: string): boolean => /^key_[A-Za-z0-9]{8,64}$/.test(value);

/** Exit code of `keys verify` when the service answered and the key is not valid. */
export const INVALID_KEY_EXIT_CODE = 3;

export function keysCommand(context: CliContext): Command {
  const keys = new Command('keys').description(
    'Create, verify, reroll and delete keys; change their permissions and roles',
  );

  addCreateCommand(keys, context);
  addVerifyCommand(keys, context);
  addDeleteCommand(keys, context);
  // Keys belong to an API, and Unkey lists them per API: point there rather than answer "unknown command".
  addListCommand(keys);
  return keys;
}

function addCreateCommand(keys: Command, context: CliContext): void {
  const { io } = context;
  keys
    .command('create')
    .description('Create a key in an API; the key is printed once and never stored in plain text')
    .argument('<apiId>', 'the API (api_…) from `keyguard apis create` or `keyguard apis list`')
    .option('--prefix <prefix>', 'key prefix (1..16 letters, digits, _), e.g. sk_live')
    .option('--name <name>', 'a name for people')
    .option('--byte-length <n>', 'random bytes, 16..255 (default 16)')
    .option('--external-id <id>', 'the owner (creates the identity if needed)')
    .option('--meta <json>', 'metadata, a JSON object')
    .option('--roles <a,b>', 'roles (must exist)')
    .option('--permissions <a,b>', 'permissions (created when missing)')
    .option('--expires <when>', 'unix ms, an ISO date, or from now: 30d, 12h, 15m, 90s')
    .option('--credits <n>', 'number of uses (default unlimited)')
    .option(
      '--ratelimit <name:limit:duration[:auto]>',
      'a rate limit; repeat for more',
      (value: string, previous?: CreateOptions['ratelimit']) => ratelimitOption(value, previous),
    )
    .option('--disabled', 'create it disabled')
    .option('--recoverable', 'keep it encrypted so that it can be shown again')
    .action((apiId: string, options: CreateOptions, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const credits = integerOption('--credits', options.credits, 0);
        const { data } = await client.keys.createKey({
          apiId,
          ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
          ...(options.name !== undefined ? { name: options.name } : {}),
          ...(options.byteLength !== undefined
            ? { byteLength: integerOption('--byte-length', options.byteLength, 1) }
            : {}),
          ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
          ...(options.meta !== undefined ? { meta: jsonObjectOption('--meta', options.meta) } : {}),
          ...(options.roles !== undefined ? { roles: listOption(options.roles) } : {}),
          ...(options.permissions !== undefined ? { permissions: listOption(options.permissions) } : {}),
          ...(options.expires !== undefined ? { expires: timeOption('--expires', options.expires) } : {}),
          ...(credits !== undefined ? { credits: { remaining: credits } } : {}),
          ...(options.ratelimit ? { ratelimits: options.ratelimit } : {}),
          ...(options.disabled ? { enabled: false } : {}),
          ...(options.recoverable ? { recoverable: true } : {}),
        });
        print(
          io,
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

function addVerifyCommand(keys: Command, context: CliContext): void {
  const { io } = context;
  keys
    .command('verify')
    .description(
      `Verify a key (as keys.verifyKey); exits 0 when valid, ${INVALID_KEY_EXIT_CODE} when the key is not valid`,
    )
    .argument('<key>', 'the key to verify (or "-" to read it from KEYGUARD_KEY)')
    .option('--permissions <query>', 'a permission query, e.g. "docs.read AND (docs.write OR admin)"')
    .option('--cost <n>', 'credits to spend (default 1 when the key has credits)')
    .option('--tags <a,b>', 'analytics tags')
    .action((keyArgument: string, options: { permissions?: string; cost?: string; tags?: string }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        const key = keyArgument === '-' ? io.env.KEYGUARD_KEY : keyArgument;
        if (!key) throw new CliError('no key: pass it as an argument, or "-" with KEYGUARD_KEY set');
        context.secrets.push(key);
        const cost = integerOption('--cost', options.cost, 0);
        const { data } = await client.keys.verifyKey({
          key,
          ...(options.permissions !== undefined ? { permissions: options.permissions } : {}),
          ...(cost !== undefined ? { credits: { cost } } : {}),
          ...(options.tags !== undefined ? { tags: listOption(options.tags) } : {}),
        });
        print(io, Boolean(json), data, () =>
          fields([
            ['valid', String(data.valid)],
            ['code', data.code],
            ['keyId', data.keyId],
            ['name', data.name],
            ['credits', data.credits],
            ['expires', data.expires === undefined ? undefined : new Date(data.expires).toISOString()],
            ['permissions', data.permissions?.join(', ')],
            ['roles', data.roles?.join(', ')],
            ['identity', data.identity?.externalId],
            ...(data.ratelimits ?? []).map((limit): [string, string] => [
              `ratelimit ${limit.name}`,
              `${limit.remaining}/${limit.limit} left${limit.exceeded ? ' (exceeded)' : ''}, resets ${new Date(limit.reset).toISOString()}`,
            ]),
          ]),
        );
        if (!data.valid) context.exitCode = INVALID_KEY_EXIT_CODE;
      }),
    );
}

function addDeleteCommand(keys: Command, context: CliContext): void {
  const { io } = context;
  keys
    .command('delete')
    .description('Delete a key; it stops verifying at once')
    .argument('<keyId>', 'the key id, key_… (as `keys create` and `apis list-keys` print it), not the key itself')
    .option('--permanent', 'remove the row instead of marking it deleted')
    .action((keyId: string, options: { permanent?: boolean }, command: Command) =>
      withClient(context, command, async (client, { json }) => {
        if (!looksLikeKeyId(keyId)) {
          // Most likely the key itself: it is not sent anywhere, and not repeated in the message.
          context.secrets.push(keyId);
          throw new CliError(
            'keys delete takes a key id (key_…), not the key itself: `keyguard apis list-keys <apiId>` shows the ids',
          );
        }
        await client.keys.deleteKey({ keyId, ...(options.permanent ? { permanent: true } : {}) });
        print(io, Boolean(json), { keyId, deleted: true }, () => `deleted ${keyId}`);
      }),
    );
}

function addListCommand(keys: Command): void {
  keys
    .command('list')
    .description('Keys are listed per API: `keyguard apis list-keys <apiId>` (`keyguard apis list` shows the ids)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new CliError(
        'keys are listed per API: `keyguard apis list-keys <apiId>`; `keyguard apis list` shows the APIs and their ids',
      );
    });
}
