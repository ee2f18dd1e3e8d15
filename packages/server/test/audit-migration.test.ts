import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashKey } from '../src/crypto/hash.js';
import { ALL_ROOT_PERMISSIONS, createKeyServer, MIGRATIONS } from '../src/index.js';
import { openDatabase } from '../src/store/database.js';
import { Store } from '../src/store/store.js';
import { registerSecret } from '../../../test/support/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the audit log migration', () => {
  it('lets a root key that held every permission before read the log; a narrower one still may not', async () => {
    const database = join(dir, 'before-audit.db');
    const everything = 'kgroot_everythingbeforeaudit0123';
    const narrow = 'kgroot_narrowbeforeaudit01234567';
    registerSecret(everything, narrow);
    // A database as the version before the audit log left it, with its bootstrap root key and a narrow one.
    const older = new Store(
      openDatabase(
        database,
        MIGRATIONS.filter((migration) => migration.version < 6),
      ),
    );
    const workspace = older.workspaces.create('default', 1);
    const before = ALL_ROOT_PERMISSIONS.filter((permission) => !permission.startsWith('audit.'));
    older.rootKeys.create(workspace.id, hashKey(everything), 'kgro', before, 1);
    older.rootKeys.create(workspace.id, hashKey(narrow), 'kgro', ['api.*.read_api'], 1);
    older.close();

    const server = createKeyServer({ database });
    const { url } = await server.start();
    try {
      const list = (rootKey: string) =>
        fetch(`${url}/v2/keyguard.listAuditLogs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
          body: '{}',
        });
      expect((await list(everything)).status).toBe(200);
      expect((await list(narrow)).status).toBe(403);
    } finally {
      await server.stop();
    }
  });
});
