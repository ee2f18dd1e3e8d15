import { Command } from 'commander';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { auditSeq, auditTable, type AuditEntry } from './audit-output.js';
import { auditPage, followAudit, type AuditFilters } from './audit-follow.js';
import { type CliContext, withKeyguardRoutes } from './context.js';
import { listing } from './pages.js';
import { durationOption, integerOption, timeOption } from './parse.js';

interface AuditOptions {
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  target?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
  follow?: boolean;
  interval?: string;
}

/** `--since 1h` is an hour back from now (a duration counts forward for `--expires`); unix ms and ISO dates as ever. */
function pastTime(name: string, text: string | undefined, now: number): number | undefined {
  if (text === undefined || !/^\d+[smhd]$/.test(text)) return timeOption(name, text, now);
  return 2 * now - (timeOption(name, text, now) as number);
}

function filtersOf(options: AuditOptions): AuditFilters {
  const now = Date.now();
  const filters: AuditFilters = {};
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined) filters[name] = value;
  };
  set('since', pastTime('--since', options.since, now));
  set('until', pastTime('--until', options.until, now));
  set('action', options.action);
  set('actorId', options.actor);
  set('targetId', options.target);
  return filters;
}

/**
 * `keyguard audit`: the local key service's audit log of management operations (who changed what, from where,
 * with what outcome), newest first; `--follow` keeps printing new entries. Needs a root key with
 * `audit.*.read_audit_log` (the one `serve` prints has it).
 */
export function auditCommand(context: CliContext): Command {
  const { io } = context;
  return new Command('audit')
    .description('Show the audit log of the local key service: who created, changed or deleted what, and when')
    .option('--since <time>', 'entries at or after: unix ms, an ISO date, or a duration back from now (90m, 12h, 7d)')
    .option('--until <time>', 'entries before: same forms as --since')
    .option('--action <action>', 'only this action, e.g. key.update, api.create, clerk_api_key.revoke')
    .option(
      '--actor <id>',
      'only what this root key (rk_…), Clerk secret key (csk_…) or machine secret key (msk_…) did',
    )
    .option('--target <id>', 'only entries about this id (key_…, api_…, id_…, ak_…, …)')
    .option('--limit <n>', 'entries per page, 1..100 (default 50)')
    .option('--cursor <id>', 'start at this entry: the one the "more:" line names')
    .option('--all', 'every page, not only the first')
    .option('--follow', 'then keep printing new entries as they are written, until Ctrl-C')
    .option('--interval <duration>', 'with --follow: how often to ask (default 2s)')
    .addHelpText(
      'after',
      '\nRecorded: every create, update, delete, reroll, rotate or revoke over /v2, /v1/api_keys and Clerk machine auth\n' +
        '(machines, M2M tokens, OAuth access tokens), failed ones too; ' +
        'never a key or secret. Reads and verifications are not recorded. --json prints one line\n' +
        '({"entries": [...], "pagination": ...}), and one line per entry while following.',
    )
    .action((options: AuditOptions, command: Command) =>
      withKeyguardRoutes(context, command, async (routes, { json }) => {
        const filters = filtersOf(options);
        const limit = integerOption('--limit', options.limit, 1) ?? 50;
        if (limit > 100) throw new CliError(`--limit must be 1..100, got ${limit}`);
        const intervalMs = durationOption('--interval', options.interval, 100) ?? 2000;
        const entries: AuditEntry[] = [];
        let next = options.cursor;
        do {
          const found = await auditPage(routes, filters, limit, next);
          entries.push(...found.entries);
          next = found.next;
        } while (options.all && next !== undefined);
        // Following reads like a tail: oldest first, new entries below.
        const shown = options.follow ? [...entries].reverse() : entries;
        print(io, Boolean(json), { entries: shown, pagination: { hasMore: next !== undefined, cursor: next } }, () =>
          listing(shown.length > 0 ? auditTable(shown).split('\n') : [], 'no audit entries', {
            hasMore: next !== undefined && !options.follow,
            cursor: next,
          }),
        );
        if (!options.follow) return;
        const after = Math.max(0, ...entries.map((entry) => auditSeq(entry.id)));
        await followAudit(io, routes, { filters, json: Boolean(json), intervalMs, after });
      }),
    );
}
