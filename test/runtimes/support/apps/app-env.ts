import { runtime } from '@keyguard/core/runtime';
import type { ProviderConfig } from '../../../support/provider-config.js';

// What every app of test/runtimes shares, in the app's own process: the key service it verifies against, handed over
// as JSON in the environment by the spawner (test/runtimes/support/spawn-app.ts), and the line it announces itself with.

export const PROVIDER_ENV = 'KEYGUARD_TEST_PROVIDER';

export function providerConfigFromEnv(): ProviderConfig {
  const json = process.env[PROVIDER_ENV];
  if (!json) throw new Error(`${PROVIDER_ENV} must hold the provider config as JSON`);
  return JSON.parse(json) as ProviderConfig;
}

/** `listening <url> core=<runtime>`: the origin, and which build of core the runtime's export conditions chose. */
export function announce(url: string): void {
  console.log(`listening ${url} core=${runtime.name}`);
}
