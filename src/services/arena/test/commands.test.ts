import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import type { CommandContext } from '../../../platform/service.js';
import { loadPlayersCommand, seedArenaDemo } from '../commands.js';
import { arenaService } from '../index.js';
import { BOARD } from '../use-cases.js';
import { env, operator } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([arenaService], { env });
});
afterAll(async () => {
  await t?.close();
});

const ctx = (args: string[]): CommandContext => ({
  platform: t.platform,
  args,
  out: { write: () => true } as unknown as NodeJS.WritableStream,
});
const count = async (table: 'players' | 'battles') =>
  (await queryRows<{ n: number }>(t.platform.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(`arena.${table}`)}`))[0]?.n ?? 0;

describe('arena commands', () => {
  it('seeds demo players and battles into an empty arena, and nothing the second time', async () => {
    await seedArenaDemo(t.platform);
    expect(await count('players')).toBe(4);
    expect(await count('battles')).toBe(4);
    await seedArenaDemo(t.platform);
    expect(await count('players')).toBe(4);
  });

  it('bulk-loads players with load-players and puts them all on the leaderboard', async () => {
    const before = await count('players');
    expect(await loadPlayersCommand(ctx(['--count', '2500', '--random-scores']))).toBe(0);
    expect(await count('players')).toBe(before + 2500);
    expect(await t.platform.leaderboard.size(BOARD)).toBe(before + 2500);
    const top = (await t.app.inject({ method: 'GET', url: '/arena/leaderboard?limit=3', headers: operator })).json();
    expect(top[0].score).toBeGreaterThanOrEqual(top[1].score);
    expect(top[0].name).toMatch(/^p/);
  });

  it('refuses load-players without a valid --count', async () => {
    expect(await loadPlayersCommand(ctx([]))).toBe(2);
    expect(await loadPlayersCommand(ctx(['--count', '0']))).toBe(2);
  });
});
