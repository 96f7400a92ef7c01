import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFlows, type Cluster, type Load, runFlows, startCluster } from './support/cluster.js';
import { bounded, sleep, waitUntil } from './support/processes.js';
import { hasRedisServer, type OwnPostgres, type OwnRedis, postgresBinDir, startOwnPostgres, startOwnRedis } from './support/servers.js';

/**
 * Dependencies failing under load. Each test runs its own PostgreSQL cluster (initdb in a temp dir)
 * and its own redis-server, on free ports, with its own API and worker processes — never the shared
 * servers — kills one dependency in the middle of every service's money-like traffic, brings it back,
 * and checks that:
 *   - during the outage every answer is a success or a 503 in the error shape with Retry-After
 *     (never a 500, never a hang), and /ready reports exactly which dependency is down;
 *   - the processes recover by themselves (no restart): /ready returns to 200 and a round of load
 *     afterwards gets no 503 at all;
 *   - nothing is half-applied or lost: every flow's invariants hold on the final state, with requests
 *     whose outcome was unknown (a 503) allowed to have happened or not, and every battle accepted
 *     before, during or after the outage fought exactly once.
 * A worker process killed mid-job is covered by test/arena/worker-kill.test.ts.
 *
 * Runs with the real-server suite (TEST_DATABASE_URL set) where PostgreSQL's server binaries
 * (initdb, postgres) and redis-server are installed, as on CI.
 */
const binDir = postgresBinDir();
const enabled = Boolean(process.env.TEST_DATABASE_URL) && binDir !== undefined && hasRedisServer();
const LANES_PER_FLOW = 2;

interface Ready {
  status: number;
  body: { status: string; database: string; redis: string } | undefined;
}

async function ready(url: string): Promise<Ready> {
  try {
    const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Ready['body'] };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Waits until every API's /ready answers `status` with `body`. */
async function waitForReady(cluster: Cluster, status: number, body: Ready['body'], timeoutMs = 90_000): Promise<void> {
  const seen: Ready[] = [];
  await waitUntil(
    `/ready to answer ${status} ${JSON.stringify(body)} on every API`,
    async () => {
      const answers = await Promise.all(cluster.apis.map((a) => ready(a.url)));
      seen.splice(0, seen.length, ...answers);
      return answers.every((r) => r.status === status && JSON.stringify(r.body) === JSON.stringify(body));
    },
    { timeoutMs, describe: () => `last answers: ${JSON.stringify(seen)}\n${cluster.describe()}` },
  );
}

const UP = { status: 'ready', database: 'up', redis: 'up' };

/** Load in the background until stopped; `stop()` waits for the requests in flight. */
function backgroundLoad(load: Load): { stop(): Promise<void> } {
  let stopped = false;
  const running = runFlows(load.flows, LANES_PER_FLOW, () => stopped);
  // Observed by stop(); a failing step stops every lane at once.
  running.catch(() => undefined);
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/**
 * One fault scenario: load → `outage()` (kill, check /ready, restart) under load → recovery → a
 * round of load that must see no 503 → settle → every flow's invariants.
 */
async function underLoad(cluster: Cluster, load: Load, outage: () => Promise<void>): Promise<void> {
  const { api, flows } = load;
  const why = () => `answers:\n${api.summary()}\nviolations:\n${api.tally.violations.join('\n')}\n${cluster.describe()}`;
  try {
    await waitForReady(cluster, 200, UP);
    await Promise.all(flows.map((flow) => flow.setup()));

    api.allowUnavailable = true;
    const during = backgroundLoad(load);
    try {
      await sleep(3_000);
      await outage();
      // Back: every API says so by itself, with no process restarted.
      await waitForReady(cluster, 200, UP);
    } finally {
      await during.stop();
    }
    expect(api.tally.violations, 'during the outage: successes, 4xx, or 503 in the error shape with Retry-After').toEqual([]);
    const unavailable = api.count((_, status) => status === 503);

    // Recovered: a round of load with every dependency back gets no 503.
    api.allowUnavailable = false;
    const after = backgroundLoad(load);
    await sleep(4_000);
    await after.stop();
    expect(api.tally.violations, 'after recovery: no 503, no 500').toEqual([]);

    for (const flow of flows) await flow.settle();
    for (const flow of flows) await flow.check();
    expect(api.tally.violations).toEqual([]);
    for (const p of [...cluster.apis, ...cluster.workers]) expect(p.running(), `${p.name} survived the outage`).toBe(true);
    console.info(`answers (op status: count), ${unavailable} × 503 during the outage:\n${api.summary()}`);
  } catch (err) {
    if (err instanceof Error) err.message += `\n${why()}`;
    throw err;
  }
}

/** A private PostgreSQL and Redis with a cluster (2 APIs, 1 worker) on them, for one describe block. */
function ownServers() {
  let postgres: OwnPostgres | undefined;
  let redis: OwnRedis | undefined;
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    postgres = await startOwnPostgres(binDir as string);
    redis = await startOwnRedis();
    cluster = await startCluster({ postgresUrl: postgres.url, redisUrl: redis.url, apis: 2, workers: 1 });
  }, 420_000);

  afterAll(async () => {
    if (cluster) await bounded(cluster.close(), 60_000);
    if (redis) await bounded(redis.close(), 20_000);
    await postgres?.close();
  }, 120_000);

  return { postgres: () => postgres as OwnPostgres, redis: () => redis as OwnRedis, cluster: () => cluster as Cluster };
}

describe.runIf(enabled)(
  'faults: dependencies killed under load (runs with TEST_DATABASE_URL where initdb/postgres and redis-server are installed)',
  () => {
    describe('Redis killed (SIGKILL, data lost) and restarted', () => {
      const own = ownServers();

      it('answers 503 while Redis is down, recovers by itself, and loses no queued battle', async () => {
        const c = own.cluster();
        const load = allFlows(
          c.apis.map((a) => a.url),
          c.dbHandle.db,
          false,
        );
        let acceptedBeforeKill = 0;
        await underLoad(c, load, async () => {
          acceptedBeforeKill = load.arena.accepted.length;
          await own.redis().kill();
          await waitForReady(c, 503, { status: 'unavailable', database: 'up', redis: 'down' });
          await sleep(3_000);
          await own.redis().start();
        });
        // Battles accepted before the kill were in the wiped queue (or already fought): all fought.
        expect(acceptedBeforeKill).toBeGreaterThan(0);
      }, 420_000);
    });

    describe('PostgreSQL killed (immediate shutdown, crash recovery) and restarted', () => {
      const own = ownServers();

      it('answers 503 while PostgreSQL is down, the pools recover without a restart, and nothing is half-written', async () => {
        const c = own.cluster();
        const load = allFlows(
          c.apis.map((a) => a.url),
          c.dbHandle.db,
          false,
        );
        await underLoad(c, load, async () => {
          await own.postgres().kill();
          await waitForReady(c, 503, { status: 'unavailable', database: 'down', redis: 'up' });
          await sleep(3_000);
          await own.postgres().start();
        });
      }, 420_000);
    });
  },
);
