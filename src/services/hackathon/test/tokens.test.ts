import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createFakeClock } from '../../../platform/clock.js';
import { hackathonService } from '../index.js';
import { ADMIN_TOKEN, ERROR_KEYS, getUser, giveTokens, register } from './fixtures.js';

const clock = createFakeClock(Date.UTC(2026, 5, 1, 12));
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([hackathonService], {
    clock,
    env: { HACKATHON_ADMIN_TOKEN: ADMIN_TOKEN, HACKATHON_TOKENS_PER_ORDER: '5', HACKATHON_EXCHANGE_COOLDOWN_SECONDS: '5' },
  });
});
afterAll(async () => {
  await t.close();
});

const exchange = (a: number, b: number) =>
  t.app.inject({ method: 'PUT', url: '/hackathon/bbt_token_exchange', payload: { participant_1_id: a, participant_2_id: b } });

describe('GET /boba_info', () => {
  it('reports the statuses, the price and the cooldown from configuration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/hackathon/boba_info' });
    expect(res.json()).toEqual({
      boba_statuses: ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'],
      boba_tokens_per_order: 5,
      boba_tokens_cooldown: 5,
    });
  });
});

describe('PUT /bbt_token_admin_give', () => {
  it('refuses without the admin bearer token, or with a wrong one, before looking at the body', async () => {
    const id = await register(t.app);
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: ADMIN_TOKEN }]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/hackathon/bbt_token_admin_give',
        headers,
        payload: { participant_id: id, tokens: 5 },
      });
      expect(res.statusCode).toBe(401);
      expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    }
    const junk = await t.app.inject({ method: 'PUT', url: '/hackathon/bbt_token_admin_give', payload: { tokens: 'lots' } });
    expect(junk.statusCode).toBe(401);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(0);
  });

  it('adds and removes tokens but never below zero (409, balance unchanged)', async () => {
    const id = await register(t.app);
    const added = await giveTokens(t.app, id, 7);
    expect(added.statusCode).toBe(200);
    expect(added.json()[id].bbt_tokens).toBe(7);
    expect((await giveTokens(t.app, id, -3)).json()[id].bbt_tokens).toBe(4);
    const tooMuch = await giveTokens(t.app, id, -5);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().message).toMatch(/has 4 tokens/);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(4);
    expect((await giveTokens(t.app, id, -4)).json()[id].bbt_tokens).toBe(0);
  });

  it('answers 404 for an unknown participant and 400 for a non-integer grant', async () => {
    expect((await giveTokens(t.app, 999_999, 1)).statusCode).toBe(404);
    const id = await register(t.app);
    expect((await giveTokens(t.app, id, 1.5)).statusCode).toBe(400);
  });
});

