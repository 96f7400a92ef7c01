import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchContext, Scenario } from '../types.js';

const KEY = 'arena-bench-operator-key-0123456789';
const SERVER_ENV = { ARENA_API_KEY: KEY, DATABASE_POOL_SIZE: '32' };
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

type Pair = { attacker_id: number; defender_id: number };

function randomPair(ids: number[]): Pair {
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
    description: `battle processing: ${BATTLES} battles among 1,000 players, submitted (64 connections) and fought (2 worker processes on PostgreSQL)`,
    env: SERVER_ENV,
    run: async (ctx) => {
      const ids = await ensureFighters(ctx, 1_000);
      let extra: ChildProcess | undefined;
      if (process.env.DATABASE_URL) {
        extra = await run(['worker'], { ...ctx.env, PORT: '0', LOG_LEVEL: 'info' }, /workers running/);
      }
      try {
        // Each player's newest battle: per-player order means that once it is done, all of theirs are.
        const newest = new Map<number, number>();
        let latency: { p50: number; p99: number } | undefined;
        let accepted = 0;
        const started = performance.now();
        const submitted = await ctx.load({
          url: `${ctx.baseUrl}/arena/battles`,
          method: 'POST',
          headers: auth,
          amount: BATTLES,
          connections: 64,
          requests: [
            {
              // autocannon hands the same per-connection context to a request's setup and its response.
              setupRequest: (req, context) => {
                const pair = randomPair(ids);
                (context as { pair?: Pair }).pair = pair;
                return { ...req, body: JSON.stringify(pair) };
              },
              onResponse: (status, body, context) => {
                if (status !== 202) return;
                const battleId = (JSON.parse(body) as { battle_id: number }).battle_id;
                const pair = (context as { pair?: Pair }).pair;
                if (!pair) return;
                accepted++;
                for (const p of [pair.attacker_id, pair.defender_id]) newest.set(p, Math.max(newest.get(p) ?? 0, battleId));
              },
            },
          ],
        });
        const submitMs = performance.now() - started;
        if (accepted !== BATTLES)
          throw new Error(`${BATTLES - accepted} submissions failed (${submitted.non2xx} non-2xx, ${submitted.errors} errors)`);
        const newestIds = [...new Set(newest.values())];
        const [first, last] = [Math.min(...newestIds), Math.max(...newestIds)];
        const report = (wallMs: number) => ({
          wallMs,
          notes: {
            battles: BATTLES,
            'battles/s (submit → all done)': Math.round((BATTLES / wallMs) * 1000),
            'submits/s': Math.round((BATTLES / submitMs) * 1000),
            'done after the last submit (ms)': Math.round(wallMs - submitMs),
            ...(latency ? { 'submit → done p50 ms': Math.round(latency.p50), 'p99 ms': Math.round(latency.p99) } : {}),
            workers: process.env.DATABASE_URL ? 'serve (in-process) + 1 `guildhall worker`' : 'in-process (embedded database)',
          },
        });
        if (process.env.DATABASE_URL) {
          // One query per look: polling thousands of battles over HTTP would measure the poller.
          const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
          await client.connect();
          try {
            for (;;) {
              const { rows } = await client.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM arena.battles WHERE id BETWEEN $1 AND $2 AND status <> 'done'`,
                [first, last],
              );
              if (rows[0]?.n === 0) break;
              await new Promise((r) => setTimeout(r, 20));
            }
            const wallMs = performance.now() - started;
            const { rows } = await client.query<{ p50: number; p99: number }>(
              `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
               FROM (SELECT extract(epoch FROM finished_at - submitted_at) * 1000 AS ms FROM arena.battles WHERE id BETWEEN $1 AND $2) t`,
              [first, last],
            );
            latency = rows[0];
            return report(wallMs);
          } finally {
            await client.end();
          }
        }
        // Embedded database: ask the API for each player's newest battle.
        let pending = newestIds.sort((a, b) => a - b);
        while (pending.length > 0) {
          const still: number[] = [];
          await pool(pending.slice(0, 256), 32, async (id) => {
            const b = await api<{ status: string }>(ctx, 'GET', `/battles/${id}`);
            if (b.status !== 'done') still.push(id);
          });
          pending = [...still, ...pending.slice(256)].sort((a, b) => a - b);
          if (still.length > 0) await new Promise((r) => setTimeout(r, 20));
        }
        return report(performance.now() - started);
      } finally {
        extra?.kill('SIGTERM');
      }
    },
  },
  {
    name: 'arena.submit',
    description: 'POST /battles between random pairs of 1,000 players (operator key)',
    target: { minRatio: 0.1 },
    env: SERVER_ENV,
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
    env: SERVER_ENV,
    run: async (ctx) => {
      await ensureLeaderboard(ctx);
      return { load: await ctx.load({ url: `${ctx.baseUrl}/arena/leaderboard?limit=100`, headers: auth }) };
    },
  },
  {
    name: 'arena.rank',
    description: 'GET /leaderboard/{id} of a mid-table player (same board): req/s at saturation; p99 at 1,000 req/s',
    target: { minRatio: 0.3, maxP99Ms: 5 },
    env: SERVER_ENV,
    run: async (ctx) => {
      await ensureLeaderboard(ctx);
      const url = `${ctx.baseUrl}/arena/leaderboard/${rankTarget}`;
      // Throughput at saturation (the ratio), and latency at a steady 1,000 requests/s (the p99 target).
      const load = await ctx.load({ url, headers: auth });
      const paced = await ctx.paced({ url, headers: auth, rate: 1_000 });
      return { load, paced };
    },
  },
];
