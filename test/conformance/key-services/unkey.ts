import { FakeUnkey } from '../../support/fake-unkey.js';
import type { Fault } from '../../support/faults.js';
import type { ProviderConfig } from '../../support/provider-config.js';
import { registerSecret } from '../../support/secrets.js';
import { KEY_IDS } from './key-service.js';
import type { KeyService, ScenarioKeys } from './key-service.js';

/** What the Unkey mode adds: states only Unkey's verifyKey answers (disabled, metered, forbidden, …). */
export interface UnkeyScenarioKeys extends ScenarioKeys {
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
}

/** Unkey mode: the fake Unkey service of test/support, which can answer every verifyKey code and inject faults. */
export class UnkeyKeyService implements KeyService<UnkeyScenarioKeys> {
  private constructor(private readonly fake: FakeUnkey) {}

  static async start(): Promise<UnkeyKeyService> {
    return new UnkeyKeyService(await new FakeUnkey().start());
  }

  get config(): ProviderConfig {
    return { kind: 'unkey', baseUrl: this.fake.url, rootKey: this.fake.rootKey, timeoutMs: 15_000 };
  }

  get fault(): Fault {
    return this.fake.fault;
  }

  set fault(fault: Fault) {
    this.fake.fault = fault;
  }

  get verifyCalls(): number {
    return this.fake.requests.length;
  }

  async issueKeys(tag: string): Promise<UnkeyScenarioKeys> {
    const key = (role: string) => `sk_conformance_${tag}_${role}`.replace(/[^A-Za-z0-9_]/g, '_');
    const keys: UnkeyScenarioKeys = {
      reader: key('reader'),
      writer: key('writer'),
      expired: key('expired'),
      disabled: key('disabled'),
      limited: key('limited'),
      exhausted: key('exhausted'),
      forbidden: key('forbidden'),
      lacksPermissions: key('lacks_permissions'),
      unknown: key('unknown'),
      longest: `sk_${'b'.repeat(509)}`,
    };
    this.fake.add(keys.reader, { keyId: KEY_IDS.reader, name: 'reader', permissions: ['docs.read'] });
    this.fake.add(keys.writer, { keyId: KEY_IDS.writer, name: 'writer', permissions: ['docs.read', 'docs.write'] });
    this.fake.add(keys.expired, { keyId: 'key_expired', permissions: ['docs.read'], expires: Date.now() - 60_000 });
    this.fake.add(keys.disabled, { keyId: 'key_disabled', permissions: ['docs.read'], enabled: false });
    this.fake.add(keys.limited, {
      keyId: KEY_IDS.limited,
      permissions: [],
      ratelimit: { name: 'requests', limit: 1, duration: 60_000 },
    });
    this.fake.add(keys.exhausted, { keyId: 'key_exhausted', permissions: [], credits: 0 });
    this.fake.add(keys.forbidden, { keyId: 'key_forbidden', permissions: [], code: 'FORBIDDEN' });
    this.fake.add(keys.lacksPermissions, {
      keyId: 'key_lacks_permissions',
      permissions: [],
      code: 'INSUFFICIENT_PERMISSIONS',
    });
    registerSecret(keys.unknown, keys.longest);
    return keys;
  }

  /** The fake gives every key the id the table expects already. */
  tableKeyId(id: string): string {
    return id;
  }

  async stop(): Promise<void> {
    await this.fake.stop();
  }
}
