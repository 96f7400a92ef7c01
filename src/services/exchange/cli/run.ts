/**
 * `guildhall exchange run --shop URL --key KEY [--ticks N] [--seed S] [--cadence seed|current]
 *   [--report FILE.html] [--compare URL2 --key2 KEY2] [--json FILE]`
 *
 * A run lives in memory (nothing is written to the database): the shops are reset, ticked from 0 as fast
 * as they answer, summarized, and optionally written out as an offline HTML report and a JSON summary.
 */
import { writeFileSync } from 'node:fs';
import type { CommandContext } from '../../../platform/service.js';
import { chartJs } from '../dashboard/assets.js';
import { reportHtml } from '../dashboard/page.js';
import { type Cadence, CLASS_NAMES } from '../domain/model/index.js';
import { DEFAULT_TIMEOUT_MS, type ShopEndpoint } from '../engine/shop-client.js';
import { simulate, summarize, viewOf } from '../engine/simulate.js';
import type { ShopView } from '../engine/view.js';

export const RUN_USAGE = `usage: guildhall exchange run --shop URL --key KEY [options]

Resets the shop (POST /admin/reset) and simulates N ticks from tick 0 as fast as it answers.

  --shop URL          the shop's base URL, e.g. http://localhost:3000/shop
  --key KEY           the shop's API key (sent as access_token)
  --ticks N           ticks to simulate (default 84 = one game week)
  --seed S            world seed (default EXCHANGE_SEED)
  --cadence C         seed | current (default EXCHANGE_CADENCE)
  --compare URL2      a second shop, run side by side in the same world
  --key2 KEY2         the second shop's API key
  --report FILE.html  write an HTML report with charts (works offline)
  --json FILE         write the summary as JSON
  --timeout-ms MS     per-call timeout (default 10000)
`;

export interface RunArgs {
  shops: ShopEndpoint[];
  ticks: number;
  seed: number;
  cadence: Cadence;
  report?: string;
  json?: string;
  timeoutMs: number;
}

export function parseRunArgs(args: string[], defaults: { seed: number; cadence: Cadence }): RunArgs | { error: string } | { help: true } {
  const values = new Map<string, string>();
  const known = ['--shop', '--key', '--ticks', '--seed', '--cadence', '--report', '--compare', '--key2', '--json', '--timeout-ms'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!known.includes(flag)) return { error: `unknown option ${arg}` };
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { error: `${flag} needs a value` };
    values.set(flag, value);
  }
  const shop = values.get('--shop');
  const key = values.get('--key');
  if (!shop || !key) return { error: '--shop and --key are required' };
  const int = (flag: string, def: number, min: number, max: number): number | { error: string } => {
    const raw = values.get(flag);
    if (raw === undefined) return def;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : { error: `${flag} must be an integer ${min}–${max}, got ${raw}` };
  };
  const ticks = int('--ticks', 84, 1, 100_000);
  const seed = int('--seed', defaults.seed, 0, 2_147_483_647);
  const timeoutMs = int('--timeout-ms', DEFAULT_TIMEOUT_MS, 1, 600_000);
  for (const v of [ticks, seed, timeoutMs]) if (typeof v === 'object') return v;
  const cadence = values.get('--cadence') ?? defaults.cadence;
  if (cadence !== 'seed' && cadence !== 'current') return { error: `--cadence must be seed or current, got ${cadence}` };
  const shops: ShopEndpoint[] = [{ baseUrl: shop, apiKey: key }];
  const compare = values.get('--compare');
  if (compare) {
    const key2 = values.get('--key2');
    if (!key2) return { error: '--compare needs --key2' };
    shops.push({ baseUrl: compare, apiKey: key2 });
  } else if (values.has('--key2')) return { error: '--key2 needs --compare' };
  for (const s of shops) {
    try {
      const url = new URL(s.baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `${s.baseUrl} is not an http(s) URL` };
    } catch {
      return { error: `${s.baseUrl} is not a URL` };
    }
  }
  const report = values.get('--report');
  const json = values.get('--json');
  return {
    shops,
    ticks: ticks as number,
    seed: seed as number,
    cadence,
    timeoutMs: timeoutMs as number,
    ...(report ? { report } : {}),
    ...(json ? { json } : {}),
  };
}

