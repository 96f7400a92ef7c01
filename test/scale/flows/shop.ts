import { expect } from 'vitest';
import { queryRows } from '../../../src/platform/db.js';
import { pick, type Reply, randomInt, unknownOutcome } from '../support/api.js';
import { sleep } from '../support/processes.js';
import { type Flow, type FlowContext, SECRETS } from './types.js';

const COLOURS = ['red', 'green', 'blue', 'dark'] as const;
type Endpoint = 'barrels' | 'bottler' | 'inventory';

/** What an accepted delivery or checkout does to the books. */
interface Effect {
  gold: number;
  ml: [number, number, number, number];
  potions: number;
}

interface Delivery {
  endpoint: Endpoint;
  id: number;
  body: unknown;
  effect: Effect;
  /** true = applied (204), false = refused (409), undefined = unknown yet. */
  applied: boolean | undefined;
}

const key = { access_token: SECRETS.SHOP_API_KEY };
const customer = (n: number) => ({
  customer_id: `c${n}`,
  customer_name: `Customer ${n}`,
  character_class: pick(['Warrior', 'Seer', 'Druid']),
  character_species: 'Folk',
  level: randomInt(1, 20),
});

/**
 * The shop's books under concurrent deliveries (barrels, bottling, capacity — some sent twice at once
 * through both servers) and customers' carts (some checked out twice at once). At the end the ledger,
 * the audit and the materialized balances all equal the sum of the accepted operations.
 */
