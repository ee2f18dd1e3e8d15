import type { Command } from 'commander';
import { clerkBaseUrlFrom, clerkSecretKeyFrom } from '../clerk-client.js';
import { timeoutFrom } from '../client.js';
import { CliError } from '../errors.js';
import { ClerkM2MRoutes } from './clerk-m2m-routes.js';
import { type CliContext, globalsOf, type GlobalOptions } from './context.js';

interface M2MOptions extends GlobalOptions {
  machineSecretKey?: string;
}

/** Which credential a call uses: the instance secret key (`sk_…`), a machine secret key (`ak_…`), or either. */
export type Credential = 'instance' | 'machine' | 'either';

/** The machine secret key from `--machine-secret-key`, `KEYGUARD_CLERK_MACHINE_SECRET_KEY` or `CLERK_MACHINE_SECRET_KEY`. */
function machineSecretKeyFrom(options: M2MOptions, context: CliContext): string | undefined {
  const { env } = context.io;
  return options.machineSecretKey || env.KEYGUARD_CLERK_MACHINE_SECRET_KEY || env.CLERK_MACHINE_SECRET_KEY || undefined;
}

function keyFor(credential: Credential, options: M2MOptions, context: CliContext): string {
  const machine = credential === 'instance' ? undefined : machineSecretKeyFrom(options, context);
  const key = machine ?? (credential === 'machine' ? undefined : clerkSecretKeyFrom(options, context.io));
  if (!key) {
    throw new CliError(
      credential === 'machine'
        ? 'no machine secret key: pass --machine-secret-key or set KEYGUARD_CLERK_MACHINE_SECRET_KEY (or CLERK_MACHINE_SECRET_KEY)'
        : 'no Clerk secret key: pass --secret-key or set KEYGUARD_CLERK_SECRET_KEY (or CLERK_SECRET_KEY)',
    );
  }
  context.secrets.push(key);
  return key;
}

/** Runs `work` with the routes client and the key `credential` asks for, closing the client afterwards. */
export async function withM2M<T>(
  context: CliContext,
  command: Command,
  credential: Credential,
  work: (
    call: <R>(operation: string, method: 'GET' | 'POST', path: string, body?: object) => Promise<R>,
    json: boolean,
  ) => Promise<T>,
): Promise<T> {
  const options = command.optsWithGlobals<M2MOptions>();
  const key = keyFor(credential, options, context);
  const routes = new ClerkM2MRoutes(clerkBaseUrlFrom(options, context.io), timeoutFrom(options));
  try {
    return await work(
      (operation, method, path, body) => routes.call(operation, method, path, key, body),
      Boolean(globalsOf(command).json),
    );
  } finally {
    await routes.close();
  }
}
