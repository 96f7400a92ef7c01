import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_KEPT = 64 * 1024;

/** Every child this test file started; killed when the test process exits, whatever happened. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Child {
  name: string;
  child: ChildProcess;
  /** The last 64 KiB of stdout + stderr, for failure messages. */
  output(): string;
  running(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Spawns a process, keeps the tail of its output and registers it for cleanup. */
export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > OUTPUT_KEPT * 2) out = out.slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      keep(Buffer.from(`\n[spawn error] ${err.message}\n`));
      children.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null && children.has(child);
  return {
    name,
    child,
    output: () => out.slice(-OUTPUT_KEPT),
    running,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (!running()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Added to the error message. */
  describe?: () => string;
  /** Stop waiting at once (the thing waited for can no longer happen). */
  giveUpIf?: () => boolean;
}

/**
 * Polls `check` (a throw counts as "not yet") until it is true. The timeout only bounds a hang; it
 * asserts nothing about speed.
 */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, options: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    let ok = false;
    try {
      ok = await check();
    } catch {
      ok = false;
    }
    if (ok) return;
    const gaveUp = options.giveUpIf?.() ?? false;
    if (gaveUp || Date.now() > deadline) {
      throw new Error(`${gaveUp ? 'gave up' : 'timed out'} waiting for ${what}\n${options.describe?.() ?? ''}`);
    }
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for `promise` (ignoring its failure) at most `ms`: clean-up steps must never hang the next one. */
export async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `guildhall serve` / `worker` / `migrate` as a real process, configured only by `env` (plus PATH and
 * HOME). A server is ready when `/health` answers; a worker when it logs "workers running".
 */
export async function startGuildhall(
  name: string,
  command: 'serve' | 'worker',
  env: Record<string, string>,
): Promise<Child & { url: string }> {
  const port = command === 'serve' ? await freePort() : 0;
  const child = startChild(name, process.execPath, ['bin/guildhall.mjs', command], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // `serve` logs every request at info: keep servers quiet, workers say when they run.
      LOG_LEVEL: command === 'serve' ? 'warn' : 'info',
      ...env,
      ...(command === 'serve' ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const describe = () => `${name} output:\n${child.output()}`;
  try {
    if (command === 'serve') {
      await waitUntil(`${name} to serve`, async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok, {
        timeoutMs: 240_000,
        describe,
        giveUpIf: () => !child.running(),
      });
    } else {
      await waitUntil(`${name} to run its workers`, () => child.output().includes('workers running'), {
        timeoutMs: 240_000,
        describe,
        giveUpIf: () => !child.running(),
      });
    }
    if (!child.running()) throw new Error(`${name} exited during start\n${describe()}`);
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
  return { ...child, url };
}

/** `guildhall migrate` to completion. */
export async function migrate(env: Record<string, string>): Promise<void> {
  const child = startChild('migrate', process.execPath, ['bin/guildhall.mjs', 'migrate'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
  });
  // Bounds a hang (a lock never granted): the child must not outlive the test.
  const timer = setTimeout(() => child.child.kill('SIGKILL'), 240_000);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`guildhall migrate exited ${code ?? signal}:\n${child.output()}`);
}
