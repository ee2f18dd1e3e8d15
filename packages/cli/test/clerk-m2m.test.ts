import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../../../test/support/secrets.js';
import { INVALID_KEY_EXIT_CODE } from '../src/commands/keys.js';
import { cliRunner } from './run.js';

let server: KeyServer;
let url: string;
let secretKey: string;
let env: Record<string, string>;
const { run, json } = cliRunner(() => env);
const asMachine = (key: string) => ({ KEYGUARD_CLERK_MACHINE_SECRET_KEY: key });

beforeAll(async () => {
  server = createKeyServer();
  const boot = server.bootstrap();
  secretKey = boot.clerkSecretKey as string;
  registerSecret(boot.rootKey as string, secretKey);
  ({ url } = await server.start());
  env = { KEYGUARD_CLERK_BASE_URL: `${url}/v1`, KEYGUARD_CLERK_SECRET_KEY: secretKey };
});
afterAll(() => server.stop());

async function machine(name: string, extra: string[] = []): Promise<{ id: string; secret_key: string }> {
  const created = await json(['clerk-m2m', 'machines', 'create', '--name', name, ...extra]);
  registerSecret(created.secret_key);
  return created;
}

describe('keyguard clerk-m2m', () => {
  it('creates and lists machines; creates, lists, verifies and revokes M2M tokens', async () => {
    const target = await machine('billing api');
    const worker = await machine('worker', ['--scoped-machines', target.id, '--default-ttl', '10m']);
    expect(worker).toMatchObject({ name: 'worker', default_token_ttl: 600, scoped_machines: [{ id: target.id }] });
    const listed = await run(['clerk-m2m', 'machines', 'list', '--query', 'worker']);
    expect(listed.stdout).toContain(worker.id);

    const created = await run(
      ['--json', 'clerk-m2m', 'tokens', 'create', '--claims', '{"job":"nightly"}'],
      asMachine(worker.secret_key),
    );
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout);
    registerSecret(token.token);
    expect(token).toMatchObject({ subject: worker.id, scopes: [target.id], claims: { job: 'nightly' } });

    const verified = await run(['clerk-m2m', 'tokens', 'verify', token.token], asMachine(target.secret_key));
    expect([verified.code, verified.stdout.split('\n')[0]]).toEqual([0, 'valid']);
    const tokens = await run(['clerk-m2m', 'tokens', 'list', '--subject', worker.id]);
    expect(tokens.stdout).toContain(token.id);

    const revoked = await run(
      ['clerk-m2m', 'tokens', 'revoke', token.id, '--reason', 'rotated'],
      asMachine(worker.secret_key),
    );
    expect(revoked.stdout).toMatch(/revoked:\s+yes \(rotated\)/);
    const after = await run(['clerk-m2m', 'tokens', 'verify', token.token], asMachine(target.secret_key));
    expect(after.code).toBe(INVALID_KEY_EXIT_CODE);
    expect(after.stdout).not.toContain(token.token);
  });

  it('creates JWT tokens and prints the PEM key that verifies them', async () => {
    const worker = await machine('jwt worker');
    const created = await run(
      ['--json', 'clerk-m2m', 'tokens', 'create', '--format', 'jwt', '--expires-in', '60'],
      asMachine(worker.secret_key),
    );
    const token = JSON.parse(created.stdout);
    registerSecret(token.token);
    expect(token.token.split('.')).toHaveLength(3);
    const key = await run(['clerk-m2m', 'jwt-key']);
    expect(key.stdout.trim()).toBe(server.clerkJwtPublicKey().trim());
  });

  it('creates OAuth access tokens the verify route accepts', async () => {
    const created = await json(['clerk-m2m', 'oauth', 'create', '--subject', 'user_cli', '--scopes', 'read,write']);
    registerSecret(created.token);
    expect(created).toMatchObject({
      subject: 'user_cli',
      scopes: ['read', 'write'],
      object: 'clerk_idp_oauth_access_token',
    });
    const answer = await fetch(`${url}/oauth_applications/access_tokens/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: created.token }),
    });
    expect(answer.status).toBe(200);
  });

  it('says which key is missing or wrong, without repeating it', async () => {
    const missing = await run(['clerk-m2m', 'tokens', 'create']);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('no machine secret key')]);
    const wrong = 'ak_wrong_machine_secret_key_0000';
    registerSecret(wrong);
    const refused = await run(['clerk-m2m', 'tokens', 'create'], asMachine(wrong));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 401');
    expect(refused.stderr).toContain('machine_secret_key_invalid');
    expect(refused.stderr).not.toContain(wrong);
  });
});
