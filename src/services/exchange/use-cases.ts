/** The exchange's behaviours: the shop register, the books' views, resets and the game clock. */
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { PG, pgConstraint, pgErrorCode } from '../../platform/db.js';
import { AppError, errors } from '../../platform/errors.js';
import { initialState, netWorth, resetEntries, startEntries } from './domain/books.js';
import { type Cadence, gameTime } from './domain/model/index.js';
import { callShop } from './engine/shop-client.js';
import { type JobRecord, runShopTick } from './engine/tick.js';
import { type ShopView, shopView } from './engine/view.js';
import type { KeyBox } from './key-box.js';
import type { ExchangeStore, ShopRow } from './store.js';
import type { TickLock } from './tick-lock.js';

export interface ExchangeDeps {
  store: ExchangeStore;
  keyBox: KeyBox;
  lock: TickLock;
  clock: Clock;
  logger: Logger;
  seed: number;
  cadence: Cadence;
  tickSeconds: number;
  /** Per-call timeout towards shops (10 s by the spec; tests shorten it). */
  timeoutMs: number;
}

export const SERIES_LIMIT = 336;
export const MAX_ADVANCE = 84;

export function createExchangeUseCases(deps: ExchangeDeps) {
  const { store, keyBox, lock, logger } = deps;

  async function view(row: ShopRow): Promise<ShopView> {
    const [series, sales, errorCounts, latestErrors] = await Promise.all([
      store.series(row.id, row.epochTick, SERIES_LIMIT),
      store.salesByClass(row.id, row.epochTick),
      store.errorCounts(row.id, row.epochTick),
      store.latestErrors(row.id, 10),
    ]);
    return shopView({
      id: row.id,
      name: row.name,
      url: row.baseUrl,
      state: row.state,
      sales,
      series: series.map((s) => ({ tick: s.tick, gold: s.gold, net_worth: s.net_worth })),
      errorCounts,
      latestErrors,
    });
  }

  async function mustGet(id: number): Promise<ShopRow> {
    const row = await store.getShop(id);
    if (!row) throw errors.notFound(`No shop ${id} is registered; GET /exchange/shops lists them.`, 'SHOP_NOT_FOUND');
    return row;
  }

  async function tickShop(row: ShopRow, tick: number): Promise<void> {
    if (row.state.lastTick !== undefined && row.state.lastTick >= tick) return;
    const apiKey = keyBox.open(row.apiKeyCipher);
    let jobs: JobRecord[];
    let result: Awaited<ReturnType<typeof runShopTick>> | undefined;
    if (apiKey === undefined) {
      const error = 'the stored API key cannot be decrypted (EXCHANGE_ADMIN_KEY changed since it was registered); register the shop again';
      jobs = [{ tick, job: 'time', request: null, ok: false, httpStatus: null, latencyMs: 0, error, kind: 'config:key' }];
    } else {
      result = await runShopTick({
        seed: deps.seed,
        cadence: deps.cadence,
        streamKey: row.name,
        tick,
        shop: { baseUrl: row.baseUrl, apiKey },
        state: row.state,
        timeoutMs: deps.timeoutMs,
      });
      jobs = result.jobs;
    }
    const state = { ...(result?.state ?? row.state), lastTick: tick };
    const sales: Record<string, { potions: number; gold: number }> = {};
    for (const s of result?.sales ?? []) {
      const prev = sales[s.className] ?? { potions: 0, gold: 0 };
      sales[s.className] = { potions: prev.potions + s.potions, gold: prev.gold + s.gold };
    }
    const saved = await store.saveTick({
      shopId: row.id,
      version: row.version,
      tick,
      state,
      entries: result?.ledger ?? [],
      jobs,
      gold: state.books.gold,
      netWorth: netWorth(state.books),
      visitors: result?.visitors ?? 0,
      sales,
    });
    if (!saved) logger.info({ shopId: row.id, tick }, 'shop changed during its tick (reset or deleted); tick discarded');
  }

  /** One tick of every registered shop, concurrently; a shop's failure never stops the others. */
  async function runTick(): Promise<number> {
    const started = performance.now();
    const { tick, rows } = await store.tickContext();
    await Promise.all(
      rows.map((row) =>
        tickShop(row, tick).catch((err: unknown) => {
          logger.error({ err, shopId: row.id, tick }, 'recording a shop tick failed');
        }),
      ),
    );
    await store.finishTick(tick, Math.round(performance.now() - started), deps.clock.now());
    return tick;
  }

  return {
    view,
    async list(): Promise<ShopView[]> {
      const rows = await store.listShops();
      return Promise.all(rows.map(view));
    },
    async show(id: number): Promise<ShopView> {
      return view(await mustGet(id));
    },
    async register(input: { name?: string | undefined; base_url: string; api_key: string }): Promise<ShopView> {
      const url = normaliseUrl(input.base_url);
      // Names are at most 80 characters; a long URL used as the default name is cut to fit.
      const name = input.name ?? url.slice(0, 80);
      const { tick } = await store.getClock();
      try {
        const row = await store.insertShop({
          name,
          baseUrl: url,
          apiKeyCipher: keyBox.seal(input.api_key),
          state: initialState(),
          epochTick: tick,
          opening: startEntries(),
        });
        return view(row);
      } catch (err) {
        if (pgErrorCode(err) === PG.uniqueViolation && pgConstraint(err) === 'shops_name_unique') {
          throw errors.conflict(`A shop named ${JSON.stringify(name)} is already registered; choose another name.`, 'SHOP_NAME_TAKEN');
        }
        throw err;
      }
    },
    /** Registers (or re-keys) the shop of this process under the name "local". */
    async ensureLocal(baseUrl: string, apiKey: string): Promise<void> {
      const existing = await store.getShopByName('local');
      if (existing) await store.updateConnection(existing.id, baseUrl, keyBox.seal(apiKey));
      else
        await this.register({ name: 'local', base_url: baseUrl, api_key: apiKey }).catch((err: unknown) => {
          if (!(err instanceof AppError && err.statusCode === 409)) throw err;
        });
    },
    async remove(id: number): Promise<void> {
      if (!(await store.deleteShop(id))) throw errors.notFound(`No shop ${id} is registered.`, 'SHOP_NOT_FOUND');
    },
    /** "Burn shop to ground": the shop's own /admin/reset, then the books (only when the shop reset). */
    async reset(id: number): Promise<ShopView> {
      const row = await mustGet(id);
      const apiKey = keyBox.open(row.apiKeyCipher);
      if (apiKey === undefined)
        throw errors.conflict(
          'The stored API key cannot be decrypted (EXCHANGE_ADMIN_KEY changed); register the shop again.',
          'SHOP_KEY_UNREADABLE',
        );
      const answer = await callShop({ baseUrl: row.baseUrl, apiKey }, 'POST', '/admin/reset', { timeoutMs: deps.timeoutMs });
      if (!answer.ok)
        throw new AppError(502, 'SHOP_RESET_FAILED', `The shop did not reset, so its books were kept: ${answer.error ?? 'unknown error'}`);
      const { tick } = await store.getClock();
      const updated = await store.resetShop(id, tick, (current) => ({
        state: initialState(current.nextOrderId, current.nextVisitId),
        entries: resetEntries(current.books),
      }));
      if (!updated) throw errors.notFound(`No shop ${id} is registered.`, 'SHOP_NOT_FOUND');
      return view(updated);
    },
    async history(id: number, limit: number, beforeJobId: number | undefined) {
      const row = await mustGet(id);
      const [series, jobs] = await Promise.all([store.series(id, 0, limit), store.jobs(id, beforeJobId, limit)]);
      return {
        shop_id: row.id,
        epoch_tick: row.epochTick,
        series,
        jobs: jobs.map((j) => ({
          id: j.id,
          tick: j.tick,
          job: j.job,
          request: j.request,
          ok: j.ok,
          http_status: j.httpStatus,
          latency_ms: j.latencyMs,
          error: j.error,
          kind: j.kind,
          at: j.createdAt.toISOString(),
        })),
      };
    },
    async clockStatus() {
      const c = await store.getClock();
      const g = gameTime(c.tick);
      return {
        tick: c.tick,
        day: g.day,
        hour: g.hour,
        running: deps.tickSeconds > 0,
        tick_seconds: deps.tickSeconds,
        seed: deps.seed,
        cadence: deps.cadence,
        last_tick_at: c.lastTickAt?.toISOString() ?? null,
        last_tick_ms: c.lastTickMs,
      };
    },
    /** One tick under the cluster-wide lock; `undefined` when another ticker holds it. */
    async tickOnce(): Promise<number | undefined> {
      const outcome = await lock.tryRun(runTick);
      return outcome.ran ? outcome.value : undefined;
    },
    /** Advances the clock by `ticks`, waiting up to `waitMs` for a ticker that holds the lock. */
    async advance(ticks: number, waitMs = 10_000): Promise<{ ticks_run: number; tick: number }> {
      if (!Number.isInteger(ticks) || ticks < 1 || ticks > MAX_ADVANCE)
        throw errors.badRequest(`ticks must be an integer 1–${MAX_ADVANCE}.`);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const outcome = await lock.tryRun(async () => {
          let last = 0;
          for (let i = 0; i < ticks; i++) last = await runTick();
          return last + 1;
        });
        if (outcome.ran) return { ticks_run: ticks, tick: outcome.value };
        if (Date.now() >= deadline)
          throw errors.conflict('Another process is ticking the clock right now; try again in a moment.', 'CLOCK_BUSY');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export type ExchangeUseCases = ReturnType<typeof createExchangeUseCases>;

function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw errors.badRequest(`base_url ${JSON.stringify(raw)} is not a URL; send e.g. http://localhost:3000/shop.`, 'BAD_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw errors.badRequest('base_url must be an http(s) URL.', 'BAD_URL');
  if (url.search || url.hash) throw errors.badRequest('base_url must not carry a query or fragment.', 'BAD_URL');
  return url.toString().replace(/\/+$/, '');
}
