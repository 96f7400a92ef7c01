import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { createFakeClock } from '../../../platform/clock.js';
import { hackathonService } from '../index.js';
import { ADMIN_TOKEN, getUser, giveTokens, person, register } from './fixtures.js';

// PGlite runs one statement at a time, which would prove nothing: these need a real server.
describe.runIf(hasRealPostgres)('hackathon under concurrency (real PostgreSQL)', () => {
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

  const statuses = (responses: Array<{ statusCode: number }>) => {
    const counts: Record<number, number> = {};
    for (const r of responses) counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
    return counts;
  };

  it('lets exactly 3 of 200 concurrent boba orders through for a balance of 3 orders, leaving the exact rest', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 17);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id } })),
    );
    expect(statuses(responses)).toEqual({ 201: 3, 409: 197 });
    expect((await getUser(t.app, id)).bbt_tokens).toBe(2);
    const orders = (await t.app.inject({ method: 'GET', url: `/hackathon/boba?participant_id=${id}` })).json();
    expect(Object.keys(orders)).toHaveLength(3);
  });

  it('refunds a cancelled order exactly once under 30 concurrent cancellations', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 5);
    const placed = await t.app.inject({ method: 'POST', url: '/hackathon/boba', payload: { participant_id: id } });
    const orderId = Number(Object.keys(placed.json())[0]);
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.app.inject({ method: 'PUT', url: '/hackathon/boba', payload: { order_id: orderId, status: 'Cancelled' } }),
      ),
    );
    expect(statuses(responses)).toEqual({ 200: 1, 409: 29 });
    expect((await getUser(t.app, id)).bbt_tokens).toBe(5);
  });

  it('lets one participant exchange exactly once per cooldown under 40 concurrent exchanges with different partners', async () => {
    const hub = await register(t.app);
    const partners = await Promise.all(Array.from({ length: 40 }, () => register(t.app)));
    const exchange = (a: number, b: number) =>
      t.app.inject({ method: 'PUT', url: '/hackathon/bbt_token_exchange', payload: { participant_1_id: a, participant_2_id: b } });
    const responses = await Promise.all(partners.map((p, i) => (i % 2 === 0 ? exchange(hub, p) : exchange(p, hub))));
    expect(statuses(responses)).toEqual({ 200: 1, 429: 39 });
    expect((await getUser(t.app, hub)).bbt_tokens).toBe(1);
    const partnerTokens = await Promise.all(partners.map(async (p) => (await getUser(t.app, p)).bbt_tokens as number));
    expect(partnerTokens.reduce((a, b) => a + b, 0)).toBe(1);

    // Crossing pairs (a,b) and (b,a) at once: no deadlock, one winner.
    const [x, y] = [partners[10], partners[11]] as [number, number];
    clock.advance(5_000);
    const crossing = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? exchange(x, y) : exchange(y, x))));
    expect(statuses(crossing)).toEqual({ 200: 1, 429: 19 });
  });

  it('lets distinct pairs exchange concurrently without refusing any', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, () => register(t.app)));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'PUT',
          url: '/hackathon/bbt_token_exchange',
          payload: { participant_1_id: ids[2 * i], participant_2_id: ids[2 * i + 1] },
        }),
      ),
    );
    expect(statuses(responses)).toEqual({ 200: 20 });
  });

  it('checks a participant in exactly once under 50 concurrent check-ins', async () => {
    const id = await register(t.app);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: id, volunteer_id: i + 1 } }),
      ),
    );
    expect(statuses(responses)).toEqual({ 201: 1, 409: 49 });
  });

  it('never takes a balance below zero under 30 concurrent admin removals', async () => {
    const id = await register(t.app);
    await giveTokens(t.app, id, 10);
    const responses = await Promise.all(Array.from({ length: 30 }, () => giveTokens(t.app, id, -1)));
    expect(statuses(responses)).toEqual({ 200: 10, 409: 20 });
    expect((await getUser(t.app, id)).bbt_tokens).toBe(0);
  });

  it('lends an item to exactly one of 30 concurrent borrowers and registers an email exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => register(t.app)));
    const lends = await Promise.all(
      ids.map((id) =>
        t.app.inject({ method: 'POST', url: '/hackathon/hardware/signout', payload: { participant_id: id, item: 'VR headset' } }),
      ),
    );
    expect(statuses(lends)).toEqual({ 201: 1, 409: 29 });
    const body = person({ email: 'race@example.com' });
    const regs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/hackathon/register',
          payload: { ...body, email: i % 2 ? 'RACE@example.com' : 'race@example.com' },
        }),
      ),
    );
    expect(statuses(regs)).toEqual({ 201: 1, 409: 19 });
  });
});

// Exchanges in flight together share one transaction (use-cases/exchange-batcher.ts); without a
// cooldown every one of them must still count exactly once.
describe.runIf(hasRealPostgres)('hackathon token exchanges without a cooldown (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([hackathonService], { env: { HACKATHON_ADMIN_TOKEN: ADMIN_TOKEN, HACKATHON_EXCHANGE_COOLDOWN_SECONDS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('credits every one of 60 concurrent exchanges over overlapping pairs exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => register(t.app)));
    const pairs = Array.from({ length: 60 }, (_, i) => [ids[i % 6], ids[(i * 5 + 1) % 6]] as [number, number]).filter(([a, b]) => a !== b);
    const responses = await Promise.all(
      pairs.map(([a, b]) =>
        t.app.inject({ method: 'PUT', url: '/hackathon/bbt_token_exchange', payload: { participant_1_id: a, participant_2_id: b } }),
      ),
    );
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([]);
    for (const id of ids) {
      const expected = pairs.filter(([a, b]) => a === id || b === id).length;
      expect((await getUser(t.app, id)).bbt_tokens).toBe(expected);
    }
  });
});
