import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { createPlatform, type Platform } from '../../../platform/platform.js';
import type { Stoppable } from '../../../platform/service.js';
import { arenaService } from '../index.js';
import { BOARD } from '../use-cases.js';
import { startArenaWorkers } from '../worker.js';
import { type CreatedPlayer, createPlayer, env, submit, waitForAllDone } from './fixtures.js';
import { expectQueueInvariants } from './invariants.js';

const PLAYERS = 6;
const BATTLES = Number(process.env.ARENA_TEST_BATTLES ?? 2_000);
const CLIENTS = 24;

describe.runIf(hasRealPostgres)('arena queue on real PostgreSQL (several worker processes’ worth of platforms)', () => {
  let t: TestApp;
  const extra: Platform[] = [];
  const workers: Stoppable[] = [];

  beforeAll(async () => {
    t = await buildTestApp([arenaService], { env });
    for (let i = 0; i < 2; i++) {
      const config = loadConfig({
        LOG_LEVEL: process.env.ARENA_TEST_LOG ?? 'silent',
        JOB_LEASE_MS: '2000',
        DATABASE_URL: t.platform.databaseUrl,
        DATABASE_POOL_SIZE: '12',
        ...(t.platform.config.REDIS_URL ? { REDIS_URL: t.platform.config.REDIS_URL, REDIS_PREFIX: t.platform.config.REDIS_PREFIX } : {}),
      });
      extra.push(await createPlatform(config, createLogger(config), { pollMs: 20 }));
    }
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    for (const p of extra) await p.close();
    await t?.close();
  });

  it('fights thousands of battles among a few players from concurrent clients exactly once, in order, conserving gold', async () => {
    const players: CreatedPlayer[] = [];
    for (let i = 0; i < PLAYERS; i++) {
      players.push(await createPlayer(t.app, { gold: 1_000_000 * (i + 1), silver: 500_000, luck: 5 * i, attack: 40 + 10 * i }));
    }
    const start = new Map(players.map((p) => [p.id, { gold: p.gold, silver: p.silver }]));
    // Workers run while the battles arrive, so that ordering races are real.
    workers.push(await startArenaWorkers(t.platform));
    for (const p of extra) workers.push(await startArenaWorkers(p));

    let next = 0;
    const client = async () => {
      while (next < BATTLES) {
        const i = next++;
        const a = players[i % PLAYERS];
        const d = players[(i * 7 + 1 + Math.floor(i / PLAYERS)) % PLAYERS];
        if (!a || !d) continue;
        await submit(t.app, a.id, d.id === a.id ? (players[(i + 1) % PLAYERS]?.id ?? 0) : d.id);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    await waitForAllDone(t.platform, 400_000);

    await expectQueueInvariants(t.platform.db, start, BATTLES);
    // The board agrees with the database.
    for (const p of players) {
      const entry = await t.platform.leaderboard.rank(BOARD, String(p.id));
      const row = (
        await t.app.inject({ method: 'GET', url: `/arena/players/${p.id}`, headers: { authorization: `Bearer ${p.token}` } })
      ).json();
      expect(entry?.score).toBe(row.score);
    }
  }, 600_000);
});
