import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { raffleService } from '../index.js';
import { claim, claimAll, createRaffle, MANAGER, playerIp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([raffleService]);
});
afterAll(async () => {
  await t.close();
});

const raffleCount = async () => (await queryRows<{ n: number }>(t.platform.db, 'SELECT count(*)::int AS n FROM raffle.raffles'))[0]?.n;

describe('POST /raffles', () => {
  it('creates a raffle for a manager', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/raffle/raffles',
      remoteAddress: MANAGER,
      payload: { name: ' Spring fair ', total_tickets: 100, prizes: [{ name: 'Bike', amount: 2 }] },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'Spring fair',
      total_tickets: 100,
      available_tickets: 100,
      winners_drawn: false,
      prizes: [{ name: 'Bike', amount: 2 }],
    });
    expect(body.raffle_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(body.created_at))).toBe(false);
    expect(Object.keys(body).sort()).toEqual([
      'available_tickets',
      'created_at',
      'name',
      'prizes',
      'raffle_id',
      'total_tickets',
      'winners_drawn',
    ]);
  });

  it('returns 403 to a non-manager, before looking at the body, and writes nothing', async () => {
    const before = await raffleCount();
    const res = await t.app.inject({ method: 'POST', url: '/raffle/raffles', remoteAddress: '203.0.113.5', payload: { name: '' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('NOT_A_MANAGER');
    expect(await raffleCount()).toBe(before);
  });

  it.each([
    ['an empty name', { name: '', total_tickets: 5, prizes: [{ name: 'a', amount: 1 }] }, 'body/name'],
    ['a blank name', { name: '   ', total_tickets: 5, prizes: [{ name: 'a', amount: 1 }] }, 'body/name must not be blank'],
    ['zero tickets', { name: 'x', total_tickets: 0, prizes: [{ name: 'a', amount: 1 }] }, 'body/total_tickets'],
    ['negative tickets', { name: 'x', total_tickets: -3, prizes: [{ name: 'a', amount: 1 }] }, 'body/total_tickets'],
    ['fractional tickets', { name: 'x', total_tickets: 2.5, prizes: [{ name: 'a', amount: 1 }] }, 'body/total_tickets'],
    ['tickets as a string', { name: 'x', total_tickets: '5', prizes: [{ name: 'a', amount: 1 }] }, 'body/total_tickets must be integer'],
    ['a name as a number', { name: 5, total_tickets: 5, prizes: [{ name: 'a', amount: 1 }] }, 'body/name must be string'],
    ['no prizes', { name: 'x', total_tickets: 5, prizes: [] }, 'body/prizes'],
    ['a missing prize list', { name: 'x', total_tickets: 5 }, 'prizes'],
    ['a zero prize amount', { name: 'x', total_tickets: 5, prizes: [{ name: 'a', amount: 0 }] }, 'body/prizes/0/amount'],
    ['an empty prize name', { name: 'x', total_tickets: 5, prizes: [{ name: '', amount: 1 }] }, 'body/prizes/0/name'],
    ['prizes as an object', { name: 'x', total_tickets: 5, prizes: { name: 'a', amount: 1 } }, 'body/prizes'],
    [
      'more prizes than tickets',
      {
        name: 'x',
        total_tickets: 3,
        prizes: [
          { name: 'a', amount: 2 },
          { name: 'b', amount: 2 },
        ],
      },
      '4 winning tickets',
    ],
  ])('returns 400 for %s, writing nothing', async (_what, payload, message) => {
    const before = await raffleCount();
    const res = await t.app.inject({ method: 'POST', url: '/raffle/raffles', remoteAddress: MANAGER, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
    expect(await raffleCount()).toBe(before);
  });

  it('returns 400 for a body that is not JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/raffle/raffles',
      remoteAddress: MANAGER,
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
  });

  it('returns 400 when the prize units exceed what one draw handles', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/raffle/raffles',
      remoteAddress: MANAGER,
      payload: {
        name: 'x',
        total_tickets: 5_000_000,
        prizes: [
          { name: 'a', amount: 1_000_000 },
          { name: 'b', amount: 1 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('at most 1000000');
  });

  it('accepts prizes that exactly match the tickets', async () => {
    const r = await createRaffle(t.app, 3, [{ name: 'a', amount: 3 }]);
    expect(r.total_tickets).toBe(3);
  });
});

describe('GET /raffles and /raffles/{id}', () => {
  it('pages newest first with an opaque cursor, every raffle once', async () => {
    for (let i = 0; i < 5; i++) await createRaffle(t.app, 10, undefined, `paged ${i}`);
    const seen: string[] = [];
    const createdAt: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/raffle/raffles?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { raffle_id: string; created_at: string }[]; next_cursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const r of body.items) {
        seen.push(r.raffle_id);
        createdAt.push(Date.parse(r.created_at));
      }
      cursor = body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await raffleCount());
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  it('returns 400 for a bad cursor or limit', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/raffle/raffles?cursor=garbage' })).json().code).toBe('BAD_CURSOR');
    for (const forged of ['1|------------------------------------', `${9e15}|00000000-0000-4000-8000-000000000000`, '-1|x']) {
      const cursor = Buffer.from(forged).toString('base64url');
      expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles?cursor=${cursor}` })).statusCode).toBe(400);
    }
    expect((await t.app.inject({ method: 'GET', url: '/raffle/raffles?limit=0' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/raffle/raffles?limit=101' })).statusCode).toBe(400);
  });

  it('returns one raffle, 404 for an unknown id and 400 for a malformed one', async () => {
    const r = await createRaffle(t.app, 7);
    const res = await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ raffle_id: r.raffle_id, total_tickets: 7, available_tickets: 7 });
    const missing = await t.app.inject({ method: 'GET', url: '/raffle/raffles/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('RAFFLE_NOT_FOUND');
    const bad = await t.app.inject({ method: 'GET', url: '/raffle/raffles/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('raffle_id');
  });
});

describe('POST /raffles/{id}/participate', () => {
  it('hands out every ticket 1..N once, with a code, then 410', async () => {
    const r = await createRaffle(t.app, 20);
    const codes = await claimAll(t.app, r.raffle_id, 20, 1000);
    expect([...codes.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const code of codes.values()) expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const after = await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` });
    expect(after.json().available_tickets).toBe(0);
    const gone = await claim(t.app, r.raffle_id, playerIp(5000));
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('SOLD_OUT');
  });

  it('returns 403 to an address that already holds a ticket, also when sold out, without using a ticket', async () => {
    const r = await createRaffle(t.app, 2);
    expect((await claim(t.app, r.raffle_id, '198.51.100.1')).statusCode).toBe(201);
    const again = await claim(t.app, r.raffle_id, '198.51.100.1');
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('ALREADY_PARTICIPATING');
    // The IPv4-mapped form is the same client.
    expect((await claim(t.app, r.raffle_id, '::ffff:198.51.100.1')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` })).json().available_tickets).toBe(1);
    expect((await claim(t.app, r.raffle_id, '198.51.100.2')).statusCode).toBe(201);
    expect((await claim(t.app, r.raffle_id, '198.51.100.1')).statusCode).toBe(403);
    expect((await claim(t.app, r.raffle_id, '198.51.100.3')).statusCode).toBe(410);
  });

  it('counts an IPv6 /64 as one client', async () => {
    const r = await createRaffle(t.app, 5);
    expect((await claim(t.app, r.raffle_id, '2001:db8:5:6::1')).statusCode).toBe(201);
    expect((await claim(t.app, r.raffle_id, '2001:db8:5:6::2')).statusCode).toBe(403);
    expect((await claim(t.app, r.raffle_id, '2001:db8:5:7::1')).statusCode).toBe(201);
  });

  it('returns 404 for an unknown raffle and 400 for a malformed id', async () => {
    expect((await claim(t.app, '00000000-0000-4000-8000-000000000000', '198.51.100.9')).statusCode).toBe(404);
    expect((await claim(t.app, '1234', '198.51.100.9')).statusCode).toBe(400);
  });
});

describe('demo data', () => {
  let fresh: TestApp;
  beforeAll(async () => {
    fresh = await buildTestApp([raffleService]);
  });
  afterAll(async () => {
    await fresh.close();
  });

  it('seeds one demo raffle into an empty service, and nothing when raffles exist', async () => {
    await raffleService.seedDemo?.(fresh.platform);
    await raffleService.seedDemo?.(fresh.platform);
    const list = (await fresh.app.inject({ method: 'GET', url: '/raffle/raffles' })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ name: 'Demo raffle', total_tickets: 100, available_tickets: 100 });
  });
});

describe('API documentation', () => {
  it('publishes every raffle route with its responses', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(
      Object.keys(doc.paths)
        .filter((p: string) => p.startsWith('/raffle/'))
        .sort(),
    ).toEqual([
      '/raffle/raffles',
      '/raffle/raffles/{raffle_id}',
      '/raffle/raffles/{raffle_id}/participate',
      '/raffle/raffles/{raffle_id}/verify-ticket',
      '/raffle/raffles/{raffle_id}/winners',
    ]);
    expect(Object.keys(doc.paths['/raffle/raffles/{raffle_id}/participate'].post.responses).sort()).toEqual([
      '201',
      '400',
      '403',
      '404',
      '410',
    ]);
    expect(doc.components.schemas.Raffle).toBeDefined();
  });
});
