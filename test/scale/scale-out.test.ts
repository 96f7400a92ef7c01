import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFlows, type Cluster, runFlows, startCluster } from './support/cluster.js';

/**
 * The production topology with plain processes (what compose.yaml runs in containers): two API
 * servers and two workers on one PostgreSQL database and one Redis, every service's money-like flows
 * at once, spread over both APIs; then every invariant is checked on the shared database.
 */
const POSTGRES = process.env.TEST_DATABASE_URL || undefined;
const REDIS = process.env.TEST_REDIS_URL || undefined;
/** Each flow runs at least this long and this many steps (a slow machine gets more time, up to MAX). */
const LOAD_SECONDS = 20;
const MIN_STEPS_PER_FLOW = 60;
const MAX_LOAD_SECONDS = 60;
const LANES_PER_FLOW = 4;

describe.runIf(POSTGRES && REDIS)(
  'scale-out: 2 API + 2 worker processes on one PostgreSQL and one Redis (runs only with TEST_DATABASE_URL and TEST_REDIS_URL)',
  () => {
    let cluster: Cluster | undefined;

    beforeAll(async () => {
      cluster = await startCluster({ postgresUrl: POSTGRES as string, redisUrl: REDIS as string, apis: 2, workers: 2 });
    }, 420_000);

    afterAll(async () => {
      await cluster?.close();
    }, 60_000);

    it('keeps every invariant under concurrent load across both APIs', async () => {
      const c = cluster as Cluster;
      const { api, flows } = allFlows(
        c.apis.map((a) => a.url),
        c.dbHandle.db,
        true,
      );
      let steps = new Map<string, number>();
      const why = () => `answers:\n${api.summary()}\nviolations:\n${api.tally.violations.join('\n')}\n${c.describe()}`;
      try {
        await Promise.all(flows.map((flow) => flow.setup()));
        const start = Date.now();
        steps = await runFlows(flows, LANES_PER_FLOW, (_flow, n) => {
          const elapsed = Date.now() - start;
          return elapsed > MAX_LOAD_SECONDS * 1000 || (elapsed > LOAD_SECONDS * 1000 && n >= MIN_STEPS_PER_FLOW);
        });
        for (const flow of flows) await flow.settle();
        expect(api.tally.violations, 'every answer is a success or a 4xx in the error shape').toEqual([]);
        for (const flow of flows) await flow.check();
      } catch (err) {
        if (err instanceof Error) err.message += `\n${why()}`;
        throw err;
      }
      // Both servers answered; no process died under the load.
      for (let server = 0; server < c.apis.length; server++) {
        expect(api.tally.byServer[server] ?? 0, `server ${server} answered requests`).toBeGreaterThan(0);
      }
      for (const p of [...c.apis, ...c.workers]) expect(p.running(), `${p.name} still running`).toBe(true);
      console.info(
        `scale-out steps per flow: ${JSON.stringify(Object.fromEntries(steps))}; answers per server: ${api.tally.byServer.join(', ')}\n` +
          `answers (op status: count):\n${api.summary()}`,
      );
    }, 420_000);
  },
);
