import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { hashSecret } from '../../../platform/secrets.js';
import { arenaService } from '../index.js';
import { bearer, createPlayer, env, operator, uniqueName } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([arenaService], { env });
});
afterAll(async () => {
  await t?.close();
});

const playerCount = async () =>
  (await queryRows<{ n: number }>(t.platform.db, sql`SELECT count(*)::int AS n FROM arena.players`))[0]?.n ?? 0;

describe('arena access', () => {
  it('answers the heartbeat without auth', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/arena/heartbeat' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('returns 401 without a bearer token or with an unknown one', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/arena/leaderboard' });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/Bearer/);
    const wrong = await t.app.inject({ method: 'GET', url: '/arena/leaderboard', headers: bearer('not-a-token') });
    expect(wrong.statusCode).toBe(401);
  });

  it('returns 403 when a player token creates a player', async () => {
    const p = await createPlayer(t.app);
    const before = await playerCount();
    const res = await t.app.inject({ method: 'POST', url: '/arena/players', headers: bearer(p.token), payload: { name: uniqueName() } });
    expect(res.statusCode).toBe(403);
    expect(await playerCount()).toBe(before);
  });

  it('lets a player read itself but returns 403 for another player', async () => {
    const a = await createPlayer(t.app);
    const b = await createPlayer(t.app);
    expect((await t.app.inject({ method: 'GET', url: `/arena/players/${a.id}`, headers: bearer(a.token) })).statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: `/arena/players/${b.id}`, headers: bearer(a.token) });
    expect(other.statusCode).toBe(403);
    const battles = await t.app.inject({ method: 'GET', url: `/arena/players/${b.id}/battles`, headers: bearer(a.token) });
    expect(battles.statusCode).toBe(403);
  });
});

describe('POST /players', () => {
  it('creates a player with the documented defaults and shows its token once, stored hashed', async () => {
    const name = uniqueName('Def');
    const res = await t.app.inject({ method: 'POST', url: '/arena/players', headers: operator, payload: { name } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name, description: '', gold: 0, silver: 0, attack: 70, hit_points: 100, luck: 10, score: 0 });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [row] = await queryRows<{ token_hash: string }>(t.platform.db, sql`SELECT token_hash FROM arena.players WHERE id = ${body.id}`);
    expect(row?.token_hash).toBe(hashSecret(body.token));
    const read = await t.app.inject({ method: 'GET', url: `/arena/players/${body.id}`, headers: operator });
    expect(read.json()).not.toHaveProperty('token');
    expect(read.json()).toMatchObject({ id: body.id, rank: expect.any(Number) });
  });

  it('returns 400 listing every broken rule, and writes nothing', async () => {
    const before = await playerCount();
    const res = await t.app.inject({
      method: 'POST',
      url: '/arena/players',
      headers: operator,
      payload: {
        name: 'x'.repeat(21),
        description: 'd'.repeat(1001),
        gold: -1,
        silver: 2_000_000_000,
        attack: 0,
        hit_points: 0,
        luck: 101,
      },
    });
    expect(res.statusCode).toBe(400);
    const { message, code } = res.json();
    expect(code).toBe('INVALID_PLAYER');
    for (const key of ['name', 'description', 'gold', 'silver', 'attack', 'hit_points', 'luck']) expect(message).toContain(key);
    expect(await playerCount()).toBe(before);
  });

  it('returns 400 for a missing name or a wrongly typed stat', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/arena/players', headers: operator, payload: { attack: 5 } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/name/);
    const typed = await t.app.inject({
      method: 'POST',
      url: '/arena/players',
      headers: operator,
      payload: { name: uniqueName(), luck: 'lots' },
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().message).toMatch(/luck/);
  });

  it('returns 409 when the name is taken in any letter case', async () => {
    const name = uniqueName('Case');
    await createPlayer(t.app, { name });
    const before = await playerCount();
    const res = await t.app.inject({ method: 'POST', url: '/arena/players', headers: operator, payload: { name: name.toUpperCase() } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('taken');
    expect(await playerCount()).toBe(before);
  });

  it('returns 404 for an unknown player and 400 for a malformed id', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/arena/players/999999999', headers: operator })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/arena/players/abc', headers: operator })).statusCode).toBe(400);
  });
});
