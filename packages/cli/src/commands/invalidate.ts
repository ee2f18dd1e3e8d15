import { Command } from 'commander';
import { invalidateFleet } from '@keyguard/redis';
import { CliError } from '../errors.js';
import { fields, print } from '../output.js';
import { type CliContext, globalsOf } from './context.js';
import { durationOption } from './parse.js';

interface InvalidateOptions {
  redisUrl?: string;
  prefix?: string;
  all?: boolean;
}

/** The password of a redis:// URL, to keep out of any output. */
function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export function invalidateCommand(context: CliContext): Command {
  const { io } = context;
  return new Command('invalidate')
    .description("Make every instance of a keyguard fleet (@keyguard/redis) drop a key id's cached answers at once")
    .argument('[keyId]', 'the key id (key_…, ak_…) whose answers to drop')
    .option('--all', 'drop every cached answer instead')
    .option('--redis-url <url>', "the fleet's Redis (env KEYGUARD_REDIS_URL)")
    .option('--prefix <prefix>', "the fleet's prefix (default keyguard)")
    .addHelpText(
      'after',
      '\nFor revocations made outside keyguard (a dashboard, another service): the key service already rejects the key;\nthis makes the fleet stop answering from memory at once.',
    )
    .action(async (keyId: string | undefined, options: InvalidateOptions, command: Command) => {
      const { json, timeout } = globalsOf(command);
      if ((keyId === undefined) === !options.all) throw new CliError('give a key id, or --all (not both)');
      const redisUrl = options.redisUrl || io.env.KEYGUARD_REDIS_URL;
      if (!redisUrl) throw new CliError('no Redis: pass --redis-url or set KEYGUARD_REDIS_URL');
      if (!/^rediss?:\/\//.test(redisUrl)) throw new CliError('--redis-url must be redis://… or rediss://…');
      const password = passwordOf(redisUrl);
      if (password) context.secrets.push(password);
      const timeoutMs = durationOption('--timeout', timeout, 1);
      let seq: number;
      try {
        seq = await invalidateFleet(keyId !== undefined ? { keyId } : { all: true }, {
          redis: redisUrl,
          prefix: options.prefix,
          timeoutMs,
        });
      } catch (error) {
        throw new CliError(
          `cannot invalidate on the fleet's Redis: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const result = { keyId: keyId ?? null, all: Boolean(options.all), message: seq };
      print(io, Boolean(json), result, () =>
        fields([
          ['invalidated', keyId ?? 'everything'],
          ['bus message', String(seq)],
        ]),
      );
    });
}
