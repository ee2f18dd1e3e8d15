import type { Command } from 'commander';
import { fields, print, table } from '../output.js';
import { withM2M } from './clerk-m2m-session.js';
import type { CliContext } from './context.js';
import { INVALID_KEY_EXIT_CODE } from './keys.js';
import { integerOption, jsonOption, listOption, secondsOption } from './parse.js';

interface TokenJson {
  id: string;
  subject: string;
  scopes: string[];
  claims: unknown;
  revoked: boolean;
  revocation_reason: string | null;
  expired: boolean;
  expiration: number | null;
  token?: string;
}

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString());

function tokenFields(token: TokenJson): string {
  return fields([
    ['id', token.id],
    ['subject', token.subject],
    ['scopes', token.scopes.join(', ') || '(none)'],
    ['claims', token.claims ?? undefined],
    ['expires', when(token.expiration)],
    ['revoked', token.revoked ? `yes${token.revocation_reason ? ` (${token.revocation_reason})` : ''}` : undefined],
    ['token', token.token],
  ]);
}

/** `tokens create|list|revoke|verify`: create with a machine secret key; the rest with it or the instance key. */
export function addTokensCommand(m2m: Command, context: CliContext): void {
  const tokens = m2m.command('tokens').description('Create, list, revoke and verify M2M tokens');
  tokens
    .command('create')
    .description('Create an M2M token for the machine of --machine-secret-key; the token is printed with it')
    .option('--format <opaque|jwt>', 'opaque (revocable, listed) or jwt (verified locally)', 'opaque')
    .option('--expires-in <duration>', "seconds, or 90s, 15m, 12h, 30d (default: the machine's default TTL)")
    .option('--claims <json>', 'custom claims, any JSON (an object for a JWT)')
    .action((options: { format: string; expiresIn?: string; claims?: string }, command: Command) =>
      withM2M(context, command, 'machine', async (call, json) => {
        const token = await call<TokenJson>('m2mTokens.create', 'POST', '/m2m_tokens', {
          token_format: options.format,
          ...(options.expiresIn !== undefined
            ? { seconds_until_expiration: secondsOption('--expires-in', options.expiresIn, 1) }
            : {}),
          ...(options.claims !== undefined ? { claims: jsonOption('--claims', options.claims) } : {}),
        });
        if (token.token) context.secrets.push(token.token);
        print(context.io, json, token, () => `${tokenFields(token)}\n(store the token safely)`);
      }),
    );
  tokens
    .command('list')
    .description("List a machine's opaque tokens, newest first (JWTs are not stored)")
    .requiredOption('--subject <mch_…>', 'the machine')
    .option('--revoked', 'include revoked tokens')
    .option('--expired', 'include expired tokens')
    .option('--limit <n>', 'at most this many (default 10)')
    .action((options: { subject: string; revoked?: boolean; expired?: boolean; limit?: string }, command: Command) =>
      withM2M(context, command, 'either', async (call, json) => {
        const query = new URLSearchParams({ subject: options.subject });
        if (options.revoked) query.set('revoked', 'true');
        if (options.expired) query.set('expired', 'true');
        if (options.limit !== undefined) query.set('limit', String(integerOption('--limit', options.limit, 1)));
        const page = await call<{ m2m_tokens: TokenJson[]; total_count: number }>(
          'm2mTokens.list',
          'GET',
          `/m2m_tokens?${query}`,
        );
        print(context.io, json, page, () =>
          table(
            ['ID', 'SCOPES', 'EXPIRES', 'STATE'],
            page.m2m_tokens.map((t) => [
              t.id,
              t.scopes.join(',') || '-',
              when(t.expiration),
              t.revoked ? 'revoked' : t.expired ? 'expired' : 'valid',
            ]),
          ),
        );
      }),
    );
  tokens
    .command('revoke <id>')
    .description('Revoke an opaque token at once')
    .option('--reason <text>', 'why, kept with the token')
    .action((id: string, options: { reason?: string }, command: Command) =>
      withM2M(context, command, 'either', async (call, json) => {
        const body = options.reason !== undefined ? { revocation_reason: options.reason } : {};
        const token = await call<TokenJson>(
          'm2mTokens.revoke',
          'POST',
          `/m2m_tokens/${encodeURIComponent(id)}/revoke`,
          body,
        );
        print(context.io, json, token, () => tokenFields(token));
      }),
    );
  tokens
    .command('verify <token>')
    .description(`Verify a token (exit ${INVALID_KEY_EXIT_CODE} when it is not valid for this key)`)
    .action((token: string, _options: unknown, command: Command) => {
      context.secrets.push(token);
      return withM2M(context, command, 'either', async (call, json) => {
        const verified = await call<TokenJson>('m2mTokens.verify', 'POST', '/m2m_tokens/verify', { token }).catch(
          (error: unknown) => {
            if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
            throw error;
          },
        );
        if (!verified) {
          context.exitCode = INVALID_KEY_EXIT_CODE;
          print(
            context.io,
            json,
            { valid: false },
            () => 'not valid: unknown, revoked, expired or not granted to this machine',
          );
          return;
        }
        print(context.io, json, { valid: true, ...verified }, () => `valid\n${tokenFields(verified)}`);
      });
    });
}

/** `oauth create`: an OAuth access token through the local key service's own route (Clerk has no such endpoint). */
export function addOAuthCommand(m2m: Command, context: CliContext): void {
  const oauth = m2m.command('oauth').description('OAuth access tokens on the local key service (for tests)');
  oauth
    .command('create')
    .description('Create an opaque OAuth access token (oat_…) to verify at /oauth_applications/access_tokens/verify')
    .requiredOption('--subject <user_…>', 'the user it acts for')
    .option('--client-id <id>', 'the OAuth application (default: a new client_… id)')
    .option('--scopes <a,b>', 'its scopes')
    .option('--expires-in <duration>', 'seconds, or 90s, 15m, 12h, 30d (default 1 day)')
    .action((options: { subject: string; clientId?: string; scopes?: string; expiresIn?: string }, command: Command) =>
      withM2M(context, command, 'instance', async (call, json) => {
        const token = await call<TokenJson & { client_id: string }>(
          'oauthAccessTokens.create',
          'POST',
          '/keyguard/oauth_access_tokens',
          {
            subject: options.subject,
            ...(options.clientId !== undefined ? { client_id: options.clientId } : {}),
            ...(options.scopes !== undefined ? { scopes: listOption(options.scopes) } : {}),
            ...(options.expiresIn !== undefined
              ? { seconds_until_expiration: secondsOption('--expires-in', options.expiresIn, 1) }
              : {}),
          },
        );
        if (token.token) context.secrets.push(token.token);
        print(
          context.io,
          json,
          token,
          () => `${tokenFields(token)}\n${fields([['client id', token.client_id]])}\n(store the token safely)`,
        );
      }),
    );
}
