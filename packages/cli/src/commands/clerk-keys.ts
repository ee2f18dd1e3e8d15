import { ClerkApiError, type APIKey, type ListAPIKeysRequest } from '@keyguard/clerk';
import { Command } from 'commander';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { apiKeyFields, apiKeyLine } from './clerk-output.js';
import { type CliContext, withClerkClient } from './context.js';
import { INVALID_KEY_EXIT_CODE } from './keys.js';
import { integerOption, jsonOption, listOption, secondsOption } from './parse.js';

interface CreateOptions {
  subject: string;
  name: string;
  description?: string;
  scopes?: string;
  expiresIn?: string;
  claims?: string;
}

interface ListOptions {
  subject: string;
  limit?: string;
  offset?: string;
  query?: string;
  includeInvalid?: boolean;
  all?: boolean;
}

/** Verify statuses that mean "this key is not valid" (the body carries only the secret). */
const KEY_REJECTED_STATUSES = new Set([400, 404]);

export function clerkKeysCommand(context: CliContext): Command {
  const clerkKeys = new Command('clerk-keys')
    .description('Manage and verify Clerk API keys on Clerk or on the local key service (/v1/api_keys)')
    .option('--secret-key <key>', 'Clerk secret key (prefer env KEYGUARD_CLERK_SECRET_KEY or CLERK_SECRET_KEY)')
    .addHelpText(
      'after',
      '\nBase URL: --base-url or KEYGUARD_CLERK_BASE_URL (default http://127.0.0.1:8787/v1; Clerk itself: https://api.clerk.com/v1).',
    );

  addCreateCommand(clerkKeys, context);
  addListCommand(clerkKeys, context);
  addGetCommand(clerkKeys, context);
  addRevokeCommand(clerkKeys, context);
  addVerifyCommand(clerkKeys, context);
  return clerkKeys;
}

function addCreateCommand(clerkKeys: Command, context: CliContext): void {
  const { io } = context;
  clerkKeys
    .command('create')
    .description('Create an API key; its secret is printed with it')
    .requiredOption('--subject <id>', 'the owner: user_…, org_… or mch_…')
    .requiredOption('--name <name>', 'at least 3 characters; cannot be changed later')
    .option('--description <text>', 'up to 255 characters')
    .option('--scopes <a,b>', 'scopes (permissions in keyguard)')
    .option('--expires-in <duration>', 'until the key expires: seconds, or 90s, 15m, 12h, 30d (default: never)')
    .option('--claims <json>', 'custom claims, any JSON')
    .action((options: CreateOptions, command: Command) =>
      withClerkClient(context, command, async (client, { json }) => {
        const key = await client.apiKeys.create({
          name: options.name,
          subject: options.subject,
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.scopes !== undefined ? { scopes: listOption(options.scopes) } : {}),
          ...(options.expiresIn !== undefined
            ? { secondsUntilExpiration: secondsOption('--expires-in', options.expiresIn, 1) }
            : {}),
          ...(options.claims !== undefined ? { claims: jsonOption('--claims', options.claims) } : {}),
        });
        print(
          io,
          Boolean(json),
          key,
          () => `${apiKeyFields(key, [['secret', key.secret]])}\n(store the secret safely)`,
        );
      }),
    );
}

