import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { applyEntries, type Books } from '../domain/books.js';
import { createExchangeService } from '../index.js';
import { createExchangeStore } from '../store.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

const ADMIN = 'exchange-operator-key-for-tests';
const auth = { authorization: `Bearer ${ADMIN}` };
let t: TestApp;
let shops: FixtureShop[];
let base: string;
let closeFixture: () => Promise<void>;

beforeAll(async () => {
  const fixture = await createShopFixture(3);
  shops = fixture.shops;
  base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  closeFixture = () => fixture.app.close();
  t = await buildTestApp([createExchangeService({ timeoutMs: 1_000 })], { env: { EXCHANGE_ADMIN_KEY: ADMIN, EXCHANGE_TICK_SECONDS: '0' } });
});
afterAll(async () => {
  await t.close();
  await closeFixture();
});

const shopAt = (i: number) => {
  const s = shops[i];
  if (!s) throw new Error('no fixture shop');
  return s;
};
const register = (name: string, i: number, headers: Record<string, string> = auth) =>
  t.app.inject({
    method: 'POST',
    url: '/exchange/shops',
    headers,
    payload: { name, base_url: `${base}${shopAt(i).prefix}`, api_key: shopAt(i).apiKey },
  });

describe('exchange JSON API', () => {
  it('refuses writes without the operator key, with a 401 that says which key', async () => {
    const none = await register('nokey', 0, {});
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toContain('EXCHANGE_ADMIN_KEY');
    const wrong = await register('nokey', 0, { 'x-exchange-key': 'not-the-key' });
    expect(wrong.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', payload: { ticks: 1 } })).statusCode).toBe(401);
  });

  it('registers a shop (bearer or header key), never returning its API key, and rejects a taken name with 409', async () => {
    const res = await register('alpha', 0);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'alpha', gold: 100, net_worth: 100, potion_capacity: 1, ml_capacity: 1 });
    expect(res.body).not.toContain(shopAt(0).apiKey);
    const again = await register('alpha', 1, { 'x-exchange-key': ADMIN });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SHOP_NAME_TAKEN');
    const list = await t.app.inject({ method: 'GET', url: '/exchange/shops' });
    expect(list.json().map((s: { name: string }) => s.name)).toEqual(['alpha']);
    expect(list.body).not.toContain(shopAt(0).apiKey);
  });

  it('answers 400 for a base URL that is not http(s) and for bad ids, 404 for unknown shops', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/exchange/shops',
      headers: auth,
      payload: { base_url: 'ftp://x', api_key: 'k' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'POST', url: '/exchange/shops', headers: auth, payload: { base_url: 'not a url', api_key: 'k' } }))
        .statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/exchange/shops/abc' })).statusCode).toBe(400);
    const longUrl = `http://127.0.0.1:1/${'x'.repeat(120)}`;
    const long = await t.app.inject({
      method: 'POST',
      url: '/exchange/shops',
      headers: auth,
      payload: { base_url: longUrl, api_key: 'k' },
    });
    expect(long.statusCode).toBe(201);
    expect(long.json().name).toBe(longUrl.slice(0, 80));
    expect((await t.app.inject({ method: 'DELETE', url: `/exchange/shops/${long.json().id}`, headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/exchange/shops/9999' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/exchange/shops/9999', headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 0 } })).statusCode).toBe(
      400,
    );
    expect((await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 85 } })).statusCode).toBe(
      400,
    );
  });

  it('advances the clock: every shop is ticked, its books, history and job log grow, and the ledger sums to the books', async () => {
    expect((await register('beta', 1)).statusCode).toBe(201);
    const before = (await t.app.inject({ method: 'GET', url: '/exchange/clock' })).json();
    expect(before).toMatchObject({ tick: 0, day: 'Edgeday', hour: 0, running: false, seed: 1, cadence: 'seed' });
    const adv = await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 24 } });
    expect(adv.statusCode).toBe(200);
    expect(adv.json()).toEqual({ ticks_run: 24, tick: 24 });
    expect((await t.app.inject({ method: 'GET', url: '/exchange/clock' })).json()).toMatchObject({ tick: 24, day: 'Arcanaday', hour: 0 });
    const list = (await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as {
      id: number;
      gold: number;
      series: unknown[];
      errors: { total: number };
    }[];
    for (const shop of list) {
      expect(shop.series).toHaveLength(24);
      expect(shop.errors.total).toBe(0);
    }
    const beta = list[1];
    if (!beta) throw new Error('beta missing');
    expect(beta.gold).toBe(shopAt(1).state.gold);
    const history = await t.app.inject({ method: 'GET', url: `/exchange/shops/${beta.id}/history?limit=5` });
    expect(history.statusCode).toBe(200);
    expect(history.json().jobs).toHaveLength(5);
    expect(history.json().jobs[0]).toMatchObject({ ok: true, tick: 23 });
    await expectLedgerMatchesBooks(beta.id);
  }, 120_000);

  it('burns a shop to the ground: the shop is reset and its books start again at 100 gold, by correcting ledger entries', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as { id: number; name: string }[];
    const beta = list.find((s) => s.name === 'beta');
    if (!beta) throw new Error('beta missing');
    const res = await t.app.inject({ method: 'POST', url: `/exchange/shops/${beta.id}/reset`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ gold: 100, potions_sold: 0, series: [], errors: { total: 0 } });
    expect(res.json().stock.potions_total).toBe(0);
    expect(shopAt(1).state.gold).toBe(100);
    await expectLedgerMatchesBooks(beta.id);
    await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 12 } });
    const after = (await t.app.inject({ method: 'GET', url: `/exchange/shops/${beta.id}` })).json();
    expect(after.errors.total).toBe(0);
    expect(after.gold).toBe(shopAt(1).state.gold);
  }, 120_000);

  it('keeps the books when the shop cannot reset, answering 502 with the reason', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as { id: number; name: string; gold: number }[];
    const alpha = list.find((s) => s.name === 'alpha');
    if (!alpha) throw new Error('alpha missing');
    shopAt(0).faults.error500.add('admin/reset');
    const res = await t.app.inject({ method: 'POST', url: `/exchange/shops/${alpha.id}/reset`, headers: auth });
    shopAt(0).faults.error500.delete('admin/reset');
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toContain('answered 500');
    expect((await t.app.inject({ method: 'GET', url: `/exchange/shops/${alpha.id}` })).json().gold).toBe(alpha.gold);
  });

  it('keeps ticking the other shops while one is too slow, recording its timeout', async () => {
    expect((await register('slow', 2)).statusCode).toBe(201);
    shopAt(2).faults.delayMs.set('info/current_time', 1_500);
    const started = Date.now();
    const adv = await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 2 } });
    shopAt(2).faults.delayMs.delete('info/current_time');
    expect(adv.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(2 * 1_000 + 5_000);
    const list = (await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as {
      name: string;
      errors: { total: number; by_kind: Record<string, number> };
    }[];
    expect(list.find((s) => s.name === 'slow')?.errors.by_kind).toEqual({ 'time:timeout': 2 });
    expect(list.find((s) => s.name === 'beta')?.errors.total).toBe(0);
    const slow = list.find((s) => s.name === 'slow') as unknown as { id: number };
    expect((await t.app.inject({ method: 'DELETE', url: `/exchange/shops/${slow.id}`, headers: auth })).statusCode).toBe(204);
  }, 120_000);

  it('deletes a shop and its history', async () => {
    expect((await register('gamma', 2)).statusCode).toBe(201);
    const gamma = ((await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as { id: number; name: string }[]).find(
      (s) => s.name === 'gamma',
    );
    if (!gamma) throw new Error('gamma missing');
    expect((await t.app.inject({ method: 'DELETE', url: `/exchange/shops/${gamma.id}`, headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/exchange/shops/${gamma.id}` })).statusCode).toBe(404);
  });

  it('does not replay a tick for shops that finished it when a crash left the clock behind', async () => {
    const clock = (await t.app.inject({ method: 'GET', url: '/exchange/clock' })).json() as { tick: number };
    await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 1 } });
    // As if the process died after the shops saved the tick but before the clock moved on.
    await t.platform.db.execute(sql`update exchange.clock set tick = ${clock.tick}`);
    await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 1 } });
    const rows = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from exchange.job_log where job = 'time' and tick = ${clock.tick}`,
    );
    const shopCount = ((await t.app.inject({ method: 'GET', url: '/exchange/shops' })).json() as unknown[]).length;
    expect(rows[0]?.n).toBe(shopCount);
  }, 120_000);

  it('serves the dashboard and Chart.js locally (no CDN)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/exchange/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('/exchange/assets/chart.umd.js');
    expect(page.body).not.toMatch(/src="https?:/);
    const chart = await t.app.inject({ method: 'GET', url: '/exchange/assets/chart.umd.js' });
    expect(chart.statusCode).toBe(200);
    expect(chart.body).toContain('Chart');
    const data = await t.app.inject({ method: 'GET', url: '/exchange/dashboard.json' });
    expect(data.json().shops.length).toBeGreaterThan(0);
  });
});

async function expectLedgerMatchesBooks(shopId: number): Promise<void> {
  const store = createExchangeStore(t.platform.db);
  const rows = await store.ledgerOf(shopId);
  const zero: Books = { gold: 0, ml: [0, 0, 0, 0], potions: {}, potionCapacity: 0, mlCapacity: 0 };
  const summed = applyEntries(
    zero,
    rows.map((r) => ({
      kind: 'sale' as const,
      gold: r.gold,
      ml: [r.red, r.green, r.blue, r.dark],
      mix: r.mix,
      potions: r.potions,
      potionCapacity: r.potionCapacity,
      mlCapacity: r.mlCapacity,
    })),
  );
  const shop = await store.getShop(shopId);
  expect(summed).toEqual(shop?.state.books);
}
