import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Child, freePort, startChild, waitUntil } from './processes.js';

/**
 * PostgreSQL and Redis servers of a test's own, on free ports under a temp dir — never the machine's
 * shared 5432/6379 — so a fault test may kill and restart them while other tests run.
 */

/** The newest PostgreSQL server binaries on the machine (Debian layout, then pg_config), if any. */
export function postgresBinDir(): string | undefined {
  const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (hasServer(join(base, v, 'bin'))) return join(base, v, 'bin');
  }
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = fromConfig.status === 0 ? fromConfig.stdout.trim() : '';
  return dir && hasServer(dir) ? dir : undefined;
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * initdb and postgres refuse to run as root: as root, the server runs as the `postgres` system user
 * (its temp dir is chowned to it); otherwise as the current user.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface OwnPostgres {
  /** Superuser URL of database `postgres`. */
  url: string;
  port: number;
  /** A URL of `database` on this server. */
  urlOf(database: string): string;
  query(sql: string): Promise<pg.QueryResult>;
  /** Immediate shutdown (SIGQUIT: like a crash — the restart runs crash recovery). */
  kill(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  output(): string;
  close(): Promise<void>;
}

export async function startOwnPostgres(binDir: string): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-pg-'));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const data = join(dir, 'data');
  const init = spawnSync(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N'], {
    encoding: 'utf8',
    ...asUser,
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}):\n${init.stdout}\n${init.stderr}`);
  }
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let server: Child | undefined;

  const start = async () => {
    server = startChild(
      'postgres',
      join(binDir, 'postgres'),
      [
        ['-D', data],
        ['-p', String(port)],
        ['-k', dir],
        ['-c', 'listen_addresses=127.0.0.1'],
        // Durability against a killed *process* needs only the WAL written at commit (synchronous_commit
        // stays on); fsync protects against an OS crash, which these tests do not simulate.
        ['-c', 'fsync=off'],
        ['-c', 'full_page_writes=off'],
        ['-c', 'max_connections=200'],
        ['-c', 'shared_buffers=32MB'],
      ].flat(),
      { cwd: dir, ...asUser },
    );
    const current = server;
    await waitUntil('PostgreSQL to accept connections', () => canConnect(url), {
      timeoutMs: 60_000,
      describe: () => current.output(),
      giveUpIf: () => !current.running(),
    });
  };
  await start();

  return {
    url,
    port,
    urlOf,
    async query(text) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    },
    async kill() {
      await server?.stop('SIGQUIT');
    },
    start,
    running: () => server?.running() ?? false,
    output: () => server?.output() ?? '',
    async close() {
      try {
        await server?.stop('SIGQUIT');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface OwnRedis {
  url: string;
  /** SIGKILL: every key is gone (no persistence), as after a crash of a cache-only Redis. */
  kill(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  close(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: Child | undefined;
  const start = async () => {
    server = startChild(
      'redis',
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
      { cwd: dir },
    );
    const current = server;
    await waitUntil('Redis to answer PING', () => canPing(url), {
      timeoutMs: 30_000,
      describe: () => current.output(),
      giveUpIf: () => !current.running(),
    });
  };
  await start();
  return {
    url,
    async kill() {
      await server?.stop('SIGKILL');
    },
    start,
    running: () => server?.running() ?? false,
    async close() {
      try {
        await server?.stop('SIGKILL');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function canPing(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
