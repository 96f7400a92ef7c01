import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db.js';
import { arenaService } from '../../src/services/arena/index.js';
import { type CreatedPlayer, createPlayer, env, submit, waitForAllDone } from '../../src/services/arena/test/fixtures.js';
import { expectQueueInvariants } from '../../src/services/arena/test/invariants.js';
import { buildTestApp, hasRealPostgres, type TestApp } from '../harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BATTLES = 1_000;

/** `guildhall worker` as a real child process on the test's database (and Redis prefix). */
function startWorkerProcess(t: TestApp): Promise<ChildProcess> {
  const { config, databaseUrl } = t.platform;
  const child = spawn(process.execPath, ['bin/guildhall.mjs', 'worker'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl ?? '',
      DATABASE_POOL_SIZE: '12',
      ...(config.REDIS_URL ? { REDIS_URL: config.REDIS_URL, REDIS_PREFIX: config.REDIS_PREFIX } : {}),
      LOG_LEVEL: 'info',
      JOB_LEASE_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('workers running')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`worker exited ${code ?? signal} before running:\n${out.slice(-2000)}`)));
  });
}

const countDone = async (t: TestApp) =>
  (await queryRows<{ n: number }>(t.platform.db, sql`SELECT count(*)::int AS n FROM arena.battles WHERE status = 'done'`))[0]?.n ?? 0;

describe.runIf(hasRealPostgres)('arena worker process killed mid-run (SIGKILL)', () => {
  let t: TestApp;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await buildTestApp([arenaService], { env: { ...env, JOB_LEASE_MS: '1000' } });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await t?.close();
  });

  it('loses and doubles nothing when another worker process takes over', async () => {
    const players: CreatedPlayer[] = [];
    for (let i = 0; i < 5; i++) players.push(await createPlayer(t.app, { gold: 2_000_000, silver: 300_000, luck: 10 + i }));
    const start = new Map(players.map((p) => [p.id, { gold: p.gold, silver: p.silver }]));

    const first = await startWorkerProcess(t);
    children.push(first);
    let next = 0;
    const submitting = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < BATTLES) {
          const i = next++;
          const a = players[i % 5] as CreatedPlayer;
          const d = players[(i + 1 + (i % 3)) % 5] as CreatedPlayer;
          await submit(t.app, a.id, d.id);
        }
      }),
    );
    // Kill it once it is well under way — while battles still arrive, since it keeps up with them —
    // without any chance to finish what it holds.
    const deadline = Date.now() + 60_000;
    while ((await countDone(t)) < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const doneAtKill = await countDone(t);
    await submitting;
    expect(doneAtKill).toBeGreaterThan(0);
    expect(doneAtKill).toBeLessThan(BATTLES);

    const second = await startWorkerProcess(t);
    children.push(second);
    await waitForAllDone(t.platform, 300_000);
    second.kill('SIGTERM');
    await expectQueueInvariants(t.platform.db, start, BATTLES);
  }, 420_000);
});
