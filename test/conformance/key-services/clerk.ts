import type { IncomingMessage, ServerResponse } from 'node:http';
import { forgedM2MJwt } from './clerk-machine-tokens.js';
import { ClerkClient } from '@keyguard/clerk';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { misbehave, type Fault } from '../../support/faults.js';
import { LoopbackServer } from '../../support/loopback-server.js';
import type { ProviderConfig } from '../../support/provider-config.js';
import { registerSecret } from '../../support/secrets.js';
import { KEY_IDS } from './key-service.js';
import type { KeyService, ScenarioKeys } from './key-service.js';

/** What the Clerk mode adds: the states Clerk's API keys have, and a token of another kind. */
export interface ClerkScenarioKeys extends ScenarioKeys {
  /** Created with a one-second lifetime, then the service's clock moved past it. */
  expired: string;
  /** Created, then revoked through the Clerk API. */
  revoked: string;
  /** The reader's secret without its `ak_` prefix: not an API key as far as Clerk is concerned. */
  unprefixed: string;
  /** An opaque M2M token (`mt_…`) granted to the service's `api` machine, `docs.read` nowhere: scopes are machines. */
  m2m: string;
  /** An M2M JWT of the same machine, verified locally against the JWKS. */
  m2mJwt: string;
  /** An M2M JWT whose `exp` passed a minute ago. */
  expiredJwt: string;
  /** An M2M JWT whose `nbf` is two minutes ahead. */
  earlyJwt: string;
  /** An M2M JWT signed by a key the JWKS does not hold, under a `kid` it does not list. */
  unknownKidJwt: string;
  /** An opaque OAuth access token (`oat_…`). */
  oauth: string;
  /** Well-formed, unknown, 4097 characters: past the longest token clerk() reads with M2M JWTs accepted. */
  pastLongest: string;
}

const SUBJECT = 'user_conformance';
/** The verification endpoints of the three kinds (the JWKS is not one: a JWT is verified without a call). */
const VERIFY_PATHS: ReadonlySet<string> = new Set([
  '/v1/api_keys/verify',
  '/v1/m2m_tokens/verify',
  '/v1/oauth_applications/access_tokens/verify',
]);

/** An injected failure in Clerk's error format, so the provider parses what Clerk would send. */
const injectedError = (status: number) =>
  JSON.stringify({
    errors: [{ code: 'injected', message: 'injected', long_message: `an injected ${status}` }],
    clerk_trace_id: 'trace_injected',
  });

/**
 * Clerk mode: the local key service (`@keyguard/server`) answering Clerk's `/v1/api_keys` endpoints, keys created and
 * revoked with core's `ClerkClient`. The service is mounted behind a loopback server of this fixture, which counts
 * verify calls and injects faults the way the fake Unkey does, so the same fault rows run in both modes.
 */
export class ClerkKeyService implements KeyService<ClerkScenarioKeys> {
  fault: Fault = { kind: 'none' };
  verifyCalls = 0;
  /** Moved forward to expire keys; only ever grows, so keys without an expiration are unaffected. */
  private clockOffsetMs = 0;
  /** While set, the service's clock is the real one plus this: M2M JWTs are checked against the real clock. */
  private mintOffsetMs: number | undefined;
  private readonly keyServer: KeyServer = createKeyServer({
    clock: () => Date.now() + (this.mintOffsetMs ?? this.clockOffsetMs),
  });
  private worker: { id: string; secretKey: string } | undefined;
  private readonly front = new LoopbackServer((request, response) => void this.handle(request, response));
  /** Service key id → the id `KEY_IDS` gives its role. */
  private readonly tableIds = new Map<string, string>();
  private secretKey = '';
  private client: ClerkClient | undefined;

  static async start(): Promise<ClerkKeyService> {
    const service = new ClerkKeyService();
    const { rootKey, clerkSecretKey } = service.keyServer.bootstrap();
    if (!clerkSecretKey) throw new Error('the key server did not generate a Clerk secret key');
    registerSecret(clerkSecretKey, ...(rootKey ? [rootKey] : []));
    service.secretKey = clerkSecretKey;
    const api = service.keyServer.createMachine({ name: 'conformance api' });
    const worker = service.keyServer.createMachine({ name: 'conformance worker', scopedMachines: [api.id] });
    registerSecret(api.secretKey, worker.secretKey);
    service.worker = worker;
    await service.front.start();
    service.client = new ClerkClient({ secretKey: clerkSecretKey, baseUrl: `${service.front.url}/v1`, retry: false });
    return service;
  }

