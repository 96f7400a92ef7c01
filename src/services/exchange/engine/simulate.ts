/**
 * A run kept in memory (the CLI's `exchange run`): reset the shops, then tick 0..N−1 as fast as they
 * answer. Every shop gets the same random streams (stream key "run"), so `--compare` puts two shops in
 * the very same world: the same offers, and the same customers as long as their reputations match.
 */
import { initialState, netWorth, type ShopState } from '../domain/books.js';
import type { Cadence } from '../domain/model/index.js';
import { callShop, type ShopEndpoint } from './shop-client.js';
import { type JobRecord, runShopTick } from './tick.js';
import { emptySales, type ShopView, shopView } from './view.js';

export interface SimulatedShop {
  url: string;
  state: ShopState;
  sales: Record<string, { potions: number; gold: number }>;
  series: ShopView['series'];
  errorCounts: Record<string, number>;
  latestErrors: JobRecord[];
  resetError?: string;
}

export interface SimulationOptions {
  shops: ShopEndpoint[];
  seed: number;
  cadence: Cadence;
  ticks: number;
  timeoutMs: number;
  onTick?: (done: number) => void;
}

export const RUN_STREAM_KEY = 'run';
const LATEST_ERRORS = 50;

export async function simulate(options: SimulationOptions): Promise<SimulatedShop[]> {
  const runs: SimulatedShop[] = await Promise.all(
    options.shops.map(async (shop): Promise<SimulatedShop> => {
      const reset = await callShop(shop, 'POST', '/admin/reset', { timeoutMs: options.timeoutMs });
      const state = initialState();
      return {
        url: shop.baseUrl,
        state,
        sales: emptySales(),
        series: [{ tick: -1, gold: state.books.gold, net_worth: netWorth(state.books) }],
        errorCounts: reset.ok ? {} : { 'reset:failed': 1 },
        latestErrors: [],
        ...(reset.ok ? {} : { resetError: reset.error ?? 'reset failed' }),
      };
    }),
  );
  for (let tick = 0; tick < options.ticks; tick++) {
    await Promise.all(
      options.shops.map(async (shop, i) => {
        const run = runs[i];
        if (!run) return;
        const result = await runShopTick({
          seed: options.seed,
          cadence: options.cadence,
          streamKey: RUN_STREAM_KEY,
          tick,
          shop,
          state: run.state,
          timeoutMs: options.timeoutMs,
        });
        run.state = result.state;
        for (const sale of result.sales) {
          const s = run.sales[sale.className] ?? { potions: 0, gold: 0 };
          run.sales[sale.className] = { potions: s.potions + sale.potions, gold: s.gold + sale.gold };
        }
        for (const job of result.jobs) {
          if (job.ok || !job.kind) continue;
          run.errorCounts[job.kind] = (run.errorCounts[job.kind] ?? 0) + 1;
          run.latestErrors.push(job);
        }
        if (run.latestErrors.length > LATEST_ERRORS) run.latestErrors.splice(0, run.latestErrors.length - LATEST_ERRORS);
        run.series.push({ tick, gold: run.state.books.gold, net_worth: netWorth(run.state.books) });
      }),
    );
    options.onTick?.(tick + 1);
  }
  return runs;
}

export function viewOf(run: SimulatedShop, index: number): ShopView {
  return shopView({
    id: index + 1,
    name: run.url,
    url: run.url,
    state: run.state,
    sales: run.sales,
    series: run.series,
    errorCounts: run.errorCounts,
    latestErrors: run.latestErrors
      .slice(-10)
      .reverse()
      .map((j) => ({ tick: j.tick, job: j.job, error: j.error ?? '' })),
  });
}

export interface RunSummary {
  seed: number;
  ticks: number;
  cadence: Cadence;
  shops: {
    url: string;
    gold: number;
    net_worth: number;
    potions_sold: number;
    errors: { total: number; by_kind: Record<string, number> };
    reputation: Record<string, { value: number; quality: number; reliability: number; recognition: number }>;
  }[];
}

export function summarize(options: Pick<SimulationOptions, 'seed' | 'ticks' | 'cadence'>, views: ShopView[]): RunSummary {
  return {
    seed: options.seed,
    ticks: options.ticks,
    cadence: options.cadence,
    shops: views.map((v) => ({
      url: v.url,
      gold: v.gold,
      net_worth: v.net_worth,
      potions_sold: v.potions_sold,
      errors: v.errors,
      reputation: Object.fromEntries(
        Object.entries(v.reputation).map(([c, r]) => [
          c,
          { value: r.value, quality: r.quality, reliability: r.reliability, recognition: r.recognition },
        ]),
      ),
    })),
  };
}
