import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import type { Stoppable } from '../../../platform/service.js';
import { rebuildLeaderboardCommand } from '../commands.js';
import { replay } from '../domain/battle.js';
import { arenaService } from '../index.js';
import { BOARD } from '../use-cases.js';
import { startArenaWorkers } from '../worker.js';
import { bearer, createPlayer, env, operator, submit, waitForAllDone } from './fixtures.js';

let t: TestApp;
let workers: Stoppable | undefined;
beforeAll(async () => {
  t = await buildTestApp([arenaService], { env });
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

const battleCount = async () =>
  (await queryRows<{ n: number }>(t.platform.db, sql`SELECT count(*)::int AS n FROM arena.battles`))[0]?.n ?? 0;

describe('POST /battles', () => {
  it('returns 400 for a self-battle and 404 for an unknown player, writing nothing', async () => {
    const a = await createPlayer(t.app);
    const before = await battleCount();
    const self = await t.app.inject({
      method: 'POST',
      url: '/arena/battles',
      headers: operator,
      payload: { attacker_id: a.id, defender_id: a.id },
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().code).toBe('SELF_BATTLE');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/arena/battles',
      headers: operator,
      payload: { attacker_id: a.id, defender_id: 987654321 },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('987654321');
    const bad = await t.app.inject({ method: 'POST', url: '/arena/battles', headers: operator, payload: { attacker_id: a.id } });
    expect(bad.statusCode).toBe(400);
    expect(await battleCount()).toBe(before);
  });

  it('lets a player submit only as the attacker (403 otherwise) and read only its own battles', async () => {
    const a = await createPlayer(t.app);
    const b = await createPlayer(t.app);
    const c = await createPlayer(t.app);
    const asOther = await t.app.inject({
      method: 'POST',
      url: '/arena/battles',
      headers: bearer(a.token),
      payload: { attacker_id: b.id, defender_id: a.id },
    });
    expect(asOther.statusCode).toBe(403);
    const id = await submit(t.app, a.id, b.id, bearer(a.token));
    expect((await t.app.inject({ method: 'GET', url: `/arena/battles/${id}`, headers: bearer(b.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/arena/battles/${id}`, headers: bearer(c.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/arena/battles/99999999', headers: operator })).statusCode).toBe(404);
  });

  it('queues a battle (202) that a worker fights once, moving loot and score, replayable from its report', async () => {
    const a = await createPlayer(t.app, { gold: 10_000, silver: 5_000, luck: 0, attack: 500 });
    const b = await createPlayer(t.app, { gold: 20_000, silver: 7_000, luck: 0, hit_points: 50 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/arena/battles',
      headers: operator,
      payload: { attacker_id: a.id, defender_id: b.id },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ battle_id: expect.any(Number), status: 'queued' });
    const id = res.json().battle_id;
    const queued = (await t.app.inject({ method: 'GET', url: `/arena/battles/${id}`, headers: operator })).json();
    expect(queued).toMatchObject({ status: 'queued', winner_id: null, finished_at: null, report: null, loot: { gold: 0, silver: 0 } });

    workers = await startArenaWorkers(t.platform);
    await waitForAllDone(t.platform);
    const done = (await t.app.inject({ method: 'GET', url: `/arena/battles/${id}`, headers: operator })).json();
    expect(done).toMatchObject({ status: 'done', winner_id: a.id, attacker_id: a.id, defender_id: b.id });
    expect(done.finished_at).not.toBeNull();
    // One hit of 500 kills 50 HP: the attacker wins on the first turn.
    expect(done.report.turns).toEqual([
      { turn: 1, striker: 'attacker', striker_id: a.id, hit: true, damage: 500, attacker_hp: 100, defender_hp: 0 },
    ]);
    const ppm = done.report.loot_fraction_ppm;
    expect(done.loot).toEqual({ gold: Math.floor((20_000 * ppm) / 1e6), silver: Math.floor((7_000 * ppm) / 1e6) });
    expect(replay(done.report).report).toEqual(done.report);

    const winner = (await t.app.inject({ method: 'GET', url: `/arena/players/${a.id}`, headers: operator })).json();
    const loser = (await t.app.inject({ method: 'GET', url: `/arena/players/${b.id}`, headers: operator })).json();
    expect(winner).toMatchObject({
      gold: 10_000 + done.loot.gold,
      silver: 5_000 + done.loot.silver,
      score: done.loot.gold + done.loot.silver,
    });
    expect(loser).toMatchObject({ gold: 20_000 - done.loot.gold, silver: 7_000 - done.loot.silver, score: 0 });
    const rank = (await t.app.inject({ method: 'GET', url: `/arena/leaderboard/${a.id}`, headers: bearer(b.token) })).json();
    expect(rank).toEqual({ player_id: a.id, rank: 1, score: winner.score });
  });

  it('reads balances at processing time, not at submission time', async () => {
    const a = await createPlayer(t.app, { gold: 1_000_000, silver: 0, luck: 0, attack: 10_000 });
    const b = await createPlayer(t.app, { gold: 1_000_000, silver: 0, luck: 0, hit_points: 1 });
    const c = await createPlayer(t.app, { gold: 0, silver: 0, luck: 0, attack: 10_000 });
    const first = await submit(t.app, a.id, b.id);
    const second = await submit(t.app, c.id, b.id);
    await waitForAllDone(t.platform);
    const one = (await t.app.inject({ method: 'GET', url: `/arena/battles/${first}`, headers: operator })).json();
    const two = (await t.app.inject({ method: 'GET', url: `/arena/battles/${second}`, headers: operator })).json();
    expect(two.report.defender.gold).toBe(1_000_000 - one.loot.gold);
  });
});

describe('battle queue', () => {
  it('fights a battle whose queue entry was lost before a newer battle of its player, without waiting for a sweep', async () => {
    const a = await createPlayer(t.app, { gold: 50_000, silver: 5_000 });
    const b = await createPlayer(t.app, { gold: 60_000, silver: 6_000 });
    const c = await createPlayer(t.app, { gold: 70_000, silver: 7_000 });
    // In the database but never enqueued (as if the enqueue after the commit had been lost).
    const [lost] = await queryRows<{ id: number }>(
      t.platform.db,
      sql`INSERT INTO arena.battles (attacker_id, defender_id, seed) VALUES (${a.id}, ${b.id}, 'lost-entry-seed') RETURNING id`,
    );
    const newer = await submit(t.app, c.id, b.id);
    workers ??= await startArenaWorkers(t.platform);
    await waitForAllDone(t.platform);
    const rows = await queryRows<{ id: number; processed_seq: number }>(
      t.platform.db,
      sql`SELECT id, processed_seq FROM arena.battles WHERE id IN (${Number(lost?.id)}, ${newer}) ORDER BY id`,
    );
    expect(rows.map((r) => Number(r.id))).toEqual([Number(lost?.id), newer]);
    expect(Number(rows[0]?.processed_seq)).toBeLessThan(Number(rows[1]?.processed_seq));
  });
});

describe('GET /players/{id}/battles', () => {
  it('pages a player’s battles newest first with an opaque cursor', async () => {
    const a = await createPlayer(t.app);
    const b = await createPlayer(t.app);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await submit(t.app, i % 2 ? b.id : a.id, i % 2 ? a.id : b.id));
    const seen: number[] = [];
    let next: string | null = null;
    do {
      const query: string = next ? `?limit=2&next=${encodeURIComponent(next)}` : '?limit=2';
      const res = await t.app.inject({ method: 'GET', url: `/arena/players/${a.id}/battles${query}`, headers: bearer(a.token) });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { id: number }) => i.id));
      next = page.next;
    } while (next);
    expect(seen).toEqual([...ids].reverse());
  });

  it('returns 400 for a forged cursor or a limit over 100, and 404 for an unknown player', async () => {
    const a = await createPlayer(t.app);
    expect((await t.app.inject({ method: 'GET', url: `/arena/players/${a.id}/battles?next=zzz`, headers: operator })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/arena/players/${a.id}/battles?limit=101`, headers: operator })).statusCode).toBe(
      400,
    );
    expect((await t.app.inject({ method: 'GET', url: '/arena/players/88888888/battles', headers: operator })).statusCode).toBe(404);
  });
});

describe('leaderboard', () => {
  it('ranks by score with shared ranks for ties, pages with limit/offset and is rebuildable', async () => {
    await workers?.stop();
    workers = undefined;
    const scores = [900_000_000, 800_000_000, 800_000_000, 700_000_000];
    const ids: number[] = [];
    for (const score of scores) {
      const p = await createPlayer(t.app);
      await t.platform.db.execute(sql`UPDATE arena.players SET score = ${score} WHERE id = ${p.id}`);
      ids.push(p.id);
    }
    await rebuildLeaderboardCommand({ platform: t.platform, args: [], out: { write: () => true } as unknown as NodeJS.WritableStream });
    const top = (await t.app.inject({ method: 'GET', url: '/arena/leaderboard?limit=4', headers: operator })).json();
    expect(top.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 2, 4]);
    expect(top[0]).toMatchObject({ player_id: ids[0], score: 900_000_000, name: expect.any(String) });
    const page = (await t.app.inject({ method: 'GET', url: '/arena/leaderboard?limit=2&offset=2', headers: operator })).json();
    expect(page.map((e: { rank: number }) => e.rank)).toEqual([2, 4]);
    expect((await t.app.inject({ method: 'GET', url: `/arena/leaderboard/${ids[2]}`, headers: operator })).json()).toEqual({
      player_id: ids[2],
      rank: 2,
      score: 800_000_000,
    });
    // Lost board (a flushed Redis): the rank is answered from the database and the board repaired.
    await t.platform.leaderboard.clear(BOARD);
    expect((await t.app.inject({ method: 'GET', url: `/arena/leaderboard/${ids[3]}`, headers: operator })).json()).toMatchObject({
      rank: 4,
    });
    await rebuildLeaderboardCommand({ platform: t.platform, args: [], out: { write: () => true } as unknown as NodeJS.WritableStream });
    expect(await t.platform.leaderboard.size(BOARD)).toBe(
      (await queryRows<{ n: number }>(t.platform.db, sql`SELECT count(*)::int AS n FROM arena.players`))[0]?.n,
    );
  });

  it('returns 404 for a player not on the board and 400 for limit over 100', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/arena/leaderboard/77777777', headers: operator })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/arena/leaderboard?limit=101', headers: operator })).statusCode).toBe(400);
  });
});
