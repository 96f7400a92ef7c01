import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { shopService } from '../../shop/index.js';
import { TICKS_PER_WEEK } from '../domain/model/index.js';
import { createExchangeService } from '../index.js';

// A test may import our shop; the exchange's own code never does (it speaks HTTP to any shop).
const ADMIN = 'exchange-operator-key-for-tests';
const SHOP_KEY = 'our-shop-api-key-for-tests-0123';
const auth = { authorization: `Bearer ${ADMIN}` };

describe('a full game week against our shop, in-process over real HTTP', () => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await buildTestApp([shopService, createExchangeService()], {
      env: { EXCHANGE_ADMIN_KEY: ADMIN, SHOP_API_KEY: SHOP_KEY, EXCHANGE_TICK_SECONDS: '0' },
    });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('plays 84 ticks without a single job error; the shop’s audits agree with the books and it earns gold', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/exchange/shops',
      headers: auth,
      payload: { name: 'ours', base_url: `${url}/shop`, api_key: SHOP_KEY },
    });
    expect(reg.statusCode).toBe(201);
    const id = reg.json().id as number;
    const reset = await t.app.inject({ method: 'POST', url: `/exchange/shops/${id}/reset`, headers: auth });
    expect(reset.statusCode).toBe(200);
    for (let done = 0; done < TICKS_PER_WEEK; done += 21) {
      const res = await t.app.inject({ method: 'POST', url: '/exchange/clock/advance', headers: auth, payload: { ticks: 21 } });
      expect(res.statusCode).toBe(200);
    }
    const shop = (await t.app.inject({ method: 'GET', url: `/exchange/shops/${id}` })).json();
    expect(shop.latest_errors).toEqual([]);
    expect(shop.errors).toEqual({ total: 0, by_kind: {} });
    expect(shop.series).toHaveLength(TICKS_PER_WEEK);
    expect(shop.potions_sold).toBeGreaterThan(0);
    expect(shop.net_worth).toBeGreaterThan(100);
    const history = (await t.app.inject({ method: 'GET', url: `/exchange/shops/${id}/history?limit=1000` })).json();
    const audits = history.jobs.filter((j: { job: string }) => j.job === 'audit');
    expect(audits).toHaveLength(7);
    expect(audits.every((j: { ok: boolean }) => j.ok)).toBe(true);
    const audit = await t.app.inject({ method: 'GET', url: '/shop/inventory/audit', headers: { access_token: SHOP_KEY } });
    expect(audit.json().gold).toBe(shop.gold);
  }, 180_000);
});
