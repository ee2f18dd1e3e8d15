import { fileURLToPath } from 'node:url';
import type { Harness } from '../../conformance/fixtures.js';
import { PROVIDER_ENV } from './apps/app-env.js';
import type { RuntimeName } from './runtimes.js';
import { startApp } from './spawn-app.js';

const app = (file: string) => fileURLToPath(new URL(`./apps/${file}`, import.meta.url));

/** Which build of `@keyguard/core` each runtime must load through the package's export conditions. */
const CORE_RUNTIME: Record<RuntimeName, string> = { bun: 'bun', deno: 'node', node: 'node' };

/**
 * A conformance harness whose app runs in a process of `runtime`: the provider config crosses as JSON in the
 * environment, and the app must say it loaded the build of core its runtime should pick.
 */
function runtimeHarness(runtime: RuntimeName, name: string, file: string, env: Record<string, string> = {}): Harness {
  return {
    name: `${runtime}-${name}`,
    async start(config) {
      const running = await startApp(runtime, app(file), { ...env, [PROVIDER_ENV]: JSON.stringify(config) });
      if (running.coreRuntime !== CORE_RUNTIME[runtime]) {
        await running.close();
        throw new Error(
          `${runtime}-${name} loaded core's ${running.coreRuntime} build, not its ${CORE_RUNTIME[runtime]} one`,
        );
      }
      return running;
    },
  };
}

/**
 * Every adapter on `runtime`: Hono on the runtime's own server (Bun.serve, Deno.serve), the others through the very
 * harness files of test/conformance/harnesses on the runtime's node:http.
 */
export function runtimeHarnesses(runtime: Exclude<RuntimeName, 'node'>): Harness[] {
  const conformanceHarness = (name: string) =>
    runtimeHarness(runtime, name, 'conformance-harness.ts', { HARNESS: name });
  return [
    runtimeHarness(runtime, 'hono', 'hono-native.ts'),
    ...['express', 'fastify', 'koa', 'nest-express', 'nest-fastify'].map(conformanceHarness),
  ];
}
