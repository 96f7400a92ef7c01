import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import type { Platform } from '../../../platform/platform.js';
import { parseRunArgs, runCommand } from '../cli/run.js';
import type { RunSummary } from '../engine/simulate.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

let shops: FixtureShop[];
let base: string;
let closeFixture: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  const fixture = await createShopFixture(2);
  shops = fixture.shops;
  base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  closeFixture = () => fixture.app.close();
  dir = mkdtempSync(join(tmpdir(), 'exchange-cli-'));
});
afterAll(async () => {
  await closeFixture();
  rmSync(dir, { recursive: true, force: true });
});

const collect = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return { stream, text: () => text };
};
const platform = { config: loadConfig({ EXCHANGE_SEED: '1' }) } as unknown as Platform;

describe('guildhall exchange run', () => {
  it('compares two shops in the same world: progress bar, side-by-side table, JSON summary and offline HTML report', async () => {
    const [a, b] = shops;
    if (!a || !b) throw new Error('fixture');
    // Both shops play the same way, so in the same world they must end identically.
    const out = collect();
    const err = collect();
    const json = join(dir, 'run.json');
    const report = join(dir, 'run.html');
    const args = [
      '--shop',
      `${base}${a.prefix}`,
      '--key',
      a.apiKey,
      '--compare',
      `${base}${b.prefix}`,
      '--key2',
      b.apiKey,
      '--ticks',
      '36',
      '--seed',
      '3',
      '--cadence',
      'current',
      '--json',
      json,
      '--report',
      report,
    ];
    const code = await runCommand({ platform, args, out: out.stream }, err.stream);
    expect(code).toBe(0);
    expect(err.text()).toContain('36/36 ticks');
    expect(out.text()).toMatch(/net worth/);
    expect(out.text()).toMatch(/Warrior/);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ seed: 3, ticks: 36, cadence: 'current' });
    expect(summary.shops.map((s) => s.url)).toEqual([`${base}${a.prefix}`, `${base}${b.prefix}`]);
    const [first, second] = summary.shops;
    expect(first).toEqual({ ...second, url: first?.url });
    expect(Object.keys(first?.reputation ?? {})).toHaveLength(8);
    expect(first?.reputation.Warrior).toEqual({
      value: expect.any(Number),
      quality: expect.any(Number),
      reliability: expect.any(Number),
      recognition: expect.any(Number),
    });
    expect(first?.errors).toEqual({ total: 0, by_kind: {} });
    expect(first?.gold).toBe(a.state.gold);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/src="https?:/);
    expect(html).toContain('window.renderShops([');
  }, 120_000);

  it('completes with exit 0 and records the errors when the shop is down', async () => {
    const out = collect();
    const json = join(dir, 'down.json');
    const code = await runCommand(
      {
        platform,
        args: ['--shop', 'http://127.0.0.1:1/shop', '--key', 'k', '--ticks', '3', '--json', json, '--timeout-ms', '500'],
        out: out.stream,
      },
      collect().stream,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
    expect(summary.shops[0]?.errors.by_kind).toEqual({ 'reset:failed': 1, 'time:unreachable': 3 });
  });

  it('explains bad arguments with exit status 2', async () => {
    const err = collect();
    expect(await runCommand({ platform, args: ['--shop', 'http://x'], out: collect().stream }, err.stream)).toBe(2);
    expect(err.text()).toContain('--shop and --key are required');
    expect(parseRunArgs(['--shop', 'http://x', '--key', 'k', '--ticks', '0'], { seed: 1, cadence: 'seed' })).toEqual({
      error: '--ticks must be an integer 1–100000, got 0',
    });
    expect(parseRunArgs(['--shop', 'http://x', '--key', 'k', '--cadence', 'weekly'], { seed: 1, cadence: 'seed' })).toEqual({
      error: '--cadence must be seed or current, got weekly',
    });
    expect(parseRunArgs(['--shop', 'http://x', '--key', 'k', '--compare', 'http://y'], { seed: 1, cadence: 'seed' })).toEqual({
      error: '--compare needs --key2',
    });
    expect(parseRunArgs(['--shop=http://x', '--key=k'], { seed: 9, cadence: 'current' })).toMatchObject({
      seed: 9,
      cadence: 'current',
      ticks: 84,
    });
  });
});