  get config(): ProviderConfig {
    return {
      kind: 'clerk',
      baseUrl: `${this.front.url}/v1`,
      secretKey: this.secretKey,
      timeoutMs: 15_000,
      accepts: ['api_key', 'm2m_token', 'oauth_token'],
    };
  }

  async issueKeys(tag: string): Promise<ClerkScenarioKeys> {
    const reader = await this.create(tag, 'reader', ['docs.read']);
    const writer = await this.create(tag, 'writer', ['docs.read', 'docs.write']);
    this.tableIds.set(reader.id, KEY_IDS.reader).set(writer.id, KEY_IDS.writer);
    const expired = await this.create(tag, 'expired', ['docs.read'], 1);
    this.clockOffsetMs += 1_001;
    const revoked = await this.create(tag, 'revoked', ['docs.read']);
    // Rows for these keys pass for an unknown key too (Clerk answers 404 for all three): make sure they are what they say.
    if (!(await this.apiKeys().get(expired.id)).expired) throw new Error('the key server did not expire the key');
    if (!(await this.apiKeys().revoke(revoked.id, { revocationReason: 'conformance' })).revoked)
      throw new Error('the key server did not revoke the key');
    const machineTokens = await this.machineTokens();
    const keys: ClerkScenarioKeys = {
      ...machineTokens,
      reader: reader.secret,
      writer: writer.secret,
      expired: expired.secret,
      revoked: revoked.secret,
      unprefixed: reader.secret.slice('ak_'.length),
      unknown: `ak_conformance_${tag}_unknown`.replace(/[^A-Za-z0-9_]/g, '_'),
      longest: `ak_${'b'.repeat(509)}`,
      pastLongest: `ak_${'c'.repeat(4_094)}`,
    };
    registerSecret(keys.unprefixed, keys.unknown, keys.longest, keys.pastLongest);
    return keys;
  }

  tableKeyId(id: string): string {
    return this.tableIds.get(id) ?? id;
  }

  async stop(): Promise<void> {
    await this.client?.close();
    await this.front.stop();
    await this.keyServer.stop();
  }

  /** One token of each machine kind; JWTs minted on the real clock (moved for the expired and early ones). */
  private async machineTokens() {
    const mint = async (fields: Record<string, unknown>, offsetMs = 0) => {
      this.mintOffsetMs = offsetMs;
      try {
        const response = await fetch(`${this.front.url}/m2m_tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.worker!.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(fields),
        });
        const body = (await response.json()) as { id: string; token: string };
        if (response.status !== 201) throw new Error(`the key server answered ${response.status} to a token create`);
        registerSecret(body.token);
        return body;
      } finally {
        this.mintOffsetMs = undefined;
      }
    };
    const m2m = await mint({});
    const jwt = await mint({ token_format: 'jwt' });
    const oauth = this.keyServer.createOAuthAccessToken({ subject: 'user_conformance', scopes: ['docs.read'] });
    registerSecret(oauth.token);
    this.tableIds.set(m2m.id, 'key_m2m').set(jwt.id, 'key_m2m_jwt').set(oauth.id, 'key_oauth');
    const unknownKidJwt = forgedM2MJwt(this.worker!.id);
    registerSecret(unknownKidJwt);
    return {
      m2m: m2m.token,
      m2mJwt: jwt.token,
      expiredJwt: (await mint({ token_format: 'jwt', seconds_until_expiration: 30 }, -60_000)).token,
      earlyJwt: (await mint({ token_format: 'jwt' }, 120_000)).token,
      unknownKidJwt,
      oauth: oauth.token,
    };
  }

  private apiKeys(): ClerkClient['apiKeys'] {
    if (!this.client) throw new Error('the Clerk key service is not started');
    return this.client.apiKeys;
  }

  private async create(
    tag: string,
    role: string,
    scopes: string[],
    secondsUntilExpiration?: number,
  ): Promise<{ id: string; secret: string }> {
    const key = await this.apiKeys().create({
      subject: SUBJECT,
      name: `${role} ${tag}`,
      scopes,
      secondsUntilExpiration,
    });
    if (!key.secret) throw new Error('the key server answered a create without the secret');
    registerSecret(key.secret);
    return { id: key.id, secret: key.secret };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (VERIFY_PATHS.has(request.url ?? '')) this.verifyCalls++;
    if (await misbehave(this.fault, request, response, injectedError)) return;
    this.keyServer.handler(request, response);
  }
}
