import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { keyguard } from '@keyguard/express';
import { unkey } from '@keyguard/unkey';
import { registerSecret } from '../../../../test/support/secrets.js';
import { startHarness, type Harness } from '../helpers.js';
import { buildDashboardAssets, CHROMIUM, describeInBrowser } from './support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** An Express app guarded by keyguard, verifying against the key service with no cache: each request is a verification. */
async function startApp(url: string, rootKey: string): Promise<{ url: string; server: Server }> {
  const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url, checkRootKey: false }), cache: false });
  const app = express();
  app.get('/hello', keyguard({ verifier }), (_request, response) => {
    response.json({ ok: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Serious or critical accessibility violations axe-core finds on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map(({ id, impact, nodes }) => ({ id, impact, count: nodes.length }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.count})`);
}

describeInBrowser('the dashboard in chromium', () => {
  let harness: Harness;
  let app: { url: string; server: Server };
  let browser: Browser;
  let page: Page;
  const consoleLines: string[] = [];
  const urls: string[] = [];
  let key = '';
  let keyId = '';
  let apiId = '';

  const hello = (withKey: string) => fetch(`${app.url}/hello`, { headers: { authorization: `Bearer ${withKey}` } });

  beforeAll(async () => {
    await buildDashboardAssets();
    harness = await startHarness();
    app = await startApp(harness.url, harness.rootKey);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.setDefaultTimeout(8_000);
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(String(error)));
    page.on('framenavigated', (frame) => urls.push(frame.url()));
    page.on('request', (request) => urls.push(request.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.server.close(resolve));
    await harness?.stop();
  });

  it('signs in with a root key and lists the APIs', async () => {
    await page.goto(`${harness.url}/dashboard/`);
    await page.getByLabel('Root key').fill(harness.rootKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'APIs' }).waitFor();
    await expect.poll(() => page.locator('.feed-status').textContent(), { timeout: 8_000 }).toBe('live feed: live');
  });

  it('creates an API and a key with a rate limit; the key is shown once', async () => {
    await page.getByLabel('New API name').fill('browser-api');
    await page.getByRole('button', { name: 'Create API' }).click();
    await page.getByRole('link', { name: 'browser-api' }).click();
    await page.getByText('Create a key').waitFor();
    apiId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await page.getByText('Create a key').click();
    await page.getByLabel('Name', { exact: true }).fill('browser key');
    await page.getByLabel('Rate limit: requests').fill('2');
    await page.getByLabel('per (ms)').fill('60000');
    await page.getByRole('button', { name: 'Create key' }).click();
    key = (await page.getByTestId('new-key').textContent()) ?? '';
    registerSecret(key);
    expect(key.length).toBeGreaterThan(16);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'browser key' }).click();
    keyId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    expect(keyId).toMatch(/^key_/);
  });

  it('shows a verification made through @keyguard/express live, then the rate limit it hits', async () => {
    await page.getByRole('link', { name: 'Live verifications' }).click();
    expect((await hello(key)).status).toBe(200);
    const rows = page.locator('table.feed tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(keyId);
    expect((await hello(key)).status).toBe(200);
    expect((await hello(key)).status).toBe(429);
    await page.locator('tr[data-code="RATE_LIMITED"]').waitFor();
    expect(await page.locator('tr[data-code="RATE_LIMITED"]').textContent()).toContain('rate limit: requests');
    await page.locator('tr[data-code="RATE_LIMITED"] a', { hasText: keyId }).click();
    const limit = page.locator('tr[data-ratelimit="requests"]');
    await limit.waitFor();
    expect(await limit.locator('td').nth(2).textContent()).toBe('0');
  });

  it('deletes the key; the next request is denied and shows as NOT_FOUND', async () => {
    await page.getByRole('button', { name: 'Delete key' }).click();
    await page.getByRole('button', { name: 'Really delete' }).click();
    await page.getByText('The key was deleted').waitFor();
    expect((await hello(key)).status).toBe(401);
    await page.getByRole('link', { name: 'Live verifications' }).click();
    await page.locator('tr[data-code="NOT_FOUND"]').waitFor();
  });

  it('rerolls a key: the new key is shown once, and the old one works through its grace period', async () => {
    const old = await harness.createKey(apiId, { name: 'to reroll' });
    registerSecret(old.key);
    await page.evaluate((hash) => (location.hash = hash), `#/keys/${old.keyId}`);
    await page.getByLabel('Reroll: old key valid for (minutes)').fill('5');
    await page.getByRole('button', { name: 'Reroll key' }).click();
    const rerolled = (await page.getByTestId('new-key').textContent()) ?? '';
    registerSecret(rerolled);
    expect(rerolled).not.toBe(old.key);
    expect((await hello(rerolled)).status).toBe(200);
    expect((await hello(old.key)).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-key').count()).toBe(0);
  });

  it("updates a key's credits and meta; meta that is not JSON is refused on the page", async () => {
    await page.getByText('Update expiry, credits or meta').click();
    await page.getByLabel('Credits left').fill('5');
    await page.getByLabel('Meta (JSON)').fill('{"plan":');
    await page.getByRole('button', { name: 'Update key' }).click();
    await page.getByText('Meta is not JSON').waitFor();
    expect(await page.getByLabel('Credits left').inputValue()).toBe('5');
    await page.getByLabel('Meta (JSON)').fill('{"plan":"pro"}');
    await page.getByRole('button', { name: 'Update key' }).click();
    await page.locator('pre', { hasText: '"plan": "pro"' }).waitFor();
    expect(await page.locator('.facts div', { hasText: 'Credits' }).locator('dd').textContent()).toBe('5');
  });

  it('shows the audit log: the API and key made from the dashboard, and the deletion, by the root key', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    const text = (await rows.allTextContents()).join('\n');
    for (const action of ['api.create', 'key.create', 'key.delete', 'key.reroll', 'key.update'])
      expect(text).toContain(action);
    expect(text).not.toContain(key);
  });

  it("lists a key's verifications made before its page opened, counts them in the key's and API's charts, and on the live page", async () => {
    const earlier = await harness.createKey(apiId, { name: 'verified earlier' });
    registerSecret(earlier.key);
    expect((await hello(earlier.key)).status).toBe(200);
    expect((await hello(earlier.key)).status).toBe(200);
    const fresh = await browser.newPage();
    fresh.setDefaultTimeout(8_000);
    fresh.on('request', (request) => urls.push(request.url()));
    try {
      await fresh.goto(`${harness.url}/dashboard/`);
      await fresh.getByLabel('Root key').fill(harness.rootKey);
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      await fresh.getByRole('heading', { name: 'APIs' }).waitFor();
      await fresh.evaluate((hash) => (location.hash = hash), `#/keys/${earlier.keyId}`);
      const listed = fresh.locator('ol.recent li[data-code="VALID"]');
      await expect.poll(() => listed.count()).toBe(2);
      const chart = () => fresh.locator('figure.chart svg').getAttribute('aria-label');
      await expect.poll(chart).toBe('Verifications over the last 1 h: 2 VALID');
      // Live from here on: one more verification joins the list and the chart, counted once.
      expect((await hello(earlier.key)).status).toBe(200);
      await expect.poll(() => listed.count()).toBe(3);
      await expect.poll(chart).toBe('Verifications over the last 1 h: 3 VALID');
      await fresh.evaluate((hash) => (location.hash = hash), `#/apis/${apiId}`);
      await expect.poll(chart).toMatch(/: (\d+ VALID)/);
      const valid = Number(/(\d+) VALID/.exec((await chart()) ?? '')![1]);
      expect(valid).toBeGreaterThanOrEqual(3);
      await fresh.getByRole('link', { name: 'Live verifications' }).click();
      const rows = fresh.locator('table.feed tbody tr', { hasText: earlier.keyId });
      await expect.poll(() => rows.count()).toBe(3);
    } finally {
      await fresh.close();
    }
  });

  it('has no serious or critical accessibility violations (axe-core) on its main pages', async () => {
    const found: Record<string, string[]> = {};
    const fresh = await harness.createKey(apiId, {
      name: 'for axe',
      meta: { plan: 'pro' },
      ratelimits: [{ name: 'requests', limit: 10, duration: 60_000, autoApply: true }],
    });
    registerSecret(fresh.key);
    const sections = [
      'live',
      'apis',
      `apis/${apiId}`,
      'identities',
      'permissions',
      'ratelimits',
      'audit',
      `keys/${fresh.keyId}`,
    ];
    for (const section of sections) {
      await page.evaluate((hash) => (location.hash = hash), `#/${section}`);
      await page.locator('h1').first().waitFor();
      if (section.startsWith('apis/')) await page.getByText('Create a key').click();
      found[section] = await axeViolations(page);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Root key').waitFor();
    found['sign-in'] = await axeViolations(page);
    expect(Object.values(found).flat()).toEqual([]);
    expect(Object.keys(found)).toHaveLength(sections.length + 1);
  });

  it('a root key limited to one API sees only that API', async () => {
    const first = await harness.createApi('only-this-one');
    await harness.createApi('not-this-one');
    const scoped = harness.server.createRootKey([`api.${first}.read_api`, `api.${first}.read_key`]);
    registerSecret(scoped);
    await page.getByLabel('Root key').fill(scoped);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('link', { name: 'only-this-one' }).waitFor();
    expect(await page.getByRole('link', { name: 'not-this-one' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'browser-api' }).count()).toBe(0);
  });

  it('never puts a key in a URL, in storage, in a cookie or on the console', async () => {
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    const cookies = JSON.stringify(await page.context().cookies());
    const secrets = [harness.rootKey, key];
    for (const text of [...urls, storage, cookies, ...consoleLines, page.url()])
      for (const secret of secrets) expect(text.includes(secret), 'a key in a URL, storage or the console').toBe(false);
    expect(consoleLines.filter((line) => /Content Security Policy|Refused to/.test(line))).toEqual([]);
  });
});
