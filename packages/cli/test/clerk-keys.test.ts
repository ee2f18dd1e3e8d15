import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner, serveInProcess } from './run.js';

let server: KeyServer;
let env: Record<string, string>;
const { run, json } = cliRunner(() => env);

beforeAll(async () => {
  server = createKeyServer();
  const boot = server.bootstrap();
  registerSecret(boot.rootKey as string, boot.clerkSecretKey as string);
  const { url } = await server.start();
  env = { KEYGUARD_CLERK_BASE_URL: `${url}/v1`, KEYGUARD_CLERK_SECRET_KEY: boot.clerkSecretKey as string };
});
afterAll(() => server.stop());

describe('keyguard clerk-keys', () => {
  it('creates, gets, lists, verifies and revokes, in text and JSON', async () => {
    const created = await json([
      'clerk-keys',
      'create',
      '--subject',
      'user_123',
      '--name',
      'ci deploys',
      '--scopes',
      'deploy:write,logs:read',
      '--expires-in',
      '3600',
      '--claims',
      '{"team":"infra"}',
    ]);
    registerSecret(created.secret);
    expect(created).toMatchObject({
      subject: 'user_123',
      name: 'ci deploys',
      scopes: ['deploy:write', 'logs:read'],
      claims: { team: 'infra' },
      revoked: false,
    });
    expect(created.id).toMatch(/^ak_[0-9a-f]{32}$/);
    expect(created.expiration).toBeGreaterThan(Date.now());

    const text = await run(['clerk-keys', 'create', '--subject', 'user_123', '--name', 'second key']);
    expect(text.code, text.stderr).toBe(0);
    const secret = /secret:\s+(\S+)/.exec(text.stdout)?.[1] as string;
    registerSecret(secret);
    expect(secret).toMatch(/^ak_/);
    expect(text.stdout).toMatch(/status:\s+valid/);
    expect(text.stdout).toMatch(/expires:\s+never/);

    const got = await run(['clerk-keys', 'get', created.id]);
    expect(got.stdout).toMatch(/scopes:\s+deploy:write, logs:read/);
    expect(got.stdout).toMatch(/claims:\s+\{"team":"infra"\}/);
    expect(got.stdout).not.toContain(created.secret);
    expect((await json(['clerk-keys', 'get', created.id])).id).toBe(created.id);

    const listed = await json(['clerk-keys', 'list', '--subject', 'user_123']);
    expect(listed.totalCount).toBe(2);
    expect(listed.data.map((key: { name: string }) => key.name)).toEqual(['second key', 'ci deploys']);
    const page = await run(['clerk-keys', 'list', '--subject', 'user_123', '--limit', '1']);
    expect(page.stdout).toMatch(/1 of 2 \(more: --offset 1\)/);
    expect((await json(['clerk-keys', 'list', '--subject', 'user_123', '--limit', '1', '--all'])).data).toHaveLength(2);
    expect((await json(['clerk-keys', 'list', '--subject', 'user_123', '--query', 'deploys'])).totalCount).toBe(1);

    const verified = await run(['clerk-keys', 'verify', created.secret]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/valid:\s+true/);
    expect(verified.stdout).toMatch(/subject:\s+user_123/);
    const verifiedJson = await json(['clerk-keys', 'verify', created.secret]);
    expect(verifiedJson).toMatchObject({
      valid: true,
      apiKey: { id: created.id, scopes: ['deploy:write', 'logs:read'] },
    });
    expect(verifiedJson.apiKey.secret).toBeUndefined();

    const revoked = await run(['clerk-keys', 'revoke', created.id, '--reason', 'rotated']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/status:\s+revoked \(rotated\)/);
    const invalid = await run(['--json', 'clerk-keys', 'verify', created.secret]);
    expect(invalid.code).toBe(3);
    expect(JSON.parse(invalid.stdout)).toEqual({ valid: false, status: 404, code: 'resource_not_found' });
    expect((await run(['clerk-keys', 'verify', created.secret])).stdout).toMatch(/valid:\s+false/);
    expect((await json(['clerk-keys', 'list', '--subject', 'user_123'])).totalCount).toBe(1);
    expect((await json(['clerk-keys', 'list', '--subject', 'user_123', '--include-invalid'])).totalCount).toBe(2);
  });

  it('reads the secret from KEYGUARD_KEY with "-", and the secret key from --secret-key or CLERK_SECRET_KEY', async () => {
    const created = await json(['clerk-keys', 'create', '--subject', 'org_9', '--name', 'env key']);
    registerSecret(created.secret);
    expect((await run(['clerk-keys', 'verify', '-'], { KEYGUARD_KEY: created.secret })).code).toBe(0);
    const secretKey = env.KEYGUARD_CLERK_SECRET_KEY as string;
    expect(
      (
        await run(['clerk-keys', 'get', created.id], {
          KEYGUARD_CLERK_SECRET_KEY: undefined,
          CLERK_SECRET_KEY: secretKey,
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await run(['clerk-keys', '--secret-key', secretKey, 'get', created.id], {
          KEYGUARD_CLERK_SECRET_KEY: undefined,
        })
      ).code,
    ).toBe(0);
  });

  it('fails with one clear line and exit 1, never the secret key, a secret or a stack', async () => {
    const secretKey = env.KEYGUARD_CLERK_SECRET_KEY as string;
    const wrongKey = 'sk_test_wrong_wrong_wrong_wrong';
    registerSecret(wrongKey);
    const cases: [string[], RegExp, Record<string, string | undefined>?][] = [
      [
        ['clerk-keys', 'create', '--subject', 'user_1', '--name', 'ab'],
        /^keyguard: clerk apiKeys\.create failed: HTTP 400: name must be at least 3 characters long.*\(form_param_format_invalid\)/,
      ],
      [
        ['clerk-keys', 'create', '--subject', 'bob', '--name', 'fine name'],
        /^keyguard: clerk apiKeys\.create failed: HTTP 400: subject/,
      ],
      [
        ['clerk-keys', 'get', 'ak_ffffffffffffffffffffffffffffffff'],
        /^keyguard: clerk apiKeys\.get failed: HTTP 404: .*\(resource_not_found\)/,
      ],
      [
        ['clerk-keys', 'get', 'ak_ffffffffffffffffffffffffffffffff'],
        /^keyguard: clerk apiKeys\.get failed: HTTP 401: .*\(clerk_key_invalid\)/,
        { KEYGUARD_CLERK_SECRET_KEY: wrongKey },
      ],
      [
        ['clerk-keys', 'verify', 'ak_someSecretValue123456'],
        /^keyguard: clerk apiKeys\.verify failed: HTTP 401/,
        { KEYGUARD_CLERK_SECRET_KEY: wrongKey },
      ],
      [
        ['clerk-keys', 'list', '--subject', 'user_1'],
        /^keyguard: no Clerk secret key/,
        { KEYGUARD_CLERK_SECRET_KEY: undefined },
      ],
      [
        ['clerk-keys', 'list', '--subject', 'user_1'],
        /^keyguard: cannot reach the key service at http:\/\/127\.0\.0\.1:1\/v1 .*KEYGUARD_CLERK_BASE_URL/,
        { KEYGUARD_CLERK_BASE_URL: 'http://127.0.0.1:1/v1' },
      ],
      [
        ['clerk-keys', 'list', '--subject', 'user_1'],
        /^keyguard: invalid base URL/,
        { KEYGUARD_CLERK_BASE_URL: 'ftp://nope' },
      ],
      [['clerk-keys', 'list', '--subject', 'user_1', '--limit', 'many'], /^keyguard: --limit must be a whole number/],
      [
        ['clerk-keys', 'create', '--subject', 'user_1', '--name', 'abc', '--claims', '{oops'],
        /^keyguard: --claims must be JSON/,
      ],
      [
        ['clerk-keys', 'create', '--subject', 'user_1', '--name', 'abc', '--expires-in', '0'],
        /^keyguard: --expires-in must be a whole number ≥ 1/,
      ],
      [
        ['clerk-keys', 'create', '--name', 'abc'],
        /^keyguard: required option '--subject <id>' not specified; see `keyguard clerk-keys create --help`$/m,
      ],
      [['clerk-keys', 'verify', '-'], /^keyguard: no secret/],
    ];
    for (const [argv, pattern, extraEnv] of cases) {
      const result = await run(argv, extraEnv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr, argv.join(' ')).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain(secretKey);
      expect(result.stderr).not.toContain(wrongKey);
      expect(result.stderr).not.toContain('someSecretValue');
    }
  });

  it('--help works for every subcommand', async () => {
    for (const argv of [
      ['clerk-keys', '--help'],
      ...['create', 'list', 'get', 'revoke', 'verify'].map((name) => ['clerk-keys', name, '--help']),
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: keyguard clerk-keys/);
    }
  });
});

describe('keyguard serve and the Clerk secret key', () => {
  it('prints a generated Clerk secret key once, or uses KEYGUARD_CLERK_SECRET_KEY without printing it', async () => {
    const serve = async (extraEnv: Record<string, string>) => {
      const running = await serveInProcess(['serve', '--port', '0', '--quiet'], extraEnv);
      expect(await running.stop()).toBe(0);
      return running.stdout();
    };
    const generated = await serve({});
    const printed = /clerk secret key \(shown once, store it now\): (sk_test_\S+)/.exec(generated)?.[1];
    expect(printed).toBeDefined();
    registerSecret(printed as string);
    expect(generated).toMatch(
      /export KEYGUARD_CLERK_SECRET_KEY=sk_test_\S+ KEYGUARD_CLERK_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1/,
    );

    const given = 'sk_test_from_env_0123456789abcdef';
    registerSecret(given);
    const fromEnv = await serve({ KEYGUARD_CLERK_SECRET_KEY: given });
    expect(fromEnv).toContain('clerk secret key: from KEYGUARD_CLERK_SECRET_KEY');
    expect(fromEnv).not.toContain(given);
  });

  it('refuses an unusable KEYGUARD_CLERK_SECRET_KEY without showing it', async () => {
    const result = await run(['serve', '--port', '0'], { KEYGUARD_CLERK_SECRET_KEY: 'not-a-secret-key-value' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^keyguard: cannot start: the clerkSecretKey option must be/);
    expect(result.stderr).not.toContain('not-a-secret-key-value');
  });
});
