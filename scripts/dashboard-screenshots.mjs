// Screenshots of the key service's dashboard for packages/server/README.md: `pnpm screenshots` builds the server
// package, starts it in memory with a few APIs, keys and verifications, and photographs the main pages in Debian's
// chromium (playwright-core; KEYGUARD_CHROMIUM names another). The PNGs go to packages/server/screenshots/.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createKeyServer } from '@keyguard/server';

const out = fileURLToPath(new URL('../packages/server/screenshots/', import.meta.url));
const rootKey = 'kg_screenshots_root_key_0123456789';

const server = createKeyServer({ rootKey });
server.bootstrap();
const { url } = await server.start();

async function call(operation, body) {
  const response = await fetch(`${url}/v2/${operation}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${operation}: ${answer.error?.detail}`);
  return answer.data;
}

/** A small workspace: two APIs, an identity with a shared limit, permissions and a role, keys of each kind. */
async function seed() {
  const { apiId } = await call('apis.createApi', { name: 'payments-api' });
  await call('apis.createApi', { name: 'search-api' });
  await call('identities.createIdentity', {
    externalId: 'acme-corp',
    meta: { plan: 'enterprise' },
    ratelimits: [{ name: 'org-requests', limit: 1000, duration: 60_000, autoApply: true }],
  });
  for (const slug of ['payments.read', 'payments.write', 'refunds.create'])
    await call('permissions.createPermission', { name: slug, slug });
  await call('permissions.createRole', { name: 'finance', permissions: ['payments.read', 'refunds.create'] });
  const keys = [
    {
      name: 'checkout service',
      prefix: 'pay',
      externalId: 'acme-corp',
      permissions: ['payments.read', 'payments.write'],
    },
    {
      name: 'reporting job',
      prefix: 'pay',
      roles: ['finance'],
      credits: { remaining: 500, refill: { interval: 'daily', amount: 500 } },
    },
    {
      name: 'mobile app',
      prefix: 'pay',
      ratelimits: [{ name: 'requests', limit: 5, duration: 60_000, autoApply: true }],
      meta: { platform: 'ios' },
    },
    { name: 'old partner key', prefix: 'pay', enabled: false },
    { name: 'trial key', prefix: 'pay', expires: Date.now() + 7 * 24 * 3600_000 },
  ];
  const created = [];
  for (const key of keys) created.push(await call('keys.createKey', { apiId, ...key }));
  return { apiId, created };
}

/** Eleven seconds of traffic, with each outcome: valid, rate limited, missing permission, disabled, unknown. */
async function traffic(created) {
  const [checkout, reporting, mobile, disabled] = created;
  for (let round = 0; round < 16; round++) {
    await call('keys.verifyKey', { key: checkout.key, permissions: 'payments.read' });
    if (round % 2 === 0) await call('keys.verifyKey', { key: mobile.key });
    if (round % 3 === 0) await call('keys.verifyKey', { key: reporting.key, permissions: 'payments.write' });
    if (round % 4 === 0) await call('keys.verifyKey', { key: disabled.key });
    if (round === 9) await call('keys.verifyKey', { key: 'pay_not_a_real_key_000000' });
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
}

mkdirSync(out, { recursive: true });
const { apiId, created } = await seed();
const browser = await chromium.launch({
  executablePath: process.env.KEYGUARD_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/dashboard/`);
  await page.getByLabel('Root key').fill(rootKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.feed-status.live').waitFor();
  await page.evaluate(() => (globalThis.location.hash = '#/live'));
  await traffic(created);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}live.png` });
  const shots = [
    ['apis', `#/apis/${apiId}`, 'table'],
    ['key', `#/keys/${created[2].keyId}`, 'tr[data-ratelimit]'],
    ['identities', '#/identities', 'table'],
    ['audit', '#/audit', 'table'],
  ];
  for (const [name, hash, ready] of shots) {
    await page.evaluate((target) => (globalThis.location.hash = target), hash);
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}${name}.png` });
  }
  // A key's verifications over the last hour and its latest ones, from the service's history.
  await page.evaluate((target) => (globalThis.location.hash = target), `#/keys/${created[0].keyId}`);
  await page.locator('ol.recent li').first().waitFor();
  await page
    .getByRole('heading', { name: 'Verifications over the last hour' })
    .evaluate((heading) => heading.scrollIntoView());
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}key-history.png` });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.screenshot({ path: `${out}sign-in.png` });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
