import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '../../../src/platform/db.js';
import { deleteRedisKeys } from '../../harness.js';
import { arenaFlow } from '../flows/arena.js';
import { hackathonFlow } from '../flows/hackathon.js';
import { pokemonFlow } from '../flows/pokemon.js';
import { raffleFlow } from '../flows/raffle.js';
import { shopFlow } from '../flows/shop.js';
import { type Flow, type FlowContext, guildhallEnv } from '../flows/types.js';
import { Api, runLanes } from './api.js';
import { bounded, type Child, migrate, startGuildhall } from './processes.js';

/**
 * The production topology as plain processes: API servers and workers (`guildhall serve|worker`)
 * sharing one database of their own and one Redis key prefix of their own.
 */

export interface ClusterOptions {
  /** Admin URL of the PostgreSQL server (a database of its own is created on it). */
  postgresUrl: string;
  /** A Redis server (keys go under a prefix of their own). */
  redisUrl: string;
  apis: number;
  workers: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

export interface Cluster {
  databaseUrl: string;
  redisPrefix: string;
  env: Record<string, string>;
  apis: (Child & { url: string })[];
  workers: Child[];
  /** The shared database, for the end-of-run checks. */
  dbHandle: DbHandle;
  /** Every process's recent output, for failure messages. */
  describe(): string;
  /** Stops every process (SIGTERM, SIGKILL after a grace), drops the database and the Redis keys. */
  close(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const id = randomBytes(4).toString('hex');
  // Named like the harness's databases, so that the global teardown also sweeps one a crash left behind.
  const database = `guildhall_tscale${id}_${process.ppid}_${Date.now()}`;
  const databaseUrl = withDatabase(options.postgresUrl, database);
  const redisPrefix = `test:scale:${id}:`;
  const env = { ...guildhallEnv(databaseUrl, { url: options.redisUrl, prefix: redisPrefix }), ...options.env };
  const apis: (Child & { url: string })[] = [];
  const workers: Child[] = [];
  let dbHandle: DbHandle | undefined;

  const describe = () =>
    [...apis, ...workers].map((c) => `--- ${c.name} (${c.running() ? 'running' : 'exited'}):\n${c.output().slice(-4000)}`).join('\n');
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await Promise.all([...apis, ...workers].map((c) => c.stop('SIGTERM', 10_000)));
      if (dbHandle) await bounded(dbHandle.close(), 10_000);
      await bounded(adminQuery(options.postgresUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`), 20_000);
      await bounded(deleteRedisKeys(options.redisUrl, redisPrefix), 10_000);
    })();
    return closed;
  };

  try {
    await adminQuery(options.postgresUrl, `CREATE DATABASE ${database}`);
    // One migration first (as a deployment's release step would), then every process starts at once.
    await migrate(env);
    const started = await Promise.allSettled([
      ...Array.from({ length: options.apis }, (_, i) => startGuildhall(`api-${i}`, 'serve', env)),
      ...Array.from({ length: options.workers }, (_, i) => startGuildhall(`worker-${i}`, 'worker', env)),
    ]);
    for (const [i, s] of started.entries()) {
      if (s.status !== 'fulfilled') continue;
      if (i < options.apis) apis.push(s.value);
      else workers.push(s.value);
    }
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    dbHandle = await createDb({ databaseUrl, poolSize: 4 });
  } catch (err) {
    await close();
    throw err;
  }
  return { databaseUrl, redisPrefix, env, apis, workers, dbHandle, describe, close };
}

export interface Load {
  api: Api;
  flows: Flow[];
  arena: ReturnType<typeof arenaFlow>;
}

/** Every service's money-like flow on one load generator, spread over the API servers. */
export function allFlows(urls: string[], db: FlowContext['db'], exact: boolean): Load {
  const api = new Api(urls);
  const context: FlowContext = { api, db, exact };
  const arena = arenaFlow(context);
  const flows = [raffleFlow(context), hackathonFlow(context), arena, pokemonFlow(context), shopFlow(context)];
  return { api, flows, arena };
}

/**
 * Runs `lanesPerFlow` concurrent loops of each flow until `done(flow, steps)` says that flow is done
 * (`steps`: how many of its steps have finished). Returns the steps per flow.
 */
export async function runFlows(
  flows: Flow[],
  lanesPerFlow: number,
  done: (flow: Flow, steps: number) => boolean,
): Promise<Map<string, number>> {
  const steps = new Map<string, number>();
  await Promise.all(
    flows.map((flow) =>
      runLanes(
        lanesPerFlow,
        async () => {
          await flow.step();
          steps.set(flow.name, (steps.get(flow.name) ?? 0) + 1);
        },
        () => done(flow, steps.get(flow.name) ?? 0),
      ),
    ),
  );
  return steps;
}