function addListCommand(clerkKeys: Command, context: CliContext): void {
  const { io } = context;
  clerkKeys
    .command('list')
    .description("List a subject's API keys (valid ones unless --include-invalid), newest first")
    .requiredOption('--subject <id>', 'the owner: user_…, org_… or mch_…')
    .option('--limit <n>', 'keys per page, 1..100 (default 10)')
    .option('--offset <n>', 'keys to skip')
    .option('--query <text>', 'search names and descriptions')
    .option('--include-invalid', 'also revoked and expired keys')
    .option('--all', 'every page')
    .action((options: ListOptions, command: Command) =>
      withClerkClient(context, command, async (client, { json }) => {
        const request: ListAPIKeysRequest = {
          subject: options.subject,
          ...(options.limit !== undefined ? { limit: integerOption('--limit', options.limit, 1) } : {}),
          ...(options.offset !== undefined ? { offset: integerOption('--offset', options.offset, 0) } : {}),
          ...(options.query !== undefined ? { query: options.query } : {}),
          ...(options.includeInvalid ? { includeInvalid: true } : {}),
        };
        const keys: APIKey[] = [];
        let totalCount = 0;
        if (options.all) {
          for await (const page of client.apiKeys.listAll(request)) {
            keys.push(...page.data);
            totalCount = page.totalCount;
          }
        } else {
          const page = await client.apiKeys.list(request);
          keys.push(...page.data);
          totalCount = page.totalCount;
        }
        print(io, Boolean(json), { data: keys, totalCount }, () => {
          const lines = keys.map(apiKeyLine);
          if (keys.length === 0) lines.push('no keys');
          const shownUpTo = (request.offset ?? 0) + keys.length;
          lines.push(
            `${keys.length} of ${totalCount}${!options.all && shownUpTo < totalCount ? ` (more: --offset ${shownUpTo})` : ''}`,
          );
          return lines.join('\n');
        });
      }),
    );
}

function addGetCommand(clerkKeys: Command, context: CliContext): void {
  const { io } = context;
  clerkKeys
    .command('get')
    .description('Show an API key (without its secret)')
    .argument('<id>', 'the key id, ak_…')
    .action((id: string, _options: object, command: Command) =>
      withClerkClient(context, command, async (client, { json }) => {
        const key = await client.apiKeys.get(id);
        print(io, Boolean(json), key, () => apiKeyFields(key));
      }),
    );
}

function addRevokeCommand(clerkKeys: Command, context: CliContext): void {
  const { io } = context;
  clerkKeys
    .command('revoke')
    .description('Revoke an API key; it stops verifying at once')
    .argument('<id>', 'the key id, ak_…')
    .option('--reason <text>', 'why (kept with the key)')
    .action((id: string, options: { reason?: string }, command: Command) =>
      withClerkClient(context, command, async (client, { json }) => {
        const key = await client.apiKeys.revoke(
          id,
          options.reason !== undefined ? { revocationReason: options.reason } : {},
        );
        print(io, Boolean(json), key, () => apiKeyFields(key));
      }),
    );
}

function addVerifyCommand(clerkKeys: Command, context: CliContext): void {
  const { io } = context;
  clerkKeys
    .command('verify')
    .description(
      `Verify an API key secret; exits 0 when valid, ${INVALID_KEY_EXIT_CODE} when the key is unknown, revoked or expired`,
    )
    .argument('<secret>', 'the secret, ak_… (or "-" to read it from KEYGUARD_KEY)')
    .action((secretArgument: string, _options: object, command: Command) =>
      withClerkClient(context, command, async (client, { json }) => {
        const secret = secretArgument === '-' ? io.env.KEYGUARD_KEY : secretArgument;
        if (!secret) throw new CliError('no secret: pass it as an argument, or "-" with KEYGUARD_KEY set');
        context.secrets.push(secret);
        let key: APIKey;
        try {
          key = await client.apiKeys.verify({ secret });
        } catch (error) {
          if (
            !(error instanceof ClerkApiError) ||
            error.status === undefined ||
            !KEY_REJECTED_STATUSES.has(error.status)
          )
            throw error;
          const code = error.errors[0]?.code ?? `http_${error.status}`;
          print(
            io,
            Boolean(json),
            { valid: false, status: error.status, code },
            () => `valid:  false\nreason: unknown, revoked or expired (HTTP ${error.status}, ${code})`,
          );
          context.exitCode = INVALID_KEY_EXIT_CODE;
          return;
        }
        // A careful client: a 200 for a revoked or expired key is still not a valid key.
        const valid = !key.revoked && !key.expired && (key.expiration === null || key.expiration > Date.now());
        print(io, Boolean(json), { valid, apiKey: key }, () => apiKeyFields(key, [['valid', String(valid)]]));
        if (!valid) context.exitCode = INVALID_KEY_EXIT_CODE;
      }),
    );
}
