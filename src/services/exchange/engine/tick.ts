/**
 * One tick of one shop, in the order of specs/exchange.md: time, capacity, barrels, bottling, customers,
 * audit. Calls go to the shop one after another; the books change only for jobs that fully succeed.
 * A timeout or an unreachable shop ends the shop's tick ("site down"): the remaining steps are skipped
 * and that tick's customers count the trip as failed, so one slow shop costs at most one timeout —
 * and, however its calls are spread, at most the tick's budget.
 */
import { applyEntries, auditDifferences, type Books, entry, type LedgerEntry, mixKey, type ShopState } from '../domain/books.js';
import {
  type Barrel,
  type Cadence,
  choosePurchase,
  gameTime,
  recordTrip,
  reputationMultiplier,
  reputationScore,
  type ShelfItem,
  schedule,
  visitorsOfTick,
  wholesaleOffer,
  worldRandom,
} from '../domain/model/index.js';
import {
  checkAuditShape,
  checkBarrelPlan,
  checkBottlePlan,
  checkCapacityPlan,
  checkCartCreated,
  checkCatalog,
  checkCheckout,
} from '../domain/validate.js';
import { type CallOutcome, callShop, type ShopEndpoint } from './shop-client.js';

export interface JobRecord {
  tick: number;
  job: string;
  request: unknown;
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** `job:reason` of a failure (e.g. `barrels:invalid`, `catalog:timeout`); null when ok. */
  kind: string | null;
}

export interface SaleRecord {
  className: string;
  potions: number;
  gold: number;
}

export interface TickResult {
  tick: number;
  state: ShopState;
  ledger: LedgerEntry[];
  jobs: JobRecord[];
  sales: SaleRecord[];
  visitors: number;
}

export interface TickInput {
  seed: number;
  cadence: Cadence;
  /** The key of the shop's random streams (see worldRandom). */
  streamKey: string;
  tick: number;
  shop: ShopEndpoint;
  state: ShopState;
  /** One call's time limit. */
  timeoutMs: number;
  /**
   * The whole tick's time limit (default 3 × timeoutMs): a shop answering every call just under the
   * call limit would otherwise hold its tick for minutes. Past it, the next call counts as timed out.
   */
  budgetMs?: number;
}

class ShopDown extends Error {}

