import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { pgErrorCode, queryRows } from '../../../platform/db.js';
import { shopService } from '../index.js';
import { barrel, client, ENV, oldShapeCustomer, warrior } from './fixtures.js';

let t: TestApp;
let call: ReturnType<typeof client>;
beforeAll(async () => {
  t = await buildTestApp([shopService], { env: ENV });
  call = client(t);
});
afterAll(async () => {
  await t.close();
});

const audit = async () => (await call('GET', '/inventory/audit')).body;
const RED = 'MIX_100_0_0_0';

describe('shop wire contract', () => {
  it('greets at GET / and lists an empty catalog without a key, with or without a trailing slash', async () => {
    expect(await call('GET', '/', undefined, null)).toMatchObject({ status: 200, body: { message: expect.any(String) } });
    expect(await call('GET', '/catalog/', undefined, null)).toMatchObject({ status: 200, body: [] });
    expect(await call('GET', '/catalog', undefined, null)).toMatchObject({ status: 200, body: [] });
  });

  it('starts with 100 gold, no liquid and no potions', async () => {
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 0, gold: 100 });
  });

  it('accepts an empty body sent as application/json on the plan and reset routes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/shop/bottler/plan',
      headers: { access_token: ENV.SHOP_API_KEY, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/shop/bottler/deliver/1',
      headers: { access_token: ENV.SHOP_API_KEY, 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('plans barrels from an offer with one-hot integer or fraction potion types', async () => {
    const offer = [barrel('SMALL_RED_BARREL', 500, [1, 0, 0, 0], 100, 5), barrel('SMALL_GREEN_BARREL', 500, [0, 1.0, 0, 0], 100, 5)];
    const res = await call('POST', '/barrels/plan', offer);
    expect(res).toMatchObject({ status: 200, body: [{ sku: 'SMALL_RED_BARREL', quantity: 1 }] });
  });

  it('refuses a barrel delivery it cannot afford or store, writing nothing', async () => {
    expect((await call('POST', '/barrels/deliver/1', [barrel('BIG', 500, [1, 0, 0, 0], 101)])).status).toBe(409);
    expect((await call('POST', '/barrels/deliver/1', [barrel('HUGE', 10_001, [1, 0, 0, 0], 0)])).status).toBe(409);
    expect((await call('POST', '/barrels/deliver/1', [barrel('ODD', 500, [0.5, 0.2, 0, 0], 1)])).status).toBe(400);
    expect(
      (await call('POST', '/barrels/deliver/1', [{ sku: 'X', ml_per_barrel: 0, potion_type: [1, 0, 0, 0], price: 1, quantity: 1 }])).status,
    ).toBe(400);
    expect((await call('POST', '/barrels/deliver/abc', [])).status).toBe(400);
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 0, gold: 100 });
  });

  it('takes a barrel delivery once: the same order id again changes nothing and answers 204', async () => {
    const delivery = [barrel('SMALL_RED_BARREL', 1_000, [1, 0, 0, 0], 60), barrel('MIXED', 150, [0.5, 0, 0, 0.5], 0)];
    expect((await call('POST', '/barrels/deliver/1', delivery)).status).toBe(204);
    expect((await call('POST', '/barrels/deliver/1', delivery)).status).toBe(204);
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 1_150, gold: 40 });
  });

  it('refuses bottling with a bad mix, short liquid or no room, writing nothing', async () => {
    expect((await call('POST', '/bottler/deliver/1', [{ potion_type: [50, 49, 0, 0], quantity: 1 }])).status).toBe(400);
    expect((await call('POST', '/bottler/deliver/1', [{ potion_type: [100, 0, 0, 0], quantity: 11 }])).status).toBe(409);
    expect((await call('POST', '/bottler/deliver/1', [{ potion_type: [100, 0, 0], quantity: 1 }])).status).toBe(400);
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 1_150, gold: 40 });
  });

  it('bottles once per order id, keyed apart from barrel order ids', async () => {
    const plan = await call('POST', '/bottler/plan');
    expect(plan.body).toEqual([{ potion_type: [100, 0, 0, 0], quantity: 10 }]);
    expect((await call('POST', '/bottler/deliver/1', plan.body)).status).toBe(204);
    expect((await call('POST', '/bottler/deliver/1', plan.body)).status).toBe(204);
    expect(await audit()).toEqual({ number_of_potions: 10, ml_in_barrels: 150, gold: 40 });
  });

  it('lists stock after the game time is posted, at the baseline price of 50', async () => {
    expect((await call('POST', '/info/current_time', { day: 'Blessedday', hour: 14 })).status).toBe(204);
    expect((await call('POST', '/info/current_time', { day: 'Edgeday', hour: 25 })).status).toBe(400);
    const catalog = await call('GET', '/catalog/', undefined, null);
    expect(catalog.body).toEqual([{ sku: RED, name: 'red potion', quantity: 10, price: 50, potion_type: [100, 0, 0, 0] }]);
  });

  it('records visits with the game time and the customer, accepting the older customer shape', async () => {
    expect((await call('POST', '/carts/visits/7', [warrior, oldShapeCustomer])).status).toBe(204);
    expect((await call('POST', '/carts/visits/7', [warrior, oldShapeCustomer])).status).toBe(204);
    expect((await call('POST', '/carts/visits/8', [{ ...warrior, level: 21 }])).status).toBe(400);
    const rows = await queryRows<{ n: number; day: string; hour: number; species: string | null }>(
      t.platform.db,
      sql`SELECT count(*)::int AS n, max(game_day) AS day, max(game_hour) AS hour, max(character_species) AS species FROM shop.visits`,
    );
    expect(rows[0]).toEqual({ n: 2, day: 'Blessedday', hour: 14, species: 'Jötnar' });
  });

  it('runs a cart: reserve at add, charge the listed price at checkout, answer a repeated checkout the same', async () => {
    const created = await call('POST', '/carts/', oldShapeCustomer);
    expect(created.status).toBe(200);
    const cartId = created.json<{ cart_id: number }>().cart_id;
    expect((await call('POST', `/carts/${cartId}/items/${RED}`, { quantity: 11 })).status).toBe(409);
    expect((await call('POST', `/carts/${cartId}/items/MIX_0_100_0_0`, { quantity: 1 })).status).toBe(404);
    expect((await call('POST', `/carts/${cartId}/items/bad-sku!`, { quantity: 1 })).status).toBe(400);
    expect((await call('POST', `/carts/${cartId}/items/${RED}`, { quantity: 0 })).status).toBe(400);
    expect((await call('POST', `/carts/999999/items/${RED}`, { quantity: 1 })).status).toBe(404);
    expect((await call('PUT', `/carts/${cartId}/items/${RED}`, { quantity: 4 })).status).toBe(204);
    expect((await call('POST', `/carts/${cartId}/items/${RED}`, { quantity: 2 })).status).toBe(204);
    // Two are reserved, eight are free to sell.
    expect((await call('GET', '/catalog', undefined, null)).json<{ quantity: number }[]>()[0]?.quantity).toBe(8);
    const first = await call('POST', `/carts/${cartId}/checkout`, { payment: 'gold coins' });
    expect(first).toMatchObject({ status: 200, body: { total_potions_bought: 2, total_gold_paid: 100 } });
    const again = await call('POST', `/carts/${cartId}/checkout`, { payment: 'gold coins' });
    expect(again.body).toEqual(first.body);
    expect(await audit()).toEqual({ number_of_potions: 8, ml_in_barrels: 150, gold: 140 });
    expect((await call('POST', `/carts/${cartId}/items/${RED}`, { quantity: 1 })).status).toBe(409);
    expect((await call('POST', '/carts/999999/checkout', {})).status).toBe(404);
    // An empty cart checked out without any body pays nothing.
    const empty = (await call('POST', '/carts', warrior)).json<{ cart_id: number }>().cart_id;
    const res = await t.app.inject({ method: 'POST', url: `/shop/carts/${empty}/checkout`, headers: { access_token: ENV.SHOP_API_KEY } });
    expect(res.json(), res.body).toEqual({ total_potions_bought: 0, total_gold_paid: 0 });
  });

  it('keeps the materialized balances equal to the ledger sums', async () => {
    const rows = await queryRows<{ gold: number; ml: number; potions: number }>(
      t.platform.db,
      sql`SELECT gold::int AS gold, (ml_red + ml_green + ml_blue + ml_dark)::int AS ml, potions FROM shop.state`,
    );
    const a = (await audit()) as { gold: number; ml_in_barrels: number; number_of_potions: number };
    expect(rows[0]).toEqual({ gold: a.gold, ml: a.ml_in_barrels, potions: a.number_of_potions });
    const stock = await queryRows<{ n: number }>(
      t.platform.db,
      sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM shop.potions p JOIN shop.state s ON s.epoch = p.epoch`,
    );
    expect(stock[0]?.n).toBe(a.number_of_potions);
  });

  it('refuses to edit or delete ledger entries, and refuses negative balances in the database itself', async () => {
    await expect(t.platform.db.execute(sql`UPDATE shop.ledger_entries SET delta = delta + 1`)).rejects.toThrow();
    await expect(t.platform.db.execute(sql`DELETE FROM shop.ledger_transactions`)).rejects.toThrow();
    // The kept balances change only with the entries that sum to them.
    for (const write of [sql`UPDATE shop.ledger_balances SET balance = balance + 1`, sql`DELETE FROM shop.ledger_balances`]) {
      const refused = await t.platform.db.execute(write).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(pgErrorCode(refused)).toBe('23001'); // restrict_violation, raised by the balances' guard
    }
    await expect(t.platform.db.execute(sql`UPDATE shop.state SET gold = -1`)).rejects.toThrow();
    await expect(t.platform.db.execute(sql`UPDATE shop.state SET ml_red = ml_red + 100000`)).rejects.toThrow();
    await expect(t.platform.db.execute(sql`UPDATE shop.potions SET reserved = quantity + 1`)).rejects.toThrow();
  });

  it('plans and takes capacity, refusing what it cannot afford or more than 10 units', async () => {
    expect(await call('POST', '/inventory/plan')).toMatchObject({ status: 200, body: { potion_capacity: 0, ml_capacity: 0 } });
    expect((await call('POST', '/inventory/deliver/1', { potion_capacity: 1, ml_capacity: 0 })).status).toBe(409);
    expect((await call('POST', '/inventory/deliver/1', { potion_capacity: 11, ml_capacity: 0 })).status).toBe(400);
    expect((await call('POST', '/inventory/deliver/1', { potion_capacity: 0, ml_capacity: 0 })).status).toBe(204);
    expect(await audit()).toEqual({ number_of_potions: 8, ml_in_barrels: 150, gold: 140 });
  });

  it('answers the audit on its alias too', async () => {
    expect((await call('GET', '/audit/inventory/')).body).toEqual(await audit());
  });

  it('searches sold line items with filters, sorting and opaque cursors', async () => {
    for (let i = 0; i < 5; i++) {
      const id = (await call('POST', '/carts', { ...warrior, customer_name: `Buyer ${i}` })).json<{ cart_id: number }>().cart_id;
      await call('POST', `/carts/${id}/items/${RED}`, { quantity: 1 });
      await call('POST', `/carts/${id}/checkout`, { payment: 'x' });
    }
    const page1 = await call('GET', '/carts/search/?sort_col=customer_name&sort_order=asc');
    const p1 = page1.json<{ previous: string; next: string; results: { customer_name: string; item_sku: string; timestamp: string }[] }>();
    expect(p1.results).toHaveLength(5);
    expect(p1.results[0]).toMatchObject({ customer_name: 'Buyer 0', item_sku: '1 red potion', line_item_total: 50 });
    expect(p1.previous).toBe('');
    expect(new Date(p1.results[0]?.timestamp ?? '').toISOString()).toBe(p1.results[0]?.timestamp);
    const p2 = (await call('GET', `/carts/search?sort_col=customer_name&sort_order=asc&search_page=${p1.next}`)).json<{
      previous: string;
      next: string;
      results: { customer_name: string }[];
    }>();
    expect(p2.results.map((r) => r.customer_name)).toEqual(['Old Tom']);
    expect(p2.next).toBe('');
    expect(p2.previous).not.toBe('');
    const filtered = (await call('GET', '/carts/search?customer_name=buyer%203&potion_sku=RED')).json<{ results: unknown[] }>();
    expect(filtered.results).toHaveLength(1);
    expect((await call('GET', '/carts/search?search_page=garbage')).status).toBe(400);
    expect((await call('GET', '/carts/search?sort_col=price')).status).toBe(400);
  });

  it('abandons open carts after a game day, releasing their reserved stock', async () => {
    const id = (await call('POST', '/carts', warrior)).json<{ cart_id: number }>().cart_id;
    expect((await call('POST', `/carts/${id}/items/${RED}`, { quantity: 1 })).status).toBe(204);
    const reserved = async () =>
      (await queryRows<{ n: number }>(t.platform.db, sql`SELECT sum(reserved)::int AS n FROM shop.potions`))[0]?.n;
    expect(await reserved()).toBe(1);
    for (let i = 0; i < 12; i++) await call('POST', '/info/current_time', { day: 'Soulday', hour: 2 * i });
    expect((await call('POST', `/carts/${id}/checkout`, {})).status).toBe(409);
    expect(await reserved()).toBe(0);
  });

  it('resets to 100 gold and capacity 1/1 with no stock or open carts, keeping history searchable', async () => {
    const id = (await call('POST', '/carts', warrior)).json<{ cart_id: number }>().cart_id;
    await call('POST', `/carts/${id}/items/${RED}`, { quantity: 1 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/shop/admin/reset',
      headers: { access_token: ENV.SHOP_API_KEY, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(204);
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 0, gold: 100 });
    expect((await call('GET', '/catalog', undefined, null)).body).toEqual([]);
    expect((await call('POST', `/carts/${id}/checkout`, {})).status).toBe(409);
    expect((await call('GET', '/carts/search')).json<{ results: unknown[] }>().results.length).toBeGreaterThan(0);
    // Order ids start over after a reset: order 1 is a new delivery in the new epoch.
    expect((await call('POST', '/barrels/deliver/1', [barrel('SMALL_RED_BARREL', 500, [1, 0, 0, 0], 60)])).status).toBe(204);
    expect(await audit()).toEqual({ number_of_potions: 0, ml_in_barrels: 500, gold: 40 });
  });

  it('refuses bottling beyond potion capacity', async () => {
    await call('POST', '/barrels/deliver/2', [barrel('FREE_GREEN', 9_000, [0, 1, 0, 0], 0)]);
    expect((await call('POST', '/bottler/deliver/5', [{ potion_type: [0, 100, 0, 0], quantity: 51 }])).status).toBe(409);
    expect((await call('POST', '/bottler/deliver/5', [{ potion_type: [0, 100, 0, 0], quantity: 50 }])).status).toBe(204);
  });
});

describe('shop access', () => {
  const protectedRoutes: [string, string, unknown][] = [
    ['POST', '/info/current_time', { day: 'Edgeday', hour: 0 }],
    ['POST', '/carts/visits/1', []],
    ['POST', '/carts', warrior],
    ['POST', '/carts/1/items/MIX_100_0_0_0', { quantity: 1 }],
    ['PUT', '/carts/1/items/MIX_100_0_0_0', { quantity: 1 }],
    ['POST', '/carts/1/checkout', { payment: '' }],
    ['POST', '/bottler/plan', undefined],
    ['POST', '/bottler/deliver/1', []],
    ['POST', '/barrels/plan', []],
    ['POST', '/barrels/deliver/1', []],
    ['POST', '/inventory/plan', undefined],
    ['POST', '/inventory/deliver/1', { potion_capacity: 0, ml_capacity: 0 }],
    ['GET', '/inventory/audit', undefined],
    ['GET', '/audit/inventory', undefined],
    ['POST', '/admin/reset', undefined],
    ['GET', '/carts/search', undefined],
  ];
  it.each(protectedRoutes)('answers 401 to %s %s without the key or with a wrong one', async (method, url, body) => {
    const m = method as 'GET' | 'POST' | 'PUT';
    expect((await call(m, url, body, null)).status).toBe(401);
    expect((await call(m, url, body, 'wrong-key')).status).toBe(401);
  });

  it('documents the access_token header as an API key scheme on protected routes only', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.shopAccessToken).toEqual({ type: 'apiKey', in: 'header', name: 'access_token' });
    expect(doc.paths['/shop/inventory/audit'].get.security).toEqual([{ shopAccessToken: [] }]);
    expect(doc.paths['/shop/catalog'].get.security).toBeUndefined();
  });

  it('allows cross-origin reads, the search with its key included', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/shop/carts/search/',
      headers: {
        origin: 'https://sim.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'access_token, x-forwarded-host',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    // Only the headers the shop reads: a page may not send X-Forwarded-Host (the write check uses it).
    expect(res.headers['access-control-allow-headers']).toBe('access_token, content-type');
    const get = await t.app.inject({ method: 'GET', url: '/shop/catalog/', headers: { origin: 'https://sim.example' } });
    expect(get.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses writes from a web page on another origin, and their preflights, even with the key', async () => {
    const refused = { statusCode: 403, error: 'Forbidden', code: 'CORS_READ_ONLY' };
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/shop/carts/1/checkout',
        headers: {
          origin: 'https://sim.example',
          'access-control-request-method': method,
          'access-control-request-headers': 'access_token',
        },
      });
      expect(preflight.json(), method).toMatchObject(refused);
      expect(preflight.headers['access-control-allow-origin'], method).toBeUndefined();
    }
    // A read's preflight may be reused for a POST, so the write itself is judged too.
    const key = { access_token: ENV.SHOP_API_KEY, 'content-type': 'application/json' };
    const reset = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/shop/admin/reset', headers: { ...key, ...headers } });
    const refusedFor = async (headers: Record<string, string>) => {
      const res = await reset(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toMatchObject(refused);
    };
    // Sec-Fetch-Site decides when a browser sends it, whatever the Origin says.
    await refusedFor({ origin: 'http://localhost', 'sec-fetch-site': 'cross-site' });
    await refusedFor({ origin: 'https://shop.example.com', 'sec-fetch-site': 'same-site' });
    expect((await reset({ origin: 'https://shop.example.com', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(204);
    // Without it, the Origin's host against the request's (inject sends Host: localhost:80).
    await refusedFor({ origin: 'https://sim.example' });
    await refusedFor({ origin: 'http://localhost:3000' });
    await refusedFor({ origin: 'null' });
    expect((await reset({ origin: 'http://localhost' })).statusCode).toBe(204);
    // Servers send no Origin.
    expect((await reset({})).statusCode).toBe(204);
  });
});
