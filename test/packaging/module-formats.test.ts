import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, LoopbackServer } from '../support/loopback-server.js';
import { registerSecret } from '../support/secrets.js';

// The same failures must give the same answers whether an app `require`s keyguard (the CommonJS build), `import`s it
// (the ESM build) or both (then it holds two copies of core). Each case runs in a plain Node process
// (module-formats/child.mjs) that loads the built files; the key services are loopback servers of this process.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const childScript = join(dirname(fileURLToPath(import.meta.url)), 'module-formats', 'child.mjs');
const requireFromRoot = createRequire(join(root, 'package.json'));
const built = existsSync(join(root, 'packages/core/dist/index.cjs'));
// `pnpm test` builds first; only a bare `vitest` run without a build may skip this file.
const describeBuilt = built || process.env.CI ? describe : describe.skip;

registerSecret(
  'unkey_root_module_formats',
  'sk_test_module_formats',
  'sk_module_formats_0123456789',
  'ak_module_formats_0123456789',
);

type Format = 'cjs' | 'esm';
type Case = { kind: string } & Record<string, unknown>;

/** Runs cases in one Node process; answers what each observed. */
function runChild(cases: Case[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [childScript],
      {
        cwd: root,
        env: { ...process.env, KEYGUARD_MODULE_FORMATS_CASE: JSON.stringify({ root, cases }) },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as unknown[]);
      },
    );
  });
}

/** The same cases under each combination of builds, in parallel processes. */
async function underEach<K extends string>(
  combinations: Record<K, Record<string, Format>>,
  cases: (formats: Record<string, Format>) => Case[],
): Promise<Record<K, unknown[]>> {
  const names = Object.keys(combinations) as K[];
  const results = await Promise.all(names.map((name) => runChild(cases(combinations[name]))));
  return Object.fromEntries(names.map((name, index) => [name, results[index]])) as Record<K, unknown[]>;
}

// A key-service package and the core the app creates its verifier with: one build, or one of each.
const PROVIDER_COMBINATIONS = {
  esm: { core: 'esm', provider: 'esm' },
  cjs: { core: 'cjs', provider: 'cjs' },
  'esm core, cjs provider': { core: 'esm', provider: 'cjs' },
  'cjs core, esm provider': { core: 'cjs', provider: 'esm' },
} satisfies Record<string, Record<string, Format>>;

const ADAPTER_COMBINATIONS = {
  esm: { adapter: 'esm', provider: 'esm' },
  cjs: { adapter: 'cjs', provider: 'cjs' },
  'esm adapter, cjs provider': { adapter: 'esm', provider: 'cjs' },
  'cjs adapter, esm provider': { adapter: 'cjs', provider: 'esm' },
} satisfies Record<string, Record<string, Format>>;

// Only the timeout case waits for the deadline; the others get one no loaded machine reaches, so that a refused
// connection or a 503 is never turned into a timeout by a slow process start (seen once on a CI run at double load).
const TIMEOUT_MS = 250;
const UNREACHED_TIMEOUT_MS = 15_000;
const timeoutFor = (failure: (typeof FAILURES)[number]): number =>
  failure === 'timeout' ? TIMEOUT_MS : UNREACHED_TIMEOUT_MS;
const FAILURES = ['refused', 'timeout', '5xx'] as const;
const EXPECTED_CODE = {
  refused: 'PROVIDER_CONNECTION_FAILED',
  timeout: 'PROVIDER_TIMEOUT',
  '5xx': 'PROVIDER_SERVER_ERROR',
} as const;

