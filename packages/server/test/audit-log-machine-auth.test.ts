import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { MACHINE_AUTH_OPERATIONS } from '../src/clerk/machine-auth/operations.js';
import { clerkOperationName } from '../src/clerk/operation.js';
import { expectNoSecretIn, startAuditHarness, type AuditHarness } from './audit-helpers.js';
import { asMachine, machineAuthRows } from './audit-rows-machine-auth.js';
import { rowTools, type Row } from './audit-rows-support.js';

/** Reads, lists, verification and the JWKS: not management operations, so not audited. */
const NOT_AUDITED = [
  'clerk GET /m2m_tokens',
  'clerk POST /m2m_tokens/verify',
  'clerk GET /jwks',
  'clerk GET /machines',
  'clerk GET /machines/:id',
  'clerk GET /machines/:id/secret_key',
  'clerk POST /oauth_applications/access_tokens/verify',
];

let h: AuditHarness;
const rows = rowTools(() => h);
const ROWS: Row[] = machineAuthRows(rows);
const { ids, clerkBody } = rows;

const operations = () =>
  MACHINE_AUTH_OPERATIONS.map((operation) => ({ name: clerkOperationName(operation), operation }));

describe('audit log: one entry per machine-auth management operation (machines, M2M and OAuth access tokens)', () => {
  beforeAll(async () => {
    h = await startAuditHarness();
  });
  afterAll(() => h.stop());

  it('lists every machine-auth operation as audited (a row here) or not audited', () => {
    const audited = new Set(ROWS.map(([name]) => name));
    for (const { name, operation } of operations()) {
      if (operation.audit) expect(audited.has(name), `${name} audits but has no row here`).toBe(true);
      else expect(NOT_AUDITED, `${name} is neither audited nor listed as not audited`).toContain(name);
    }
    expect(ROWS.length + NOT_AUDITED.length).toBe(operations().length);
  });

  for (const [name, run] of ROWS) {
    it(`${name} writes its entry`, async () => {
      const expected = await run();
      const [entry] = (await h.call('keyguard.listAuditLogs', { action: expected.action, limit: 1 })).body.data;
      const status = operations().find((operation) => operation.name === name)?.operation.status ?? 200;
      expect(entry).toMatchObject({
        action: expected.action,
        operation: name,
        target: expected.target,
        status,
        actor:
          name === 'clerk POST /m2m_tokens'
            ? { type: 'machine_secret_key', id: expect.stringMatching(/^msk_/) }
            : { type: 'clerk_secret_key', id: expect.stringMatching(/^csk_/) },
        remoteAddress: expect.stringContaining('127.0.0.1'),
        requestId: expect.any(String),
      });
      expect(entry.before).toEqual(expected.before);
      expect(entry.after).toEqual(expected.after);
      if (expected.detail) expect(entry.detail).toEqual(expected.detail);
      expect(entry.errorCode).toBeUndefined();
    });
  }

  it('records a JWT M2M token from its answer (it is not stored), without the JWT', async () => {
    const machine = await clerkBody('POST', '/machines', 200, { name: 'jwt-minter' });
    registerSecret(machine.secret_key);
    const minted = await asMachine(h, machine.secret_key, 'POST', '/m2m_tokens', { token_format: 'jwt' });
    expect(minted.status).toBe(201);
    registerSecret(minted.body.token);
    const [entry] = (await h.call('keyguard.listAuditLogs', { action: 'clerk_m2m_token.create', limit: 1 })).body.data;
    expect(entry).toMatchObject({
      target: { type: 'clerk_m2m_token', id: minted.body.id },
      before: null,
      after: { subject: machine.id, scopes: [], claims: null, revoked: false, expiration: minted.body.expiration },
      detail: { format: 'jwt' },
    });
  });

  it('records a failure with its status and error code, and no fields', async () => {
    await clerkBody('DELETE', '/machines/mch_unknown', 404);
    const [entry] = (await h.call('keyguard.listAuditLogs', { action: 'clerk_machine.delete', limit: 1 })).body.data;
    expect(entry).toMatchObject({ target: { type: 'clerk_machine', id: 'mch_unknown' }, status: 404 });
    expect(entry).toMatchObject({ before: null, after: null, errorCode: expect.any(String) });
  });

  it('writes nothing for reads, lists, verification and the JWKS', async () => {
    const machine = await clerkBody('POST', '/machines', 200, { name: 'reader' });
    registerSecret(machine.secret_key);
    const minted = await asMachine(h, machine.secret_key, 'POST', '/m2m_tokens');
    registerSecret(minted.body.token);
    const before = (await h.entries()).length;
    await clerkBody('GET', '/machines', 200);
    await clerkBody('GET', `/machines/${machine.id}`, 200);
    await clerkBody('GET', `/machines/${machine.id}/secret_key`, 200);
    await clerkBody('GET', '/jwks', 200);
    await clerkBody('GET', `/m2m_tokens?subject=${machine.id}`, 200);
    await clerkBody('POST', '/m2m_tokens/verify', 200, { token: minted.body.token });
    await clerkBody('POST', '/oauth_applications/access_tokens/verify', 404, { access_token: 'oat_unknown' });
    expect((await h.entries()).length).toBe(before);
    expect(ids.machineA).toBeDefined();
  });

  it('holds no machine secret key, token, JWT or Clerk secret key in any entry', async () => {
    const entries = await h.entries();
    expect(entries.length).toBeGreaterThanOrEqual(ROWS.length);
    expectNoSecretIn(entries);
    for (const entry of entries) expect(JSON.stringify(entry)).not.toMatch(/"(hash|encrypted|secret|token|key)":/);
  });
});