export function shopFlow({ api, db }: FlowContext): Flow {
  const deliveries: Delivery[] = [];
  const carts = new Map<number, { paid: { potions: number; gold: number } | undefined; unknown: boolean }>();
  let nextOrder = 1;
  let customers = 0;

  /** 204 anywhere: applied (once). Otherwise any unknown answer: unknown. Otherwise refused. */
  const record = (d: Delivery, results: Reply[]) => {
    for (const res of results) {
      if (res.status !== 204 && res.status !== 409 && !unknownOutcome(res)) {
        throw new Error(`${d.endpoint} delivery: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    if (results.some((r) => r.status === 204)) d.applied = true;
    else if (results.some(unknownOutcome)) d.applied = undefined;
    else d.applied = false;
  };

  async function deliver(d: Delivery, twice: boolean): Promise<void> {
    deliveries.push(d);
    const send = (server?: number) =>
      api.call(`shop.${d.endpoint}`, 'POST', `/shop/${d.endpoint}/deliver/${d.id}`, {
        headers: key,
        body: d.body,
        ...(server !== undefined ? { server } : {}),
      });
    // Sent twice at once through both servers: it must be booked once.
    record(d, twice ? await Promise.all([send(0), send(1 % api.servers)]) : [await send()]);
  }

  function barrels(): Delivery {
    const colour = randomInt(0, 1);
    const ml = pick([100, 200, 500]);
    const price = Math.max(1, ml / 50);
    const mix = [0, 0, 0, 0];
    mix[colour] = 1;
    const effectMl: Effect['ml'] = [0, 0, 0, 0];
    effectMl[colour] = ml;
    return {
      endpoint: 'barrels',
      id: nextOrder++,
      body: [{ sku: `SMALL_${COLOURS[colour]?.toUpperCase()}_BARREL`, ml_per_barrel: ml, potion_type: mix, price, quantity: 1 }],
      effect: { gold: -price, ml: effectMl, potions: 0 },
      applied: undefined,
    };
  }

  function bottles(): Delivery {
    const colour = randomInt(0, 1);
    const quantity = randomInt(1, 3);
    const mix = [0, 0, 0, 0];
    mix[colour] = 100;
    const effectMl: Effect['ml'] = [0, 0, 0, 0];
    effectMl[colour] = -100 * quantity;
    return {
      endpoint: 'bottler',
      id: nextOrder++,
      body: [{ potion_type: mix, quantity }],
      effect: { gold: 0, ml: effectMl, potions: quantity },
      applied: undefined,
    };
  }

  function capacity(): Delivery {
    return {
      endpoint: 'inventory',
      id: nextOrder++,
      body: { potion_capacity: 1, ml_capacity: 0 },
      effect: { gold: -1000, ml: [0, 0, 0, 0], potions: 0 },
      applied: undefined,
    };
  }

  async function checkout(cartId: number, twice: boolean): Promise<void> {
    const cart = carts.get(cartId);
    if (!cart) return;
    const send = (server?: number) =>
      api.call('shop.checkout', 'POST', `/shop/carts/${cartId}/checkout`, {
        headers: key,
        body: { payment: 'gold' },
        ...(server !== undefined ? { server } : {}),
      });
    const results = twice ? await Promise.all([send(0), send(1 % api.servers)]) : [await send()];
    for (const res of results) {
      if (res.status === 200) {
        const paid = res.body as { total_potions_bought: number; total_gold_paid: number };
        const answer = { potions: paid.total_potions_bought, gold: paid.total_gold_paid };
        // Paid exactly once: every answer for one cart is the first answer.
        if (cart.paid) expect(answer, `cart ${cartId} checked out once`).toEqual(cart.paid);
        cart.paid = answer;
      } else if (unknownOutcome(res)) cart.unknown = true;
      else throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  async function shopper(): Promise<void> {
    const created = await api.call('shop.cart', 'POST', '/shop/carts', { headers: key, body: customer(++customers) });
    if (created.status !== 200) {
      if (unknownOutcome(created)) return;
      throw new Error(`create cart: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const cartId = (created.body as { cart_id: number }).cart_id;
    const catalog = await api.call('shop.catalog', 'GET', '/shop/catalog');
    if (catalog.status !== 200) return;
    const items = catalog.body as { sku: string; quantity: number }[];
    if (items.length === 0) return;
    const item = pick(items);
    const added = await api.call('shop.add', 'POST', `/shop/carts/${cartId}/items/${item.sku}`, {
      headers: key,
      body: { quantity: randomInt(1, Math.min(2, item.quantity)) },
    });
    // 409: others reserved the stock first (or it was relisted); 404: no longer listed.
    if (added.status !== 204) {
      if (added.status !== 409 && added.status !== 404 && !unknownOutcome(added)) throw new Error(`add to cart: ${added.status}`);
      return;
    }
    carts.set(cartId, { paid: undefined, unknown: false });
    await checkout(cartId, Math.random() < 0.3);
  }

  return {
    name: 'shop',
    async setup() {
      const audit = await api.call('shop.audit', 'GET', '/shop/inventory/audit', { headers: key });
      expect(audit.body).toEqual({ number_of_potions: 0, ml_in_barrels: 0, gold: 100 });
    },
    async step() {
      const r = Math.random();
      if (r < 0.25) await deliver(barrels(), Math.random() < 0.2);
      else if (r < 0.5) await deliver(bottles(), Math.random() < 0.2);
      else if (r < 0.53) await deliver(capacity(), Math.random() < 0.2);
      else await shopper();
    },
    async settle() {
      // A delivery or checkout answered 503 may have been applied: the same call again says which
      // (idempotent by id), and applies it now if it was not.
      for (const d of deliveries.filter((x) => x.applied === undefined)) {
        await untilDefinite(async () => {
          const res = await api.call(`shop.${d.endpoint}`, 'POST', `/shop/${d.endpoint}/deliver/${d.id}`, { headers: key, body: d.body });
          record(d, [res]);
          return d.applied !== undefined;
        });
      }
      for (const [id, cart] of carts) {
        if (cart.paid) continue;
        await untilDefinite(async () => {
          await checkout(id, false);
          return cart.paid !== undefined;
        });
      }
    },
    async check() {
      expect(
        deliveries.filter((d) => d.applied === undefined),
        'every delivery resolved',
      ).toEqual([]);
      const expected = { gold: 100, ml: [0, 0, 0, 0], potions: 0, potionUnits: 1 };
      for (const d of deliveries.filter((x) => x.applied)) {
        expected.gold += d.effect.gold;
        d.effect.ml.forEach((m, c) => {
          expected.ml[c] = (expected.ml[c] ?? 0) + m;
        });
        expected.potions += d.effect.potions;
        if (d.endpoint === 'inventory') expected.potionUnits += 1;
      }
      for (const cart of carts.values()) {
        expect(cart.paid, 'every cart with an item was checked out').toBeDefined();
        expected.gold += cart.paid?.gold ?? 0;
        expected.potions -= cart.paid?.potions ?? 0;
      }
      expect(deliveries.filter((d) => d.applied).length, 'some deliveries were accepted (the load did something)').toBeGreaterThan(0);
      const audit = await api.call('shop.audit', 'GET', '/shop/inventory/audit', { headers: key });
      expect(audit.body, 'audit (from the ledger) = sum of accepted operations').toEqual({
        number_of_potions: expected.potions,
        ml_in_barrels: expected.ml.reduce((a, b) => a + b, 0),
        gold: expected.gold,
      });
      const [state] = await queryRows<Record<string, number>>(
        db,
        'SELECT gold, ml_red, ml_green, ml_blue, ml_dark, potions, potion_units FROM shop.state WHERE id = 1',
      );
      expect(state, 'materialized balances = sum of accepted operations').toEqual({
        gold: expected.gold,
        ml_red: expected.ml[0],
        ml_green: expected.ml[1],
        ml_blue: expected.ml[2],
        ml_dark: expected.ml[3],
        potions: expected.potions,
        potion_units: expected.potionUnits,
      });
      const [stock] = await queryRows<{ quantity: number; reserved: number }>(
        db,
        'SELECT coalesce(sum(quantity), 0)::int AS quantity, coalesce(sum(reserved), 0)::int AS reserved FROM shop.potions WHERE epoch = 1',
      );
      expect(stock?.quantity, 'potions per mix add up').toBe(expected.potions);
      // Each accepted delivery and each paid cart is one ledger transaction, never two.
      const refs = await queryRows<{ kind: string; reference: string; n: number }>(
        db,
        "SELECT kind, reference, count(*)::int AS n FROM shop.ledger_transactions WHERE kind <> 'open' GROUP BY 1, 2",
      );
      expect(
        refs.filter((r) => r.n !== 1),
        'no operation booked twice',
      ).toEqual([]);
      const kindOf: Record<Endpoint, string> = { barrels: 'barrels', bottler: 'bottler', inventory: 'capacity' };
      const booked = new Set(refs.map((r) => `${r.kind}:${r.reference}`));
      const acceptedRefs = deliveries.filter((d) => d.applied).map((d) => `${kindOf[d.endpoint]}:${d.id}`);
      for (const [id, cart] of carts) if ((cart.paid?.potions ?? 0) > 0) acceptedRefs.push(`checkout:${id}`);
      expect([...booked].sort()).toEqual(acceptedRefs.sort());
    },
  };
}

/** Repeats a call until it has a definite answer (the dependencies are back by now). */
async function untilDefinite(attempt: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await attempt()) return;
    await sleep(200);
  }
  throw new Error('a retried call never got a definite answer');
}
