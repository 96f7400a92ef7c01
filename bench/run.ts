// npm run bench [-- scenario-or-prefix …]
// Starts a bare-Fastify baseline and the Guildhall server (embedded database, or DATABASE_URL /
// REDIS_URL when set), runs the scenarios with autocannon, prints a table of ratios to the baseline
// (re-measured around each throughput run)
// and writes bench/results/latest.json.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pacedLoad } from './paced.js';
import { scenarios } from './scenarios/index.js';
import type { BenchContext, LoadResult, Scenario, ScenarioResult } from './types.js';

const root = new URL('..', import.meta.url).pathname;
const durationSec = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

function toLoadResult(result: autocannon.Result): LoadResult {
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/**
 * Closed-loop load. A duration-based run (a throughput figure) is bracketed by two half-length runs
 * of the bare baseline: the machine's speed drifts over a run of many minutes (shared hosts), and a
 * ratio to a baseline measured minutes earlier would carry that drift.
 */
function loader(baselineUrl: string): BenchContext['load'] {
  return async (options) => {
    const run = () => autocannon({ duration: durationSec, connections, ...options });
    if (options.amount !== undefined) return toLoadResult(await run());
    const half = () =>
      autocannon({ url: baselineUrl, duration: Math.max(1, durationSec / 2), connections: options.connections ?? connections });
    const before = await half();
    const result = toLoadResult(await run());
    const after = await half();
    return { ...result, baselineRequestsPerSec: (before.requests.average + after.requests.average) / 2 };
  };
}

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = out.match(ready);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `guildhall serve` at warn level (request logs would dominate the measurement) and waits for /ready. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess }> {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": profile the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'bin/guildhall.mjs', 'serve'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`guildhall serve exited ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('guildhall serve did not become ready within 120 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function selected(filters: string[]): Scenario[] {
  if (filters.length === 0) return scenarios;
  const chosen = scenarios.filter((s) => filters.some((f) => s.name === f || s.name.startsWith(`${f}.`)));
  if (chosen.length === 0) throw new Error(`no scenario matches ${filters.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  return chosen;
}

/** What every run's server is started with; a scenario may add settings, not change these. */
const BASE_ENV: Record<string, string> = {
  PORT: '0',
  LOG_LEVEL: 'warn',
  SEED_DEMO_DATA: 'false',
  EXCHANGE_TICK_SECONDS: '0',
  // The load generator is one client: the per-client limits on registrations and token exchanges
  // would refuse it. Set out of reach, the limiter still runs on every such request (its cost is measured).
  RATE_LIMIT_REGISTRATIONS: '1000000000',
  RATE_LIMIT_TOKEN_EXCHANGES: '1000000000',
};

/**
 * The base settings with those the chosen scenarios add. They share one server, so a scenario that
 * needs another value of a setting than the base or another chosen scenario is refused: otherwise the
 * last would win, and the other scenario would measure something else, or fail far from the cause.
 */
function serverEnv(chosen: Scenario[]): Record<string, string> {
  const env = { ...BASE_ENV };
  const setBy: Record<string, string> = Object.fromEntries(Object.keys(BASE_ENV).map((key) => [key, 'bench/run.ts']));
  for (const scenario of chosen) {
    for (const [key, value] of Object.entries(scenario.env ?? {})) {
      if (key in env && env[key] !== value) {
        const fix = key in BASE_ENV ? 'scenarios may add settings, not change the base' : 'give them one value, or run them apart';
        throw new Error(`${scenario.name} sets ${key}=${value}, but ${setBy[key]} sets ${env[key]}: ${fix}`);
      }
      env[key] = value;
      setBy[key] = scenario.name;
    }
  }
  return env;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toFixed(digits));

async function main(): Promise<void> {
  const chosen = selected(process.argv.slice(2).filter((a) => a !== '--'));
  const settings = serverEnv(chosen);
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-'));
  const env: Record<string, string> = { ...settings, DATA_DIR: dataDir };
  const backend = `${process.env.DATABASE_URL ? 'postgres' : 'pglite'}${process.env.REDIS_URL ? '+redis' : ''}`;
  console.log(`bench: ${chosen.length} scenario(s), ${durationSec}s each, ${connections} connections, ${backend}, ${cpus().length} cpu(s)`);

  // The baseline stays up (idle between its runs) so that every throughput figure is compared with it
  // measured at the same time; this first run is the headline figure.
  const baseline = await start([join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/baseline.ts'], {}, /LISTENING (\S+)/);
  const baselineUrl = `${baseline.match[1]}/`;
  const load = loader(baselineUrl);
  const baselineLoad = toLoadResult(await autocannon({ url: baselineUrl, duration: durationSec, connections }));
  console.log(`baseline (bare Fastify hello world): ${fmt(baselineLoad.requestsPerSec)} req/s, p99 ${baselineLoad.p99Ms} ms`);

  const port = await freePort();
  const server = await startServer({ ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Latency targets are absolute; the bare baseline's p99 at the same rate, measured just before, says
  // how much of the tail is the machine's own (scheduler, load generator) rather than the server's.
  const paced: BenchContext['paced'] = async (options) => {
    const bare = await pacedLoad({ url: baselineUrl, rate: options.rate, durationSec: Math.max(2, durationSec / 2) });
    return { ...(await pacedLoad({ durationSec, ...options })), rate: options.rate, baselineP99Ms: bare.p99Ms };
  };
  const ctx: BenchContext = { baseUrl, env, durationSec, connections, load, paced };
  const rows: Record<string, unknown>[] = [];
  let failed = 0;
  try {
    for (const scenario of chosen) {
      let result: ScenarioResult;
      try {
        result = await scenario.run(ctx);
      } catch (err) {
        console.error(`${scenario.name}: ${err instanceof Error ? err.message : String(err)}`);
        failed++;
        rows.push({ scenario: scenario.name, error: String(err) });
        continue;
      }
      const ratio = result.load
        ? result.load.requestsPerSec / (result.load.baselineRequestsPerSec ?? baselineLoad.requestsPerSec)
        : undefined;
      const t = scenario.target;
      const met =
        (t?.minRatio === undefined || (ratio !== undefined && ratio >= t.minRatio)) &&
        (t?.maxWallMs === undefined || (result.wallMs !== undefined && result.wallMs <= t.maxWallMs)) &&
        (t?.maxP99Ms === undefined || ((result.paced ?? result.load)?.p99Ms ?? Number.POSITIVE_INFINITY) <= t.maxP99Ms) &&
        [result.load, result.paced].every((l) => l === undefined || l.errors + l.non2xx === 0);
      rows.push({
        scenario: scenario.name,
        description: scenario.description,
        ...result.load,
        ratio,
        wallMs: result.wallMs,
        notes: result.paced
          ? {
              ...result.notes,
              [`at ${result.paced.rate} req/s`]: `p50 ${result.paced.p50Ms} ms, p99 ${result.paced.p99Ms} ms, errors ${result.paced.errors + result.paced.non2xx} (bare baseline p99 ${result.paced.baselineP99Ms} ms)`,
            }
          : result.notes,
        paced: result.paced,
        target: t,
        met: t ? met : undefined,
      });
    }
  } finally {
    await stop(server.child);
    await stop(baseline.child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log('');
  console.log(
    [
      'scenario'.padEnd(34),
      'req/s'.padStart(9),
      'p50 ms'.padStart(7),
      'p99 ms'.padStart(7),
      'errors'.padStart(7),
      'base/s'.padStart(7),
      'ratio'.padStart(7),
      'wall ms'.padStart(8),
      'target'.padStart(14),
      ' met',
    ].join(' '),
  );
  for (const r of rows) {
    const target = r.target as Scenario['target'];
    const targetText = target
      ? [
          target.minRatio !== undefined ? `≥${target.minRatio}` : '',
          target.maxWallMs !== undefined ? `≤${target.maxWallMs}ms` : '',
          target.maxP99Ms !== undefined ? `p99≤${target.maxP99Ms}` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : '';
    console.log(
      [
        String(r.scenario).padEnd(34),
        fmt(r.requestsPerSec as number | undefined).padStart(9),
        fmt(r.p50Ms as number | undefined, 1).padStart(7),
        fmt(r.p99Ms as number | undefined, 1).padStart(7),
        String(r.error ? 'FAILED' : ((r.errors as number | undefined) ?? 0) + ((r.non2xx as number | undefined) ?? 0)).padStart(7),
        fmt(r.baselineRequestsPerSec as number | undefined).padStart(7),
        fmt(r.ratio as number | undefined, 3).padStart(7),
        fmt(r.wallMs as number | undefined).padStart(8),
        targetText.padStart(14),
        r.met === undefined ? '' : r.met ? ' yes' : ' NO',
      ].join(' '),
    );
    if (r.notes) console.log(`${''.padEnd(36)}${JSON.stringify(r.notes)}`);
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const report = {
    at: new Date().toISOString(),
    backend,
    cpus: cpus().length,
    durationSec,
    connections,
    baseline: baselineLoad,
    scenarios: rows,
  };
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwritten: bench/results/latest.json');
  if (failed > 0) process.exitCode = 1;
}

await main();