export async function runCommand(ctx: CommandContext, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const parsed = parseRunArgs(ctx.args, { seed: ctx.platform.config.EXCHANGE_SEED, cadence: ctx.platform.config.EXCHANGE_CADENCE });
  if ('help' in parsed) {
    ctx.out.write(RUN_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    err.write(`guildhall exchange run: ${parsed.error}\n\n${RUN_USAGE}`);
    return 2;
  }
  const started = performance.now();
  // A redrawn bar on a terminal; elsewhere (CI logs, pipes) a line every 10% instead of 336 redraws.
  const terminal = (err as { isTTY?: boolean }).isTTY === true;
  const progress = (done: number) => {
    if (!terminal) {
      const step = Math.max(1, Math.ceil(parsed.ticks / 10));
      if (done % step === 0 || done === parsed.ticks) err.write(`${done}/${parsed.ticks} ticks\n`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / parsed.ticks) * width);
    const rate = done / Math.max(0.001, (performance.now() - started) / 1000);
    err.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${parsed.ticks} ticks  ${rate.toFixed(1)} ticks/s`);
  };
  const runs = await simulate({
    shops: parsed.shops,
    seed: parsed.seed,
    cadence: parsed.cadence,
    ticks: parsed.ticks,
    timeoutMs: parsed.timeoutMs,
    onTick: progress,
  });
  if (terminal) err.write('\n');
  const views = runs.map(viewOf);
  const summary = summarize(parsed, views);
  const seconds = (performance.now() - started) / 1000;
  ctx.out.write(summaryTable(views, `${parsed.ticks} ticks, seed ${parsed.seed}, cadence ${parsed.cadence}, ${seconds.toFixed(1)} s`));
  for (const run of runs) if (run.resetError) ctx.out.write(`note: ${run.url} did not reset before the run: ${run.resetError}\n`);
  if (parsed.json) writeFileSync(parsed.json, `${JSON.stringify(summary, null, 2)}\n`);
  if (parsed.report) {
    writeFileSync(
      parsed.report,
      reportHtml({
        title: 'Potion Exchange run',
        subtitle: `${parsed.ticks} ticks · seed ${parsed.seed} · cadence ${parsed.cadence}`,
        chartJs: chartJs(),
        shops: views,
      }),
    );
  }
  if (parsed.json || parsed.report) ctx.out.write(`written: ${[parsed.report, parsed.json].filter(Boolean).join(', ')}\n`);
  return 0;
}

/** The shops side by side: one column per shop. */
export function summaryTable(views: ShopView[], caption: string): string {
  const rows: [string, ...string[]][] = [
    ['shop', ...views.map((v) => v.url)],
    ['gold', ...views.map((v) => String(v.gold))],
    ['net worth', ...views.map((v) => String(v.net_worth))],
    ['potions sold', ...views.map((v) => String(v.potions_sold))],
    ['capacity (potion/ml units)', ...views.map((v) => `${v.potion_capacity}/${v.ml_capacity}`)],
    ['errors', ...views.map((v) => String(v.errors.total))],
  ];
  const kinds = [...new Set(views.flatMap((v) => Object.keys(v.errors.by_kind)))].sort();
  for (const k of kinds) rows.push([`  ${k}`, ...views.map((v) => String(v.errors.by_kind[k] ?? 0))]);
  rows.push(['sales by class (potions/gold)', ...views.map(() => '')]);
  for (const c of CLASS_NAMES)
    rows.push([`  ${c}`, ...views.map((v) => `${v.sales_by_class[c]?.potions ?? 0}/${v.sales_by_class[c]?.gold ?? 0}`)]);
  rows.push(['reputation (val/qual/rel/rec = mean)', ...views.map(() => '')]);
  const p = (x: number) => Math.round(x * 100);
  for (const c of CLASS_NAMES) {
    rows.push([
      `  ${c}`,
      ...views.map((v) => {
        const r = v.reputation[c];
        return r ? `${p(r.value)}/${p(r.quality)}/${p(r.reliability)}/${p(r.recognition)} = ${p(r.score)}%` : '-';
      }),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `\n${caption}\n${rows.map(line).join('\n')}\n\n`;
}
