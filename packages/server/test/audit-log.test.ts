import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLERK_OPERATIONS } from '../src/clerk/operations/index.js';
import { clerkOperationName } from '../src/clerk/operation.js';
import { unkeyOperationName } from '../src/unkey/operation.js';
import { UNKEY_OPERATIONS } from '../src/unkey/operations/index.js';
import { KEYGUARD_OPERATIONS } from '../src/unkey/operations/keyguard/index.js';
import { expectNoSecretIn, startAuditHarness, type AuditHarness } from './audit-helpers.js';
import { keyRows } from './audit-rows-keys.js';
import { creationRows, resourceRows } from './audit-rows-resources.js';
import { rowTools, type Row } from './audit-rows-support.js';

/** Reads, verification and rate limiting: not management operations, so not audited (as in Unkey's audit log). */
const NOT_AUDITED = [
  'apis.getApi',
  'apis.listKeys',
  'identities.getIdentity',
  'identities.listIdentities',
  'keys.verifyKey',
  'keys.getKey',
  'keys.whoami',
  'permissions.getPermission',
  'permissions.listPermissions',
  'permissions.getRole',
  'permissions.listRoles',
  'ratelimit.limit',
  'ratelimit.getOverride',
  'ratelimit.listOverrides',
  'keyguard.listApis',
  'keyguard.listRootKeys',
  'keyguard.getRootKey',
  'keyguard.listAuditLogs',
  'clerk GET /api_keys',
  'clerk POST /api_keys/verify',
  'clerk GET /api_keys/:id',
  'clerk GET /api_keys/:id/secret',
];

/** Every audited operation, in the order the rows run. */
let h: AuditHarness;
const rows = rowTools(() => h);
const ROWS: Row[] = [...creationRows(rows), ...keyRows(rows), ...resourceRows(rows)];
const { ids, data, clerkBody } = rows;

const operationNames = () => [
  ...[...UNKEY_OPERATIONS, ...KEYGUARD_OPERATIONS].map((operation) => ({
    name: unkeyOperationName(operation),
    operation,
  })),
  ...CLERK_OPERATIONS.map((operation) => ({ name: clerkOperationName(operation), operation })),
];

describe('audit log: one entry per management operation of both wire formats', () => {
  beforeAll(async () => {
    h = await startAuditHarness();
  });
  afterAll(() => h.stop());

  it('lists every operation as audited (a row here) or not audited, and only management operations audit', () => {
    const rows = new Set(ROWS.map(([name]) => name));
    for (const { name, operation } of operationNames()) {
      if (operation.audit) expect(rows.has(name), `${name} audits but has no row in audit-log.test.ts`).toBe(true);
      else expect(NOT_AUDITED, `${name} is neither audited nor listed as not audited`).toContain(name);
    }
    expect(ROWS.length + NOT_AUDITED.length).toBe(operationNames().length);
  });

  for (const [name, run] of ROWS) {
    it(`${name} writes its entry`, async () => {
      const expected = await run();
      const newest = await h.call('keyguard.listAuditLogs', { action: expected.action, limit: 1 });
      const [entry] = newest.body.data;
      expect(entry).toMatchObject({
        action: expected.action,
        operation: name,
        target: expected.target,
        status: name === 'clerk POST /api_keys' ? 201 : 200,
        actor: name.startsWith('clerk ')
          ? { type: 'clerk_secret_key', id: expect.stringMatching(/^csk_/) }
          : { type: 'root_key', id: expect.stringMatching(/^rk_/) },
        remoteAddress: expect.stringContaining('127.0.0.1'),
        requestId: expect.any(String),
      });
      expect(entry.before).toEqual(expected.before);
      expect(entry.after).toEqual(expected.after);
      if (expected.detail) expect(entry.detail).toEqual(expected.detail);
      expect(entry.errorCode).toBeUndefined();
    });
  }

  it('writes nothing for reads and verification', async () => {
    const before = (await h.entries()).length;
    await data('apis.getApi', { apiId: ids.api });
    await data('keys.getKey', { keyId: ids.key, decrypt: true });
    await data('keys.verifyKey', { key: ids.plaintext });
    await data('keyguard.listRootKeys', {});
    await clerkBody('GET', '/api_keys?subject=user_1', 200);
    expect((await h.entries()).length).toBe(before);
  });

  it('holds no key, root key, secret key or Clerk secret in any entry', async () => {
    const entries = await h.entries();
    expect(entries.length).toBeGreaterThanOrEqual(ROWS.length);
    expectNoSecretIn(entries);
    for (const entry of entries) expect(JSON.stringify(entry)).not.toMatch(/"(hash|encrypted|secret|key|start)":/);
  });
});
