import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeUnkey } from '../support/fake-unkey.js';
import { httpGet } from '../support/http-get.js';
import { bundleFor, describeBuilt, WORKERD_TARGET } from './support/edge-bundle.js';
import { startWorkerd, type RunningWorkerd } from './support/workerd.js';

// The Worker of packages/hono/README.md ("Cloudflare Workers"), as the README shows it, bundled from the built packages
// and run in workerd with its secrets as bindings, against the fake Unkey on loopback.

const README = new URL('../../packages/hono/README.md', import.meta.url);

/** The first TypeScript block after the README's "Cloudflare Workers" heading. */
function readmeWorker(): string {
  const section = readFileSync(README, 'utf8').split(/^## Cloudflare Workers$/m)[1];
  const worker = section && /```ts\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!worker?.includes('export default'))
    throw new Error('packages/hono/README.md has no Worker under "## Cloudflare Workers"');
  return worker;
}

describeBuilt("packages/hono/README.md's Worker on workerd", () => {
  let fake: FakeUnkey;
  let worker: RunningWorkerd;

  beforeAll(async () => {
    fake = await new FakeUnkey().start();
    const bundle = await bundleFor(
      { source: readmeWorker(), resolveDir: new URL('.', import.meta.url).pathname },
      WORKERD_TARGET,
    );
    expect(bundle.nodeImports).toEqual([]);
    worker = await startWorkerd({
      mainModule: bundle.code,
      bindings: { KEYGUARD_ROOT_KEY: fake.rootKey, KEYGUARD_BASE_URL: fake.url },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await fake?.stop();
  });

  it('answers 401 without a key, 200 with one, and the second request from its cache', async () => {
    fake.add('sk_workerd_readme_reader_1', { keyId: 'key_workerd_readme', permissions: [] });
    expect((await httpGet(`${worker.url}/api/me`)).status).toBe(401);
    for (let request = 0; request < 2; request++) {
      const answer = await httpGet(`${worker.url}/api/me`, { authorization: 'Bearer sk_workerd_readme_reader_1' });
      expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { id: 'key_workerd_readme' }]);
    }
    expect(fake.callsFor('sk_workerd_readme_reader_1')).toBe(1);
  });
});
