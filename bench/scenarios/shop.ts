import type { BenchContext, Scenario } from '../types.js';

const SHOP_KEY = 'bench-shop-key-0123456789abcdef';
const SKU = 'MIX_100_0_0_0';
const json = { 'content-type': 'application/json', access_token: SHOP_KEY };

let orderId = 1_000;

async function call(ctx: BenchContext, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${ctx.baseUrl}/shop${path}`, {
    method,
    headers: json,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

interface Audit {
  number_of_potions: number;
  ml_in_barrels: number;
  gold: number;
}

/** Fills liquid (free barrels) and bottles red potions up to capacity; buys capacity with the takings. */
async function restock(ctx: BenchContext, units: { potion: number; ml: number }, maxUnits: number): Promise<void> {
  let audit = (await call(ctx, 'GET', '/inventory/audit')) as Audit;
  const buy = Math.min(10, Math.floor(audit.gold / 1_000), maxUnits - units.potion);
  if (buy > 0) {
    const ml = Math.min(Math.floor(buy / 2), 10);
    await call(ctx, 'POST', `/inventory/deliver/${orderId++}`, { potion_capacity: buy - ml, ml_capacity: ml });
    units.potion += buy - ml;
    units.ml += ml;
  }
  for (let round = 0; round < 20; round++) {
    audit = (await call(ctx, 'GET', '/inventory/audit')) as Audit;
    const room = units.potion * 50 - audit.number_of_potions;
    if (room < 1) return;
    const mlRoom = units.ml * 10_000 - audit.ml_in_barrels;
    const want = Math.min(room * 100, mlRoom);
    if (want > 0) {
      await call(ctx, 'POST', `/barrels/deliver/${orderId++}`, [
        { sku: 'FREE_RED', ml_per_barrel: want, potion_type: [1, 0, 0, 0], price: 0, quantity: 1 },
      ]);
    }
    audit = (await call(ctx, 'GET', '/inventory/audit')) as Audit;
    const bottle = Math.min(room, Math.floor(audit.ml_in_barrels / 100));
    if (bottle < 1) return;
    await call(ctx, 'POST', `/bottler/deliver/${orderId++}`, [{ potion_type: [100, 0, 0, 0], quantity: bottle }]);
  }
}

async function sellOne(ctx: BenchContext): Promise<void> {
  const { cart_id } = (await call(ctx, 'POST', '/carts', { customer_name: 'Bench', character_class: 'Warrior', level: 5 })) as {
    cart_id: number;
  };
  await call(ctx, 'POST', `/carts/${cart_id}/items/${SKU}`, { quantity: 1 });
  await call(ctx, 'POST', `/carts/${cart_id}/checkout`, { payment: 'bench' });
}

/** A fresh shop with plenty of listed red potions: sells its way up to `units` potion capacity. */
async function prepare(ctx: BenchContext, targetUnits: number): Promise<{ potion: number; ml: number }> {
  await call(ctx, 'POST', '/admin/reset');
  await call(ctx, 'POST', '/info/current_time', { day: 'Crownday', hour: 12 });
  const units = { potion: 1, ml: 1 };
  while (units.potion < targetUnits) {
    await restock(ctx, units, targetUnits);
    const audit = (await call(ctx, 'GET', '/inventory/audit')) as Audit;
    const sell = Math.min(audit.number_of_potions, Math.ceil((Math.min(10, targetUnits - units.potion) * 1_000 - audit.gold) / 50));
    for (let i = 0; i < sell; i += 20) await Promise.all(Array.from({ length: Math.min(20, sell - i) }, () => sellOne(ctx)));
    if (sell <= 0 && audit.gold < 1_000) break;
  }
  await restock(ctx, units, targetUnits);
  return units;
}

export const shopScenarios: Scenario[] = [
  {
    name: 'shop.catalog',
    description: 'GET /shop/catalog/ (public, cached, invalidated on every stock change) with stock listed',
    target: { minRatio: 0.3 },
    env: { SHOP_API_KEY: SHOP_KEY },
    run: async (ctx) => {
      await prepare(ctx, 1);
      return { load: await ctx.load({ url: `${ctx.baseUrl}/shop/catalog/` }) };
    },
  },
  {
    name: 'shop.cart-flow',
    description: 'Full customer flows (create cart, add item, checkout) with a restocker running; req/s reported as flows/s',
    target: { minRatio: 0.05 },
    env: { SHOP_API_KEY: SHOP_KEY },
    run: async (ctx) => {
      const units = await prepare(ctx, 30);
      let running = true;
      const restocker = (async () => {
        while (running) {
          await restock(ctx, units, 60);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const raw = await ctx
        .load({
          url: ctx.baseUrl,
          requests: [
            {
              method: 'POST',
              path: '/shop/carts',
              headers: json,
              body: JSON.stringify({ customer_name: 'Bench', character_class: 'Warrior', level: 5 }),
              onResponse: (_status, body, context) => {
                (context as { cartId?: number }).cartId = (JSON.parse(body) as { cart_id: number }).cart_id;
              },
            },
            {
              method: 'POST',
              headers: json,
              body: JSON.stringify({ quantity: 1 }),
              setupRequest: (req, context) => ({
                ...req,
                path: `/shop/carts/${String((context as { cartId?: number }).cartId)}/items/${SKU}`,
              }),
            },
            {
              method: 'POST',
              headers: json,
              body: JSON.stringify({ payment: 'bench' }),
              setupRequest: (req, context) => ({ ...req, path: `/shop/carts/${String((context as { cartId?: number }).cartId)}/checkout` }),
            },
          ],
        })
        .finally(() => {
          running = false;
        });
      await restocker;
      return {
        load: { ...raw, requestsPerSec: raw.requestsPerSec / 3 },
        notes: {
          requestsPerSec: Math.round(raw.requestsPerSec),
          flowsPerSec: Math.round(raw.requestsPerSec / 3),
          potionUnits: units.potion,
        },
      };
    },
  },
];