export async function runShopTick(input: TickInput): Promise<TickResult> {
  const { tick, shop, timeoutMs } = input;
  let state: ShopState = structuredClone(input.state);
  const ledger: LedgerEntry[] = [];
  const jobs: JobRecord[] = [];
  const sales: SaleRecord[] = [];
  let down = false;
  /** Visitors whose trip is already recorded. */
  let served = 0;

  const book = (entries: LedgerEntry[]) => {
    ledger.push(...entries);
    state = { ...state, books: applyEntries(state.books, entries) };
  };
  const log = (job: string, request: unknown, outcomes: CallOutcome[], error?: { message: string; reason: string }) => {
    const last = outcomes[outcomes.length - 1];
    const failed = outcomes.find((o) => !o.ok);
    const message = error?.message ?? failed?.error ?? null;
    const reason = error?.reason ?? failed?.reason;
    jobs.push({
      tick,
      job,
      request,
      ok: message === null,
      httpStatus: (failed ?? last)?.status ?? null,
      latencyMs: outcomes.reduce((sum, o) => sum + o.latencyMs, 0),
      error: message,
      kind: message === null ? null : `${job}:${reason ?? 'invalid'}`,
    });
    if (failed && (failed.reason === 'timeout' || failed.reason === 'unreachable')) {
      down = true;
      throw new ShopDown();
    }
  };
  const budgetMs = input.budgetMs ?? 3 * timeoutMs;
  const budget = { deadline: performance.now() + budgetMs, ms: budgetMs };
  const call = (method: 'GET' | 'POST', path: string, body?: unknown, opts: { auth?: boolean; json?: boolean } = {}) =>
    callShop(shop, method, path, { body, timeoutMs, budget, ...opts });
  const invalid = (message: string) => ({ message, reason: 'invalid' });

  const g = gameTime(tick);
  const plan = schedule(tick, input.cadence);
  const multipliers = Object.fromEntries(Object.entries(state.reputation).map(([c, r]) => [c, reputationMultiplier(reputationScore(r))]));
  const visitors = visitorsOfTick(input.seed, input.streamKey, tick, (c) => multipliers[c] ?? 1);

  try {
    // 1. Time.
    const timeBody = { day: g.day, hour: g.hour };
    log('time', timeBody, [await call('POST', '/info/current_time', timeBody)]);

    // 2. Capacity, once a day.
    if (plan.capacity) {
      const planned = await call('POST', '/inventory/plan', undefined, { json: true });
      if (!planned.ok) log('capacity', null, [planned]);
      else {
        const checked = checkCapacityPlan(planned.body, state.books);
        if (!checked.ok) log('capacity', planned.body, [planned], invalid(checked.error));
        else if (checked.value.potion_capacity + checked.value.ml_capacity > 0) {
          const orderId = state.nextOrderId++;
          const delivered = await call('POST', `/inventory/deliver/${orderId}`, checked.value);
          log('capacity', { order_id: orderId, ...checked.value }, [planned, delivered]);
          if (delivered.ok) {
            const { potion_capacity: p, ml_capacity: m } = checked.value;
            book([entry('capacity', { gold: -(p + m) * 1000, potionCapacity: p, mlCapacity: m })]);
          }
        } else log('capacity', checked.value, [planned]);
      }
    }

    // 3. Barrels.
    if (plan.barrels) {
      const offer: Barrel[] = wholesaleOffer(input.seed, input.streamKey, tick);
      const planned = await call('POST', '/barrels/plan', offer, { json: true });
      if (!planned.ok) log('barrels', { offer }, [planned]);
      else {
        const checked = checkBarrelPlan(planned.body, offer, state.books);
        if (!checked.ok) log('barrels', { offer, plan: planned.body }, [planned], invalid(checked.error));
        else if (checked.value.bought.length > 0) {
          const orderId = state.nextOrderId++;
          const delivered = await call('POST', `/barrels/deliver/${orderId}`, checked.value.bought);
          log('barrels', { order_id: orderId, bought: checked.value.bought }, [planned, delivered]);
          if (delivered.ok) book([entry('barrels', { gold: -checked.value.cost, ml: checked.value.ml })]);
        } else log('barrels', { offer, plan: [] }, [planned]);
      }
    }

    // 4. Bottling.
    if (plan.bottling) {
      const planned = await call('POST', '/bottler/plan', undefined, { json: true });
      if (!planned.ok) log('bottling', null, [planned]);
      else {
        const checked = checkBottlePlan(planned.body, state.books);
        if (!checked.ok) log('bottling', planned.body, [planned], invalid(checked.error));
        else if (checked.value.length > 0) {
          const orderId = state.nextOrderId++;
          const delivered = await call('POST', `/bottler/deliver/${orderId}`, checked.value);
          log('bottling', { order_id: orderId, potions: checked.value }, [planned, delivered]);
          if (delivered.ok) {
            const ml: Books['ml'] = [0, 0, 0, 0];
            const entries = checked.value.map((item) => {
              for (let c = 0; c < 4; c++) ml[c] = (ml[c] ?? 0) - (item.potion_type[c] ?? 0) * item.quantity;
              return entry('bottling', { mix: mixKey(item.potion_type), potions: item.quantity });
            });
            book([entry('bottling', { ml }), ...entries]);
          }
        } else log('bottling', [], [planned]);
      }
    }

    // 5. Customers.
    await serveCustomers();

    // 6. Audit, at the last tick of the day.
    if (plan.audit) {
      const audited = await call('GET', '/inventory/audit', undefined, { json: true });
      if (!audited.ok) log('audit', null, [audited]);
      else {
        const shape = checkAuditShape(audited.body);
        const diffs = shape.ok ? auditDifferences(state.books, shape.value) : [];
        const error = !shape.ok
          ? invalid(shape.error)
          : diffs.length > 0
            ? { message: `audit differs from the books: ${diffs.join('; ')}`, reason: 'mismatch' }
            : undefined;
        log('audit', audited.body, [audited], error);
      }
    }
  } catch (err) {
    if (!(err instanceof ShopDown)) throw err;
  }
  if (down) {
    // Customers who came while the site was down had a failed trip (unless served before it went down).
    for (const v of visitors.slice(served)) tripOf(v.character_class, { error: true });
  }
  return { tick, state, ledger, jobs, sales, visitors: visitors.length };

  // ── helpers sharing the tick's state ──
  function tripOf(className: string, trip: Parameters<typeof recordTrip>[1]) {
    const current = state.reputation[className];
    if (current) state = { ...state, reputation: { ...state.reputation, [className]: recordTrip(current, trip) } };
  }

  async function serveCustomers() {
    const catalog = await call('GET', '/catalog/', undefined, { auth: false, json: true });
    if (!catalog.ok) log('catalog', null, [catalog]);
    const checked = catalog.ok ? checkCatalog(catalog.body, state.books) : undefined;
    if (checked && !checked.ok) log('catalog', catalog.body, [catalog], invalid(checked.error));
    if (checked?.ok) {
      const problems = checked.value.problems;
      log(
        'catalog',
        catalog.body,
        [catalog],
        problems.length > 0
          ? { message: problems.join('; '), reason: checked.value.missingStock ? 'missing_stock' : 'invalid' }
          : undefined,
      );
    }
    if (visitors.length > 0) {
      const visitId = state.nextVisitId++;
      const customers = visitors.map(wireCustomer);
      log('visits', { visit_id: visitId, customers: customers.length }, [await call('POST', `/carts/visits/${visitId}`, customers)]);
    }
    if (!checked?.ok) {
      for (const v of visitors) tripOf(v.character_class, { error: true });
      served = visitors.length;
      return;
    }
    const shelf: ShelfItem[] = checked.value.items.map((i) => ({
      sku: i.sku,
      price: i.price,
      potion_type: i.potion_type,
      available: i.quantity,
    }));
    const stockError = checked.value.missingStock;
    const rng = worldRandom(input.seed, input.streamKey, tick, 'choices');
    for (const v of visitors) {
      const choice = choosePurchase(v, shelf, rng);
      if (!choice) {
        tripOf(v.character_class, { error: stockError });
        served++;
        continue;
      }
      const item = shelf.find((s) => s.sku === choice.sku);
      if (item) item.available -= choice.quantity;
      // A purchase that finds the site down throws; the visitor is then counted with the unserved ones.
      const ok = await purchase(v, choice.sku, choice.quantity, choice.price, item?.potion_type ?? [0, 0, 0, 0]);
      tripOf(v.character_class, ok ? { error: stockError, purchase: choice } : { error: true });
      served++;
    }
  }

  async function purchase(
    v: (typeof visitors)[number],
    sku: string,
    quantity: number,
    price: number,
    mix: readonly number[],
  ): Promise<boolean> {
    const request = { customer_id: v.customer_id, sku, quantity, price };
    const outcomes: CallOutcome[] = [];
    const created = await call('POST', '/carts/', wireCustomer(v), { json: true });
    outcomes.push(created);
    if (!created.ok) return logFalse(request, outcomes);
    const cart = checkCartCreated(created.body);
    if (!cart.ok) return logFalse(request, outcomes, invalid(cart.error));
    const added = await call('POST', `/carts/${cart.value}/items/${encodeURIComponent(sku)}`, { quantity });
    outcomes.push(added);
    if (!added.ok) return logFalse(request, outcomes);
    const paid = await call('POST', `/carts/${cart.value}/checkout`, { payment: 'gold' }, { json: true });
    outcomes.push(paid);
    if (!paid.ok) return logFalse(request, outcomes);
    const total = checkCheckout(paid.body, { potions: quantity, gold: price * quantity });
    if (!total.ok) return logFalse(request, outcomes, invalid(total.error));
    log('purchase', { ...request, cart_id: cart.value }, outcomes);
    book([entry('sale', { gold: price * quantity, mix: mixKey(mix), potions: -quantity })]);
    sales.push({ className: v.character_class, potions: quantity, gold: price * quantity });
    return true;
  }

  function logFalse(request: unknown, outcomes: CallOutcome[], error?: { message: string; reason: string }): false {
    log('purchase', request, outcomes, error);
    return false;
  }
}

function wireCustomer(v: {
  customer_id: string;
  customer_name: string;
  character_class: string;
  character_species: string;
  level: number;
}) {
  return {
    customer_id: v.customer_id,
    customer_name: v.customer_name,
    character_class: v.character_class,
    character_species: v.character_species,
    level: v.level,
  };
}
