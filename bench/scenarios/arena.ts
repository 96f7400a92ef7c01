import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Scenario } from '../types.js';

const KEY = 'arena-bench-operator-key-0123456789';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const root = fileURLToPath(new URL('../..', import.meta.url));
const LEADERBOARD_PLAYERS = Number(process.env.ARENA_BENCH_PLAYERS ?? 1_000_000);
const BATTLES = Number(process.env.ARENA_BENCH_BATTLES ?? 5_000);

let fighters: number[] = [];
let loaded = 0;
let rankTarget = 0;

async function api<T>(ctx: BenchContext, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ctx.baseUrl}/arena${path}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

async function ensureFighters(ctx: BenchContext, count: number): Promise<number[]> {
  if (fighters.length >= count) return fighters;
  const tag = Date.now().toString(36).slice(-5);
  const ids: number[] = [];
  await pool(
    Array.from({ length: count }, (_, i) => i),
    32,
    async (i) => {
      const p = await api<{ id: number }>(ctx, 'POST', '/players', { name: `f${tag}-${i}`, gold: 1_000_000, silver: 100_000 });
      ids.push(p.id);
    },
  );
  fighters = ids;
  return ids;
}

function randomPair(ids: number[]): { attacker_id: number; defender_id: number } {
  const a = Math.floor(Math.random() * ids.length);
  let d = Math.floor(Math.random() * (ids.length - 1));
  if (d >= a) d++;
  return { attacker_id: ids[a] as number, defender_id: ids[d] as number };
}

function run(args: string[], env: Record<string, string>, waitFor?: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/guildhall.mjs', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (waitFor?.test(out)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      code === 0 && !waitFor ? resolve(child) : reject(new Error(`guildhall ${args.join(' ')} exited ${code}: ${out}`)),
    );
  });
}

/** A million players: bulk SQL through the CLI on PostgreSQL; through the API (fewer) on the embedded database. */
async function ensureLeaderboard(ctx: BenchContext): Promise<void> {
  if (loaded > 0) return;
  if (process.env.DATABASE_URL) {
    await run(['arena', 'load-players', '--count', String(LEADERBOARD_PLAYERS), '--random-scores'], { ...ctx.env, LOG_LEVEL: 'warn' });
    loaded = LEADERBOARD_PLAYERS;
  } else {
    loaded = Math.min(LEADERBOARD_PLAYERS, 10_000);
    await ensureFighters(ctx, loaded);
  }
  const page = await api<{ player_id: number }[]>(ctx, 'GET', `/leaderboard?limit=1&offset=${Math.floor(loaded / 2)}`);
  rankTarget = page[0]?.player_id ?? fighters[0] ?? 1;
}

export const arenaScenarios: Scenario[] = [
  {
    name: 'arena.process',
    description: `battle processing: ${BATTLES} battles among 1,000 players, submitted and fought (2 worker processes on PostgreSQL)`,
    env: { ARENA_API_KEY: KEY, DATABASE_POOL_SIZE: '32' },
    run: async (ctx) => {
      const ids = await ensureFighters(ctx, 1_000);
      let extra: ChildProcess | undefined;
      if (process.env.DATABASE_URL) {
        extra = await run(['worker'], { ...ctx.env, PORT: '0', LOG_LEVEL: 'info' }, /workers running/);
      }
      try {
        const started = performance.now();
        const battleIds: number[] = [];
        await pool(
          Array.from({ length: BATTLES }, () => randomPair(ids)),
          64,
          async (pair) => {
            battleIds.push((await api<{ battle_id: number }>(ctx, 'POST', '/battles', pair)).battle_id);
          },
        );
        const submitMs = performance.now() - started;
        let pending = battleIds.sort((a, b) => a - b);
        while (pending.length > 0) {
          const still: number[] = [];
          await pool(pending.slice(0, 256), 32, async (id) => {
            const b = await api<{ status: string }>(ctx, 'GET', `/battles/${id}`);
            if (b.status !== 'done') still.push(id);
          });
          pending = [...still, ...pending.slice(256)].sort((a, b) => a - b);
          if (still.length > 0) await new Promise((r) => setTimeout(r, 50));
        }
        const wallMs = performance.now() - started;
        return {
          wallMs,
          notes: {
            battles: BATTLES,
            'battles/s (submit → all done)': Math.round((BATTLES / wallMs) * 1000),
            'submits/s': Math.round((BATTLES / submitMs) * 1000),
            workers: process.env.DATABASE_URL ? 'serve (in-process) + 1 `guildhall worker`' : 'in-process (embedded database)',
          },
        };
      } finally {
        extra?.kill('SIGTERM');
      }
    },
  },
  {
    name: 'arena.submit',
    description: 'POST /battles between random pairs of 1,000 players (operator key)',
    target: { minRatio: 0.1 },
    env: { ARENA_API_KEY: KEY, DATABASE_POOL_SIZE: '32' },
    run: async (ctx) => {
      const ids = await ensureFighters(ctx, 1_000);
      return {
        load: await ctx.load({
          url: `${ctx.baseUrl}/arena/battles`,
          method: 'POST',
          headers: auth,
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(randomPair(ids)) }) }],
        }),
      };
    },
  },
  {
    name: 'arena.leaderboard-top',
    description: `GET /leaderboard?limit=100 with ${LEADERBOARD_PLAYERS.toLocaleString('en')} players (10,000 on the embedded database)`,
    target: { minRatio: 0.3 },
    env: { ARENA_API_KEY: KEY, DATABASE_POOL_SIZE: '32' },
    run: async (ctx) => {
      await ensureLeaderboard(ctx);
      return { load: await ctx.load({ url: `${ctx.baseUrl}/arena/leaderboard?limit=100`, headers: auth }) };
    },
  },
  {
    name: 'arena.rank',
    description: 'GET /leaderboard/{id} of a mid-table player (same board)',
    target: { minRatio: 0.3, maxP99Ms: 5 },
    env: { ARENA_API_KEY: KEY, DATABASE_POOL_SIZE: '32' },
    run: async (ctx) => {
      await ensureLeaderboard(ctx);
      return { load: await ctx.load({ url: `${ctx.baseUrl}/arena/leaderboard/${rankTarget}`, headers: auth }) };
    },
  },
];
