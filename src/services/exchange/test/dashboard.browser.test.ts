import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../../../test/browser.js';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createExchangeService } from '../index.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

const ADMIN = 'exchange-operator-key-for-tests';
// The committed screenshot is refreshed on demand only (UPDATE_SCREENSHOTS=1), so test runs leave the tree clean.
const DOCS = fileURLToPath(new URL('../../../../docs/', import.meta.url));
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS
  ? join(DOCS, 'exchange-dashboard.png')
  : join(tmpdir(), `exchange-dashboard-${process.pid}.png`);

describe.runIf(existsSync(CHROMIUM))('dashboard in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let shops: FixtureShop[];
  let url: string;
  let closeFixture: () => Promise<void>;

  beforeAll(async () => {
    const fixture = await createShopFixture(2);
    shops = fixture.shops;
    const base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
    closeFixture = () => fixture.app.close();
    t = await buildTestApp([createExchangeService({ timeoutMs: 2_000 })], {
      env: { EXCHANGE_ADMIN_KEY: ADMIN, EXCHANGE_TICK_SECONDS: '0' },
    });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const auth = { authorization: `Bearer ${ADMIN}` };
    for (const [i, shop] of shops.entries()) {
      const name = i === 0 ? 'Baseline at 50 gold' : 'Baseline at 50 gold (second)';
      await t.app.inject({
        method: 'POST',
        url: '/exchange/shops',
        headers: auth,
        payload: { name, base_url: `${base}${shop.prefix}`, api_key: shop.apiKey },
      });
    }
    await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 60 } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await closeFixture?.();
  });

  it('loads without console errors, draws the charts, and burns a shop to the ground', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(url)) problems.push(`off-site request ${r.url()}`);
    });
    await page.goto(`${url}/exchange/`);
    await page.waitForSelector('body[data-ready="true"]');
    // Evaluated in the page (this project compiles without DOM types, hence the string).
    const charts = (await page.evaluate(`Array.from(document.querySelectorAll('canvas')).map((c) => {
      const chart = window.Chart.getChart(c);
      return { drawn: c.width > 0 && c.height > 0, points: chart ? chart.data.datasets[0].data.length : 0 };
    })`)) as { drawn: boolean; points: number }[];
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.drawn).toBe(true);
      expect(c.points).toBeGreaterThan(0);
    }
    const first = page.locator('section.shop').first();
    expect(await first.locator('.reputation tr').count()).toBe(9);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);

    expect(Number(await first.locator('b.gold').textContent())).not.toBe(100);
    await page.fill('#operator-key', ADMIN);
    page.on('dialog', (d) => void d.accept());
    await first.locator('button.burn').click();
    // Polled through locators: waitForFunction compiles its predicate in the page, which the CSP forbids.
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toContain('burnt to the ground');
    await expect.poll(() => first.locator('b.gold').textContent(), { timeout: 15_000 }).toBe('100');
    expect(shops[0]?.state.gold).toBe(100);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
