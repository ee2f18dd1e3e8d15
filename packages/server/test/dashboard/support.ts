import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** Debian's chromium, driven by playwright-core (no browser download); KEYGUARD_CHROMIUM names another. */
export const CHROMIUM = process.env.KEYGUARD_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The browser suites: skipped locally without chromium (with a line saying so), run (and failing) in CI, where
 * .ci/run installs it.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI) {
    describe(name, suite);
    return;
  }
  console.warn(`${name}: skipped, no chromium at ${CHROMIUM} (apt-get install chromium, or set KEYGUARD_CHROMIUM)`);
  describe.skip(name, suite);
}

/** Builds the dashboard's assets into dist/dashboard/ (what `pnpm build` does after tsup): about a second. */
export async function buildDashboardAssets(): Promise<void> {
  const script = fileURLToPath(new URL('../../scripts/build-dashboard.mjs', import.meta.url));
  const { buildDashboard } = (await import(script)) as { buildDashboard: () => Promise<unknown> };
  await buildDashboard();
}
