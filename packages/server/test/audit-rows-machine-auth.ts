/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { expect } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import type { AuditHarness } from './audit-helpers.js';
import type { Row, Rows } from './audit-rows-support.js';

/** `METHOD <path>` with a machine's secret key, without `/v1` (as `@clerk/backend` calls `/m2m_tokens`). */
export async function asMachine(h: AuditHarness, secret: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const keyId = expect.stringMatching(/^msk_/);

/** Machine A is made (with B to scope it to), renamed, scoped to B, and its secret key rotated. */
const machineRows = ({ h, ids, clerkBody }: Rows): Row[] => [
  [
    'clerk POST /machines',
    async () => {
      ids.machineB = (await clerkBody('POST', '/machines', 200, { name: 'audited-b' })).id;
      const created = await clerkBody('POST', '/machines', 200, { name: 'audited-a', default_token_ttl: 600 });
      registerSecret(created.secret_key);
      ids.machineA = created.id;
      return {
        action: 'clerk_machine.create',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: null,
        after: {
          name: 'audited-a',
          defaultTokenTtl: 600,
          scopedMachines: [],
          secretKeys: [{ id: keyId, expiresAt: null }],
        },
      };
    },
  ],
  [
    'clerk PATCH /machines/:id',
    async () => {
      await clerkBody('PATCH', `/machines/${ids.machineA}`, 200, { name: 'audited-a2' });
      return {
        action: 'clerk_machine.update',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: { name: 'audited-a' },
        after: { name: 'audited-a2' },
      };
    },
  ],
  [
    'clerk POST /machines/:id/scopes',
    async () => {
      await clerkBody('POST', `/machines/${ids.machineA}/scopes`, 200, { to_machine_id: ids.machineB });
      return {
        action: 'clerk_machine.create_scope',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: { scopedMachines: [] },
        after: { scopedMachines: [ids.machineB] },
        detail: { toMachineId: ids.machineB },
      };
    },
  ],
  [
    'clerk POST /machines/:id/secret_key/rotate',
    async () => {
      const rotated = await clerkBody('POST', `/machines/${ids.machineA}/secret_key/rotate`, 200, {
        previous_token_ttl: 60,
      });
      registerSecret(rotated.secret);
      ids.machineSecret = rotated.secret;
      const graceEnds = h().now() + 60_000;
      return {
        action: 'clerk_machine.rotate_secret_key',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: { secretKeys: [{ id: keyId, expiresAt: null }] },
        after: {
          secretKeys: [
            { id: keyId, expiresAt: graceEnds },
            { id: keyId, expiresAt: null },
          ],
        },
        detail: { previousTokenTtl: 60 },
      };
    },
  ],
];

/** A mints an opaque token with its new secret key; the instance revokes it. */
const m2mRows = ({ h, ids, clerkBody }: Rows): Row[] => [
  [
    'clerk POST /m2m_tokens',
    async () => {
      const minted = await asMachine(h(), ids.machineSecret ?? '', 'POST', '/m2m_tokens', { claims: { job: 'sync' } });
      expect(minted.status).toBe(201);
      registerSecret(minted.body.token);
      ids.m2mToken = minted.body.id;
      return {
        action: 'clerk_m2m_token.create',
        target: { type: 'clerk_m2m_token', id: ids.m2mToken },
        before: null,
        after: {
          subject: ids.machineA,
          scopes: [ids.machineB],
          claims: { job: 'sync' },
          revoked: false,
          revocationReason: null,
          expiration: h().now() + 600_000,
        },
        detail: { format: 'opaque' },
      };
    },
  ],
  [
    'clerk POST /m2m_tokens/:id/revoke',
    async () => {
      await clerkBody('POST', `/m2m_tokens/${ids.m2mToken}/revoke`, 200, { revocation_reason: 'rotated' });
      return {
        action: 'clerk_m2m_token.revoke',
        target: { type: 'clerk_m2m_token', id: ids.m2mToken },
        before: { revoked: false, revocationReason: null },
        after: { revoked: true, revocationReason: 'rotated' },
      };
    },
  ],
];

/** A loses its scope, then is deleted with its secret keys. */
const teardownRows = ({ ids, clerkBody }: Rows): Row[] => [
  [
    'clerk DELETE /machines/:id/scopes/:other',
    async () => {
      await clerkBody('DELETE', `/machines/${ids.machineA}/scopes/${ids.machineB}`, 200);
      return {
        action: 'clerk_machine.delete_scope',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: { scopedMachines: [ids.machineB] },
        after: { scopedMachines: [] },
      };
    },
  ],
  [
    'clerk DELETE /machines/:id',
    async () => {
      await clerkBody('DELETE', `/machines/${ids.machineA}`, 200);
      return {
        action: 'clerk_machine.delete',
        target: { type: 'clerk_machine', id: ids.machineA },
        before: {
          name: 'audited-a2',
          defaultTokenTtl: 600,
          scopedMachines: [],
          secretKeys: [
            { id: keyId, expiresAt: expect.any(Number) },
            { id: keyId, expiresAt: null },
          ],
        },
        after: null,
      };
    },
  ],
];

/** keyguard's own OAuth access-token routes (Clerk mints these in its OAuth flows only). */
const oauthRows = ({ ids, clerkBody }: Rows): Row[] => [
  [
    'clerk POST /keyguard/oauth_access_tokens',
    async () => {
      const created = await clerkBody('POST', '/keyguard/oauth_access_tokens', 201, {
        subject: 'user_audited',
        scopes: ['read'],
      });
      registerSecret(created.token);
      ids.oauthToken = created.id;
      return {
        action: 'clerk_oauth_access_token.create',
        target: { type: 'clerk_oauth_access_token', id: ids.oauthToken },
        before: null,
        after: {
          clientId: created.client_id,
          subject: 'user_audited',
          scopes: ['read'],
          revoked: false,
          revocationReason: null,
          expiration: created.expiration,
        },
      };
    },
  ],
  [
    'clerk POST /keyguard/oauth_access_tokens/:id/revoke',
    async () => {
      await clerkBody('POST', `/keyguard/oauth_access_tokens/${ids.oauthToken}/revoke`, 200, {
        revocation_reason: 'signed out',
      });
      return {
        action: 'clerk_oauth_access_token.revoke',
        target: { type: 'clerk_oauth_access_token', id: ids.oauthToken },
        before: { revoked: false, revocationReason: null },
        after: { revoked: true, revocationReason: 'signed out' },
      };
    },
  ],
];

/**
 * The machine-auth management operations, in the order they run (each uses what the ones before made). Every
 * secret answered (machine secret keys, tokens) is registered with the leak watch.
 */
export const machineAuthRows = (tools: Rows): Row[] => [
  ...machineRows(tools),
  ...m2mRows(tools),
  ...oauthRows(tools),
  ...teardownRows(tools),
];