describe('boba orders', () => {
  it('places an order with the defaults, charging the configured price', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 12);
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id } });
    expect(res.statusCode).toBe(201);
    const [orderId] = Object.keys(res.json());
    expect(res.json()[orderId as string]).toEqual({
      participant_id: id,
      size: 'Medium',
      flavour: 'HK Milk Tea',
      sweetness: '50% Sweet',
      ice: 'Regular Ice',
      toppings: 'None',
      status: 'Placed',
    });
    expect((await getUser(t.app, id)).bbt_tokens).toBe(7);
  });

  it('refuses an order the participant cannot pay for with 409 and charges nothing', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 4);
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id, flavour: 'Taro' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/has 4 boba tokens; an order costs 5/);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(4);
    expect((await t.app.inject({ method: 'GET', url: `/hackathon/boba?participant_id=${id}` })).json()).toEqual({});
  });

  it('answers 404 for an unknown participant and 400 for a wrong type', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: 999_999 } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: 'me' } })).statusCode).toBe(400);
  });

  it('walks the lifecycle, refusing skips and moves out of final states with 409', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 5);
    const placed = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id, size: 'Large' } });
    const orderId = Number(Object.keys(placed.json())[0]);
    const move = (status: string) => t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: orderId, status } });
    expect((await move('Delivered')).statusCode).toBe(409);
    expect((await move('In Progress')).json()[orderId].status).toBe('In Progress');
    expect((await move('Out for Delivery')).statusCode).toBe(200);
    const cancel = await move('Cancelled');
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().message).toMatch(/Out for Delivery.*Delivered/);
    expect((await move('Delivered')).statusCode).toBe(200);
    expect((await move('Placed')).statusCode).toBe(409);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(0);
  });

  it('refunds the tokens when an order is cancelled, once', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 5);
    const placed = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id } });
    const orderId = Number(Object.keys(placed.json())[0]);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(0);
    const cancel = () => t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: orderId, status: 'Cancelled' } });
    expect((await cancel()).statusCode).toBe(200);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(5);
    expect((await cancel()).statusCode).toBe(409);
    expect((await getUser(t.app, id)).bbt_tokens).toBe(5);
  });

  it('answers 400 for an unknown status and 404 for an unknown order', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: 1, status: 'Lost' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/Placed, In Progress/);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/boba?status=Lost' })).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: 999_999, status: 'Delivered' } })).statusCode,
    ).toBe(404);
  });

  it('lists orders keyed by id, filtered by participant and status', async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    await giveTokens(t.app, a, 10);
    await giveTokens(t.app, b, 5);
    const first = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: a } });
    await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: a } });
    await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: b } });
    const firstId = Number(Object.keys(first.json())[0]);
    await t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: firstId, status: 'In Progress' } });
    const mine = (await t.app.inject({ method: 'GET', url: `/hackathon/boba?participant_id=${a}` })).json();
    expect(Object.values(mine).map((o) => (o as { participant_id: number }).participant_id)).toEqual([a, a]);
    const inProgress = (await t.app.inject({ method: 'GET', url: `/hackathon/boba?participant_id=${a}&status=In%20Progress` })).json();
    expect(Object.keys(inProgress)).toEqual([String(firstId)]);
  });
});

describe('PUT /bbt_token_exchange', () => {
  it('gives both participants a token and returns both keyed by id', async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    const res = await exchange(a, b);
    expect(res.statusCode).toBe(200);
    expect(res.json()[a].bbt_tokens).toBe(1);
    expect(res.json()[b].bbt_tokens).toBe(1);
  });

  it('refuses either participant inside the cooldown with 429, Retry-After and the wait, then allows it after', async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    const c = await register(t.app);
    expect((await exchange(a, b)).statusCode).toBe(200);
    clock.advance(2_000);
    const refused = await exchange(c, b);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('3');
    expect(refused.json().message).toMatch(/participant \d+ must wait 3\.0 s/);
    expect((await getUser(t.app, c)).bbt_tokens).toBe(0);
    clock.advance(2_999);
    expect((await exchange(c, a)).statusCode).toBe(429);
    clock.advance(1);
    expect((await exchange(c, a)).statusCode).toBe(200);
    expect((await getUser(t.app, a)).bbt_tokens).toBe(2);
    expect((await getUser(t.app, b)).bbt_tokens).toBe(1);
    expect((await getUser(t.app, c)).bbt_tokens).toBe(1);
  });

  it('answers 400 for a self-exchange, 404 for an unknown participant, 400 for a missing id', async () => {
    const a = await register(t.app);
    const self = await exchange(a, a);
    expect(self.statusCode).toBe(400);
    expect(self.json().code).toBe('SELF_EXCHANGE');
    expect((await exchange(a, 999_999)).statusCode).toBe(404);
    expect((await getUser(t.app, a)).bbt_tokens).toBe(0);
    const missing = await t.app.inject({ method: 'PUT', url: '/hackathon/bbt_token_exchange', payload: { participant_1_id: a } });
    expect(missing.statusCode).toBe(400);
  });
});
