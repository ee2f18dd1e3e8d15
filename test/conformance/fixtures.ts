import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, unkey } from '@keyguard/core';
import type { Verifier } from '@keyguard/core';
import { FakeUnkey } from '../support/fake-unkey.js';
import type { Fault } from '../support/fake-unkey.js';
import { registerSecret } from '../support/secrets.js';

/**
 * The contract of a conformance harness: one small file in ./harnesses/ whose default export is a `Harness`.
 * Started once per run, it serves, through its adapter and over real HTTP on loopback:
 *
 * - `GET /protected`: a key is required;
 * - `GET /optional`: the adapter's `optional` setting, so anonymous callers get through (a bad key does not);
 * - `GET /guarded`: a key is required and must satisfy the permission query `GUARD_QUERY`.
 *
 * Each route answers 200 with `{ "apiKey": <the verified key's id, or null> }` as JSON. The harness verifies keys
 * against the key service in `config` (an Unkey-compatible server; `config` is plain data, so a harness may pass
 * it to another process), keyguard's options otherwise at their defaults.
 */
export interface Harness {
  /** Names the adapter in test titles (`express`, `fastify`, `next-route`, …). */
  name: string;
  start(config: KeyServiceConfig): Promise<RunningHarness>;
}

export interface RunningHarness {
  /** Origin to send requests to, e.g. `http://127.0.0.1:34567`. */
  url: string;
  close(): Promise<void>;
}

export interface KeyServiceConfig {
  baseUrl: string;
  rootKey: string;
  timeoutMs: number;
}

export const GUARD_QUERY = 'docs.write';

/** What every harness route answers when it lets a request through. */
export const passed = (apiKey: { id: string } | undefined) => ({ apiKey: apiKey?.id ?? null });

/** A verifier for one harness (so every harness starts with an empty cache and the same code paths). */
export function verifierFor(config: KeyServiceConfig): Verifier {
  return createVerifier({ provider: unkey({ rootKey: config.rootKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs }) });
}

/** Listens on a free loopback port and closes the server, its keep-alive connections and `cleanup` together. */
export async function listen(server: Server, cleanup?: () => Promise<void>): Promise<RunningHarness> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await cleanup?.();
    },
  };
}

/** The keys one scenario may use on one harness: fresh for each, so no cache or rate-limit window is shared. */
export interface ScenarioKeys {
  /** Valid, `docs.read`. */
  reader: string;
  /** Valid, `docs.read` and `docs.write`. */
  writer: string;
  expired: string;
  disabled: string;
  /** Valid, metered by a rate limit of one request per 60 s. */
  limited: string;
  /** Valid but without credits left. */
  exhausted: string;
  /** The key service answers FORBIDDEN (e.g. an IP allow-list). */
  forbidden: string;
  /** The key service answers INSUFFICIENT_PERMISSIONS. */
  lacksPermissions: string;
  /** Well-formed, unknown to the key service. */
  unknown: string;
}

/** The key ids the fake service gives each role, as they appear in `{ apiKey }` answers. */
export const KEY_IDS = { reader: 'key_reader', writer: 'key_writer', limited: 'key_limited' } as const;

/** The fake Unkey service every harness verifies against; `issueKeys(tag)` adds a fresh set of keys. */
export class KeyService {
  private constructor(private readonly fake: FakeUnkey) {}

  static async start(): Promise<KeyService> {
    return new KeyService(await new FakeUnkey().start());
  }

  get config(): KeyServiceConfig {
    return { baseUrl: this.fake.url, rootKey: this.fake.rootKey, timeoutMs: 1_000 };
  }

  set fault(fault: Fault) {
    this.fake.fault = fault;
  }

  issueKeys(tag: string): ScenarioKeys {
    const key = (role: string) => `sk_conformance_${tag}_${role}`.replace(/[^A-Za-z0-9_]/g, '_');
    const keys: ScenarioKeys = {
      reader: key('reader'),
      writer: key('writer'),
      expired: key('expired'),
      disabled: key('disabled'),
      limited: key('limited'),
      exhausted: key('exhausted'),
      forbidden: key('forbidden'),
      lacksPermissions: key('lacks_permissions'),
      unknown: key('unknown'),
    };
    this.fake.add(keys.reader, { keyId: KEY_IDS.reader, name: 'reader', permissions: ['docs.read'] });
    this.fake.add(keys.writer, { keyId: KEY_IDS.writer, name: 'writer', permissions: ['docs.read', 'docs.write'] });
    this.fake.add(keys.expired, { keyId: 'key_expired', permissions: ['docs.read'], expires: Date.now() - 60_000 });
    this.fake.add(keys.disabled, { keyId: 'key_disabled', permissions: ['docs.read'], enabled: false });
    this.fake.add(keys.limited, { keyId: KEY_IDS.limited, permissions: [], ratelimit: { name: 'requests', limit: 1, duration: 60_000 } });
    this.fake.add(keys.exhausted, { keyId: 'key_exhausted', permissions: [], credits: 0 });
    this.fake.add(keys.forbidden, { keyId: 'key_forbidden', permissions: [], code: 'FORBIDDEN' });
    this.fake.add(keys.lacksPermissions, { keyId: 'key_lacks_permissions', permissions: [], code: 'INSUFFICIENT_PERMISSIONS' });
    registerSecret(keys.unknown);
    return keys;
  }

  async stop(): Promise<void> {
    await this.fake.stop();
  }
}
