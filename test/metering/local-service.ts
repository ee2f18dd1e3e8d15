import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from '@keyguard/core';
import type { MeteringOptions, Verification, Verifier, VerifierOptions } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import type { CreateKeyRequest } from '@keyguard/unkey';
import { openSqlite } from '../../packages/server/src/store/sqlite/open.js';
import { registerSecret } from '../support/secrets.js';

/**
 * The local key service for metering tests, on a SQLite file (so a test can give an identity rate limits, which the
 * service has no endpoint for yet), with a management client and a way to read what the service recorded.
 */
export interface MeteringService {
  url: string;
  rootKey: string;
  client: UnkeyClient;
  apiId: string;
  createKey(fields?: Omit<CreateKeyRequest, 'apiId'>): Promise<{ key: string; keyId: string }>;
  /** A verifier against the service; closed by `stop()` unless the test closed it. */
  verifier(metering?: MeteringOptions, extra?: Partial<VerifierOptions>): Verifier;
  /** Credits the service has left for a key (undefined: unlimited). */
  creditsLeft(keyId: string): Promise<number | undefined>;
  /** Units the service recorded in the current window of each named limit of a key: a cost-0 verification peeks. */
  used(key: string, names: readonly string[]): Promise<Record<string, number>>;
  /** Gives the identity `externalId` a rate limit, shared by all of its keys, straight in the service's database. */
  addIdentityLimit(externalId: string, limit: { name: string; limit: number; duration: number }): void;
  stop(): Promise<void>;
}

let apiCounter = 0;

export async function startMeteringService(options: { clock?: () => number } = {}): Promise<MeteringService> {
  const folder = mkdtempSync(join(tmpdir(), 'keyguard-metering-'));
  const database = join(folder, 'keys.db');
  const server: KeyServer = createKeyServer({ database, clock: options.clock });
  const rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  const { url } = await server.start();
  const client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  const apiId = (await client.apis.createApi({ name: `metering-${++apiCounter}-${Date.now()}` })).data.apiId;
  const verifiers: Verifier[] = [];

  return {
    url,
    rootKey,
    client,
    apiId,
    async createKey(fields = {}) {
      const { data } = await client.keys.createKey({ apiId, prefix: 'mt', ...fields });
      registerSecret(data.key);
      return data;
    },
    verifier(metering, extra = {}) {
      const verifier = createVerifier({
        provider: unkey({ rootKey, baseUrl: url, timeoutMs: 5000 }),
        metering,
        ...extra,
      });
      verifiers.push(verifier);
      return verifier;
    },
    async creditsLeft(keyId) {
      const { data } = await client.keys.getKey({ keyId });
      return data.credits?.remaining ?? undefined;
    },
    async used(key, names) {
      const { data } = await client.keys.verifyKey({
        key,
        credits: { cost: 0 },
        ratelimits: names.map((name) => ({ name, cost: 0 })),
      });
      return Object.fromEntries((data.ratelimits ?? []).map((limit) => [limit.name, limit.limit - limit.remaining]));
    },
    addIdentityLimit(externalId, limit) {
      const db = openSqlite(database);
      try {
        const identity = db
          .prepare('SELECT id, workspace_id FROM identities WHERE external_id = ?')
          .get(externalId) as { id: string; workspace_id: string };
        db.prepare(
          'INSERT INTO ratelimits (id, workspace_id, key_id, identity_id, name, "limit", duration, auto_apply) VALUES (?, ?, NULL, ?, ?, ?, ?, 1)',
        ).run(
          `rl_identity_${externalId}_${limit.name}`,
          identity.workspace_id,
          identity.id,
          limit.name,
          limit.limit,
          limit.duration,
        );
      } finally {
        db.close();
      }
    },
    async stop() {
      await Promise.all(verifiers.map((verifier) => verifier.close()));
      await client.close();
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Sends `count` verifications of `key`, `concurrency` at a time, and counts the outcomes by code. */
export async function load(
  verifier: Verifier,
  key: string,
  count: number,
  concurrency: number,
): Promise<{ admitted: number; codes: Record<string, number>; answers: Verification[] }> {
  const answers: Verification[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      answers.push(await verifier.verify(key));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const codes: Record<string, number> = {};
  for (const answer of answers) codes[answer.code] = (codes[answer.code] ?? 0) + 1;
  return { admitted: answers.filter((answer) => answer.valid).length, codes, answers };
}
