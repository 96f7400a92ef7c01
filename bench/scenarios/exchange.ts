import type { FastifyInstance } from 'fastify';
import { createShopFixture } from '../../src/services/exchange/test/fixtures/simple-shop.js';
import type { BenchContext, Scenario } from '../types.js';

const ADMIN = 'bench-exchange-operator-key-0123456789';
// The local shop is registered with the server's own key (whatever the shop scenarios set).
const env = { EXCHANGE_ADMIN_KEY: ADMIN, EXCHANGE_REGISTER_LOCAL_SHOP: 'true' };
const auth = { authorization: `Bearer ${ADMIN}` };

async function api<T>(ctx: BenchContext, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ctx.baseUrl}/exchange${path}`, {
    method,
    headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

type Shop = { id: number; name: string; gold: number; net_worth: number; potions_sold: number; errors: { total: number } };

async function removeShops(ctx: BenchContext, keep: (s: Shop) => boolean): Promise<Shop[]> {
  const shops = await api<Shop[]>(ctx, 'GET', '/shops');
  for (const s of shops) if (!keep(s)) await api(ctx, 'DELETE', `/shops/${s.id}`);
  return shops.filter(keep);
}

async function advance(ctx: BenchContext, ticks: number, chunk: number): Promise<void> {
  for (let done = 0; done < ticks; done += chunk) await api(ctx, 'POST', '/clock/advance', { ticks: Math.min(chunk, ticks - done) });
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

export const exchangeScenarios: Scenario[] = [
  {
    name: 'exchange.four-weeks',
    description: '336 ticks (four game weeks) against our shop (or the fixture shop when ours does not answer), embedded db',
    target: { maxWallMs: 60_000 },
    env,
    run: async (ctx) => {
      const ours = await fetch(`${ctx.baseUrl}/shop/`).then(
        (r) => r.ok,
        () => false,
      );
      let fixture: FastifyInstance | undefined;
      try {
        let shop: Shop | undefined;
        if (ours) {
          [shop] = await removeShops(ctx, (s) => s.name === 'local');
          if (shop) await api(ctx, 'POST', `/shops/${shop.id}/reset`);
        } else {
          await removeShops(ctx, () => false);
          const f = await createShopFixture(1);
          fixture = f.app;
          const base = await listen(f.app);
          const first = f.shops[0];
          if (!first) throw new Error('fixture has no shop');
          shop = await api<Shop>(ctx, 'POST', '/shops', { name: 'fixture', base_url: `${base}${first.prefix}`, api_key: first.apiKey });
        }
        if (!shop) throw new Error('no shop to tick');
        const started = performance.now();
        await advance(ctx, 336, 12);
        const wallMs = performance.now() - started;
        const after = await api<Shop>(ctx, 'GET', `/shops/${shop.id}`);
        return {
          wallMs,
          notes: {
            shop: ours ? 'ours (/shop)' : 'fixture (ours did not answer)',
            ticksPerSec: Number((336 / (wallMs / 1000)).toFixed(1)),
            gold: after.gold,
            netWorth: after.net_worth,
            potionsSold: after.potions_sold,
            errors: after.errors.total,
          },
        };
      } finally {
        await fixture?.close();
      }
    },
  },
  {
    name: 'exchange.200-shops',
    description: 'one tick for 200 registered lightweight local shops (fixture shops in the bench process)',
    target: { maxWallMs: 30_000 },
    env,
    run: async (ctx) => {
      await removeShops(ctx, () => false);
      const f = await createShopFixture(200);
      try {
        const base = await listen(f.app);
        for (const [i, shop] of f.shops.entries()) {
          await api(ctx, 'POST', '/shops', { name: `light-${i}`, base_url: `${base}${shop.prefix}`, api_key: shop.apiKey });
        }
        // Warm up to a daytime tick with stock on the shelves, then time one tick.
        await advance(ctx, 16, 16);
        const started = performance.now();
        await advance(ctx, 1, 1);
        const wallMs = performance.now() - started;
        const shops = await api<Shop[]>(ctx, 'GET', '/shops');
        return {
          wallMs,
          notes: {
            shops: shops.length,
            errors: shops.reduce((a, s) => a + s.errors.total, 0),
            sold: shops.reduce((a, s) => a + s.potions_sold, 0),
          },
        };
      } finally {
        await removeShops(ctx, () => false).catch(() => undefined);
        await f.app.close();
      }
    },
  },
];
