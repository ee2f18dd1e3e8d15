import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyguardError } from '@keyguard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { ApiError, ERROR_TYPES as TYPES } from '../src/api-error.js';
import { openDatabase } from '../src/store/database.js';
import {
  createKeyServer,
  ERROR_TYPES,
  KeyServerError,
  KeyServerOptionError,
  KeyServerStoppedError,
  SchemaTooNewError,
  UnknownApiError,
  type KeyServerOptions,
} from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The error `work` throws (fails the test when it throws nothing). */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('typed errors with a stable code', () => {
  it('an unusable option is a KeyServerOptionError naming the option, at creation', () => {
    const cases: [KeyServerOptions, string][] = [
      [{ rootKey: 'short' }, 'rootKey'],
      [{ clerkSecretKey: 'sk_prod_abcdefghijklmnopqrstuvwxyz' }, 'clerkSecretKey'],
      [{ port: -1 }, 'port'],
      [{ port: 1.5 }, 'port'],
      [{ maxBodyBytes: 0 }, 'maxBodyBytes'],
      [{ maxBodyBytes: Number.NaN }, 'maxBodyBytes'],
      [{ stopTimeoutMs: -5 }, 'stopTimeoutMs'],
      [{ maxDiscardBytes: -1 }, 'maxDiscardBytes'],
      [{ discardTimeoutMs: 1.5 }, 'discardTimeoutMs'],
      [{ host: '' }, 'host'],
      [{ secret: '' }, 'secret'],
      [{ clock: 5 as unknown as () => number }, 'clock'],
      [{ logger: { info() {} } as unknown as KeyServerOptions['logger'] }, 'logger'],
    ];
    for (const [options, option] of cases) {
      const error = thrown(() => createKeyServer(options));
      expect(error, option).toBeInstanceOf(KeyServerOptionError);
      expect(error).toBeInstanceOf(KeyServerError);
      expect(error).toBeInstanceOf(KeyguardError);
      expect(error).toMatchObject({ code: 'KEY_SERVER_INVALID_OPTION', option, name: 'KeyServerOptionError' });
      expect((error as Error).message).toContain(option);
    }
  });

  it('start() after stop() is a KeyServerStoppedError', async () => {
    const server = createKeyServer();
    await server.stop();
    const error = await server.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyServerStoppedError);
    expect(error).toMatchObject({ code: 'KEY_SERVER_STOPPED' });
  });

  it('an administrative call on an unknown API is an UnknownApiError', async () => {
    const server = createKeyServer();
    const boot = server.bootstrap();
    registerSecret(boot.rootKey as string, boot.clerkSecretKey as string);
    const error = thrown(() => server.setDeleteProtection('api_missing', true));
    expect(error).toBeInstanceOf(UnknownApiError);
    expect(error).toMatchObject({ code: 'KEY_SERVER_UNKNOWN_API', apiId: 'api_missing' });
    await server.stop();
  });

  it('a database from a newer server is a SchemaTooNewError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-errors-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = openDatabase(file);
    db.prepare('UPDATE schema_version SET version = 999').run();
    db.close();
    const error = thrown(() => createKeyServer({ database: file }));
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ code: 'KEY_SERVER_SCHEMA_TOO_NEW', found: 999 });
  });

  it('an HTTP answer is an ApiError in the same family: its code names its type URL, one to one', () => {
    const error = new ApiError(404, 'KEY_NOT_FOUND', 'The key does not exist or was deleted.');
    expect(error).toBeInstanceOf(KeyServerError);
    expect(error).toMatchObject({ code: 'KEY_NOT_FOUND', type: TYPES.KEY_NOT_FOUND, status: 404, title: 'Not Found' });
    expect(new Set(Object.values(ERROR_TYPES)).size).toBe(Object.keys(ERROR_TYPES).length);
  });
});