// Each test starts several Node processes (NestJS and Fastify apps among them): more than the suite's 20 s may pass on a
// loaded machine, though nothing here waits on a clock but the providers' 250 ms deadline.
describeBuilt('the CommonJS and the ESM builds answer alike', { timeout: 60_000 }, () => {
  const urls = { refused: '', timeout: '', '5xx': '' };
  // Accepts and reads requests, never answers: the provider's deadline ends each one (stop() drops the connections).
  const silent = new LoopbackServer((request) => void request.resume());
  const unavailable = new LoopbackServer((request, response) => {
    request.resume();
    response.writeHead(503, { 'content-type': 'application/json' });
    // Both services' error bodies at once: Unkey's envelope and Clerk's errors[].
    response.end(
      JSON.stringify({
        meta: { requestId: 'req_module_formats' },
        error: {
          title: 'Service Unavailable',
          detail: 'down for the test',
          status: 503,
          type: 'https://unkey.com/docs/errors/unkey/application/service_unavailable',
        },
        errors: [{ code: 'service_unavailable', message: 'down for the test', long_message: 'down for the test' }],
      }),
    );
  });

  beforeAll(async () => {
    urls.refused = await closedPortUrl();
    urls.timeout = await silent.start();
    urls['5xx'] = await unavailable.start();
  });

  afterAll(async () => {
    await Promise.all([silent.stop(), unavailable.stop()]);
  });

  for (const provider of ['unkey', 'clerk'] as const) {
    it(`@keyguard/${provider}: a refused connection, a timeout and a 5xx give the same codes and classes under require, import and a mix`, async () => {
      const results = await underEach(PROVIDER_COMBINATIONS, (formats) =>
        FAILURES.map((failure) => ({
          kind: 'providerFailure',
          provider,
          formats,
          baseUrl: urls[failure],
          timeoutMs: timeoutFor(failure),
        })),
      );
      FAILURES.forEach((failure, index) => {
        const code = EXPECTED_CODE[failure];
        const transportError = failure === '5xx' ? null : true;
        const recognised = { providerError: true, keyguardError: true, transportError };
        expect(results.esm[index], `${failure}, esm`).toEqual({
          thrown: { code, name: 'ProviderError', recognised: { esm: recognised, cjs: recognised } },
          verification: { valid: false, code: 'PROVIDER_UNAVAILABLE' },
          logged: [code],
          leaked: false,
        });
        for (const [combination, observed] of Object.entries(results))
          expect(observed[index], `${failure}, ${combination}`).toEqual(results.esm[index]);
      });
    });

    it(`@keyguard/${provider}: a verification whose connection was refused is sent again, under require, import and a mix`, async () => {
      const results = await underEach(PROVIDER_COMBINATIONS, (formats) => [
        { kind: 'refusedThenAnswered', provider, formats },
      ]);
      for (const [combination, [observed]] of Object.entries(results)) {
        expect(observed, combination).toEqual({
          verification: { valid: true, code: 'VALID' },
          refused: 1,
          answered: 1,
          logged: [],
        });
      }
    });
  }

  it("@keyguard/core: a provider of the app's own that throws the other build's ProviderError keeps its code", async () => {
    const results = await underEach(PROVIDER_COMBINATIONS, (formats) => [{ kind: 'customProvider', formats }]);
    for (const [combination, [observed]] of Object.entries(results)) {
      expect(observed, combination).toEqual({
        verification: { valid: false, code: 'PROVIDER_UNAVAILABLE' },
        logged: ['PROVIDER_TIMEOUT'],
      });
    }
  });

  it('batched metering: a settlement whose connection dropped after it was sent is not sent again, under require, import and a mix', async () => {
    const settlementsSeen: Record<string, number> = {};
    const servers = Object.keys(PROVIDER_COMBINATIONS).map(
      (combination) =>
        new LoopbackServer((request, response) => {
          let body = '';
          request.setEncoding('utf8');
          request.on('data', (chunk: string) => (body += chunk));
          request.on('end', () => {
            const verification = JSON.parse(body) as { credits?: { cost: number } };
            if (verification.credits) {
              // The settlement arrived whole; its answer is lost: it may have been applied.
              settlementsSeen[combination] = (settlementsSeen[combination] ?? 0) + verification.credits.cost;
              request.socket.destroy();
              return;
            }
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify({
                meta: { requestId: 'req_module_formats' },
                data: {
                  valid: true,
                  code: 'VALID',
                  keyId: 'key_metered',
                  credits: 1000,
                  permissions: [],
                  roles: [],
                  enabled: true,
                },
              }),
            );
          });
        }),
    );
    const baseUrls = await Promise.all(servers.map((server) => server.start()));
    try {
      const names = Object.keys(PROVIDER_COMBINATIONS) as (keyof typeof PROVIDER_COMBINATIONS)[];
      const results = await Promise.all(
        names.map((name, index) =>
          runChild([{ kind: 'settlement', formats: PROVIDER_COMBINATIONS[name], baseUrl: baseUrls[index] }]),
        ),
      );
      names.forEach((name, index) => {
        expect(results[index]![0], name).toEqual({
          sources: ['upstream', 'cache', 'cache'],
          metering: { admitted: 2, settled: 0, failedSettlements: 1, inDoubt: 2, lost: 0 },
          leaked: false,
        });
        expect(settlementsSeen[name], `${name}: admissions the service was asked to charge`).toBe(2);
      });
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });

  for (const adapter of ['express', 'fastify', 'hono', 'koa', 'next', 'nestjs'] as const) {
    it(`@keyguard/${adapter}: a request while the key service fails gets the same 503 under require, import and a mix`, async () => {
      const results = await underEach(ADAPTER_COMBINATIONS, (formats) =>
        FAILURES.map((failure) => ({
          kind: 'adapterFailure',
          adapter,
          formats,
          baseUrl: urls[failure],
          timeoutMs: timeoutFor(failure),
        })),
      );
      FAILURES.forEach((failure, index) => {
        const esm = results.esm[index] as {
          status: number;
          headers: Record<string, string | null>;
          logged: string[];
          leaked: boolean;
        };
        expect(esm.status, `${failure}, esm`).toBe(503);
        expect(esm.headers['content-type'], `${failure}, esm`).toMatch(/^application\/problem\+json/);
        expect(esm.logged, `${failure}, esm`).toEqual([EXPECTED_CODE[failure]]);
        expect(esm.leaked, `${failure}, esm`).toBe(false);
        for (const [combination, observed] of Object.entries(results))
          expect(observed[index], `${failure}, ${combination}`).toEqual(esm);
      });
    });
  }

  it('every error class a package exports declares a brand of its own', () => {
    const core = requireFromRoot(join(root, 'packages/core/dist/index.cjs')) as {
      KeyguardError: abstract new (...args: never[]) => Error;
    };
    const classByBrand = new Map<string, unknown>();
    for (const name of readdirSync(join(root, 'packages'))) {
      for (const entry of ['index', 'service']) {
        const file = join(root, 'packages', name, 'dist', `${entry}.cjs`);
        if (!existsSync(file)) continue;
        for (const [exportName, value] of Object.entries(requireFromRoot(file) as Record<string, unknown>)) {
          if (
            typeof value !== 'function' ||
            (value !== core.KeyguardError && !(value.prototype instanceof core.KeyguardError))
          )
            continue;
          // Inherited, the parent's brand would make every instance of the parent pass for this class.
          expect(Object.hasOwn(value, 'brand'), `${name} ${exportName} declares its brand`).toBe(true);
          const { brand } = value as unknown as { brand: string };
          expect(classByBrand.get(brand) ?? value, `${name} ${exportName}: no other class declares ${brand}`).toBe(
            value,
          );
          classByBrand.set(brand, value);
        }
      }
    }
    expect([...classByBrand.keys()]).toEqual(
      expect.arrayContaining([
        'keyguard.core.ProviderError',
        'keyguard.core.TransportError',
        'keyguard.unkey.UnkeyApiError',
        'keyguard.clerk.ClerkApiError',
      ]),
    );
  });
});
