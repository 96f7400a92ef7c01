import { sql } from 'drizzle-orm';
import type { Platform } from '../../platform/platform.js';
import { secureToken } from '../../platform/random.js';
import type { CommandContext } from '../../platform/service.js';
import { createArenaStore } from './store/index.js';
import { createArenaUseCases } from './use-cases.js';

function useCasesFor({ platform }: CommandContext) {
  return createArenaUseCases({
    store: createArenaStore(platform.db, { driver: platform.dbHandle.kind }),
    leaderboard: platform.leaderboard,
    jobs: platform.jobs,
    logger: platform.logger,
  });
}

/** `guildhall arena rebuild-leaderboard`: the leaderboard from the players' scores in the database. */
export async function rebuildLeaderboardCommand(ctx: CommandContext): Promise<number> {
  const started = Date.now();
  const n = await useCasesFor(ctx).rebuildLeaderboard();
  ctx.out.write(`arena: leaderboard rebuilt from ${n} players in ${Date.now() - started} ms\n`);
  return 0;
}

const LOAD_USAGE = 'usage: guildhall arena load-players --count N [--random-scores]\n';

/**
 * `guildhall arena load-players --count N [--random-scores]`: bulk-inserts N players in SQL (names
 * `p<tag>-<n>`, unusable tokens), then rebuilds the leaderboard. For benchmarks and load tests;
 * with --random-scores their scores are random (not backed by battles).
 */
export async function loadPlayersCommand(ctx: CommandContext): Promise<number> {
  const countArg = ctx.args[ctx.args.indexOf('--count') + 1];
  const count = ctx.args.includes('--count') ? Number(countArg) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
    process.stderr.write(`arena load-players: --count must be an integer from 1 to 10000000\n${LOAD_USAGE}`);
    return 2;
  }
  const store = createArenaStore(ctx.platform.db, { driver: ctx.platform.dbHandle.kind });
  const started = Date.now();
  const tag = secureToken(4)
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 5);
  let loaded = 0;
  for (let i = 0; i < count; i += 100_000) {
    loaded += await store.loadPlayers(Math.min(100_000, count - i), `${tag}${i / 100_000}`, ctx.args.includes('--random-scores'));
  }
  // What autovacuum would otherwise do a minute later, in the middle of whatever runs next: set the new
  // rows' visibility and give the planner their statistics.
  await ctx.platform.db.execute(sql`VACUUM (ANALYZE) arena.players`);
  const n = await useCasesFor(ctx).rebuildLeaderboard();
  ctx.out.write(`arena: loaded ${loaded} players and rebuilt a leaderboard of ${n} in ${Date.now() - started} ms\n`);
  return 0;
}

const DEMO_PLAYERS = [
  { name: 'Aria', description: 'Quick blade, quicker feet.', gold: 5_000, silver: 12_000, attack: 60, hit_points: 90, luck: 25 },
  { name: 'Borin', description: 'Hits like a falling anvil.', gold: 9_000, silver: 3_000, attack: 110, hit_points: 140, luck: 5 },
  { name: 'Cael', description: 'Balanced in all things.', gold: 7_000, silver: 7_000 },
  { name: 'Dusk', description: 'Never where you swing.', gold: 3_000, silver: 20_000, attack: 45, hit_points: 80, luck: 45 },
];

/** `npm start` on an empty arena: four players and a few queued battles (tokens are not printed). */
export async function seedArenaDemo(platform: Platform): Promise<void> {
  const store = createArenaStore(platform.db, { driver: platform.dbHandle.kind });
  if (await store.hasPlayers()) return;
  const useCases = createArenaUseCases({ store, leaderboard: platform.leaderboard, jobs: platform.jobs, logger: platform.logger });
  const operator = { kind: 'operator' } as const;
  const ids: number[] = [];
  for (const player of DEMO_PLAYERS) ids.push((await useCases.createPlayer(operator, player)).id);
  for (const [a, d] of [
    [0, 1],
    [2, 3],
    [1, 2],
    [3, 0],
  ] as const) {
    await useCases.submitBattle(operator, ids[a] as number, ids[d] as number);
  }
  platform.logger.info({ players: ids.length }, 'arena: demo players created');
}
