import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// @opentelemetry/api is an optional peer of the built core: without it both builds load and verify; with it (and an
// SDK registered by the app) both builds find it on their own and trace provider calls.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const coreDirectory = join(root, 'packages/core');
const built = existsSync(join(coreDirectory, 'dist/index.js'));
const describeBuilt = built || process.env.CI ? describe : describe.skip;

const PROVIDER = `{
  name: 'memory',
  verify: async () => ({ valid: true, code: 'VALID', metered: false, keyId: 'key_dist', key: { id: 'key_dist', provider: 'memory', permissions: [], roles: [], meta: {}, enabled: true } }),
}`;
const VERIFY_TWICE = `
  const verifier = createVerifier({ provider: ${PROVIDER} });
  const first = await verifier.verify('sk_dist_check_0001');
  const second = await verifier.verify('sk_dist_check_0001');
  await verifier.close();
`;

// pnpm puts its whole store on NODE_PATH for the processes it starts: a child resolving like an installed app must not inherit it.
const env = { ...process.env, NODE_PATH: '' };

function run(cwd: string, type: 'module' | 'commonjs', source: string): unknown {
  const output = execFileSync(process.execPath, [`--input-type=${type}`, '-e', source], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(output.trim().split('\n').pop()!);
}

const temporary: string[] = [];
afterAll(() => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});

/** A project with the built core and its two dependencies, and no @opentelemetry/api anywhere it can resolve. */
function projectWithoutOpenTelemetry(): string {
  const project = mkdtempSync(join(tmpdir(), 'keyguard-no-otel-'));
  temporary.push(project);
  const installed = join(project, 'node_modules/@keyguard/core');
  mkdirSync(installed, { recursive: true });
  cpSync(join(coreDirectory, 'package.json'), join(installed, 'package.json'));
  cpSync(join(coreDirectory, 'dist'), join(installed, 'dist'), { recursive: true });
  for (const dependency of ['lru-cache', 'undici'])
    symlinkSync(
      realpathSync(join(coreDirectory, 'node_modules', dependency)),
      join(project, 'node_modules', dependency),
      'dir',
    );
  return project;
}

describeBuilt('@opentelemetry/api as an optional peer of the built core', () => {
  it('without it, the ESM and the CJS builds load and verify', () => {
    const project = projectWithoutOpenTelemetry();
    expect(() =>
      execFileSync(process.execPath, ['-e', "require.resolve('@opentelemetry/api')"], {
        cwd: project,
        env,
        stdio: 'ignore',
      }),
    ).toThrow();
    const esm = run(
      project,
      'module',
      `import { createVerifier } from '@keyguard/core';${VERIFY_TWICE} console.log(JSON.stringify([first.source, second.source]));`,
    );
    const cjs = run(
      project,
      'commonjs',
      `const { createVerifier } = require('@keyguard/core'); (async () => {${VERIFY_TWICE} console.log(JSON.stringify([first.source, second.source])); })();`,
    );
    expect(esm).toEqual(['upstream', 'cache']);
    expect(cjs).toEqual(['upstream', 'cache']);
  });

  it('with it and an SDK registered by the app, both builds find it and trace the provider call', () => {
    const startSdk = `
      const exporter = new InMemorySpanExporter();
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));`;
    const report =
      'console.log(JSON.stringify(exporter.getFinishedSpans().map((span) => [span.name, span.attributes["keyguard.key.id"]])));';
    const esm = run(
      root,
      'module',
      `import { trace } from '@opentelemetry/api';
       import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
       ${startSdk}
       const { createVerifier } = await import('@keyguard/core');${VERIFY_TWICE} ${report}`,
    );
    const cjs = run(
      root,
      'commonjs',
      `const { trace } = require('@opentelemetry/api');
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
       ${startSdk}
       const { createVerifier } = require('@keyguard/core');
       (async () => {${VERIFY_TWICE} ${report} })();`,
    );
    expect(esm).toEqual([['keyguard.verify', 'key_dist']]);
    expect(cjs).toEqual([['keyguard.verify', 'key_dist']]);
  });
});
