import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { queryRows } from '../../src/platform/db.js';
import { shutdown } from '../../src/platform/lifecycle.js';
import type { ServiceModule } from '../../src/platform/service.js';
import { createTestPlatform } from '../harness.js';

const BIN = new URL('../../bin/guildhall.mjs', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-cli-'));
  dirs.push(dir);
  return dir;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; ms: number }>;
}

function run(args: string[], env: Record<string, string>): Run {
  let out = '';
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exit = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, ms: Date.now() - started })),
  );
  return { child, output: () => out, exit };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const start = Date.now();
  for (;;) {
    const match = run.output().match(pattern);
    if (match) return match;
    if (Date.now() - start > timeoutMs || run.child.exitCode !== null) throw new Error(`never saw ${pattern}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('graceful shutdown', () => {
  it('lets in-flight requests finish before closing the platform', async () => {
    const slow: ServiceModule = {
      name: 'slow',
      prefix: '/slow',
      description: 'Test-only.',
      async register(app) {
        app.get('/', async () => {
          await new Promise((r) => setTimeout(r, 400));
          return { done: true };
        });
      },
    };
    const platform = await createTestPlatform();
    const app = await buildApp(platform, [slow]);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/slow/`);
    await new Promise((r) => setTimeout(r, 100));
    const closed = shutdown(
      [
        { name: 'http', close: () => app.close() },
        { name: 'platform', close: () => platform.close() },
      ],
      10_000,
      platform.logger,
    );
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    expect(await closed).toBe(true);
    expect((await platform.readiness()).database).toBe('down');
  });

  it('waits for handlers whose client has gone before closing the database', async () => {
    let outcome = 'not finished';
    const slow: ServiceModule = {
      name: 'slow',
      prefix: '/slow',
      description: 'Test-only.',
      async register(app, platform) {
        app.get('/', async () => {
          await new Promise((r) => setTimeout(r, 300));
          try {
            await queryRows(platform.db, 'select 1 as one');
            outcome = 'queried';
          } catch (err) {
            outcome = String(err);
          }
          return { done: true };
        });
      },
    };
    const platform = await createTestPlatform();
    const app = await buildApp(platform, [slow]);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new AbortController();
    const request = fetch(`${address}/slow/`, { signal: client.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 100));
    client.abort();
    expect(await request).toBe('aborted');
    const closed = shutdown(
      [
        { name: 'http', close: () => app.close() },
        { name: 'platform', close: () => platform.close() },
      ],
      10_000,
      platform.logger,
    );
    expect(await closed).toBe(true);
    expect(outcome).toBe('queried');
  });

  it('reports false when closing takes longer than the budget', async () => {
    const platform = await createTestPlatform();
    const clean = await shutdown([{ name: 'stuck', close: () => new Promise(() => undefined) }], 100, platform.logger);
    expect(clean).toBe(false);
    await platform.close();
  });
});

describe('guildhall CLI', () => {
  it('refuses a bad configuration with one message listing every bad key', async () => {
    const r = run(['serve'], { PORT: 'x', REDIS_URL: 'http://nope' });
    const { code } = await r.exit;
    expect(code).toBe(78);
    expect(r.output()).toContain('PORT="x"');
    expect(r.output()).toContain('REDIS_URL="http://nope"');
  });

  it('prints usage and exits 2 for an unknown command', async () => {
    const r = run(['frobnicate'], {});
    expect((await r.exit).code).toBe(2);
    expect(r.output()).toContain('unknown command');
  });

  it('serves on the embedded database, refuses a second server on the same data, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = run(['serve'], { PORT: '0', DATA_DIR: dataDir, EXCHANGE_TICK_SECONDS: '0' });
    const [, address] = await waitFor(server, /"address":"(http:\/\/[^"]+)"[^\n]*guildhall is serving/);
    const health = await fetch(`${address}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${address}/ready`)).status).toBe(200);

    const second = run(['serve'], { PORT: '0', DATA_DIR: dataDir });
    expect((await second.exit).code).toBe(1);
    expect(second.output()).toMatch(/in use by process/);

    server.child.kill('SIGTERM');
    const { code, ms } = await server.exit;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(60_000);
    expect(server.output()).toContain('shutdown complete');

    const migrate = run(['migrate'], { DATA_DIR: dataDir });
    expect((await migrate.exit).code).toBe(0);
  }, 120_000);
});
