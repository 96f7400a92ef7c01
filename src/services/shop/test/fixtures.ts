import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';

export const KEY = 'test-shop-key-0123456789';
export const ENV = { SHOP_API_KEY: KEY, SHOP_STRATEGY: 'baseline' };

export function client(t: TestApp) {
  return async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, key: string | null = KEY) => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.access_token = key;
    const res = await t.app.inject({
      method,
      url: `/shop${url}`,
      headers,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return {
      status: res.statusCode,
      body: res.body ? (JSON.parse(res.body) as unknown) : undefined,
      json: <T>() => JSON.parse(res.body) as T,
    };
  };
}

export const barrel = (sku: string, ml: number, type: number[], price: number, quantity = 1) => ({
  sku,
  ml_per_barrel: ml,
  potion_type: type,
  price,
  quantity,
});

export const warrior = { customer_id: 'c1', customer_name: 'Brunhild', character_class: 'Warrior', character_species: 'Jötnar', level: 7 };
export const oldShapeCustomer = { customer_name: 'Old Tom', character_class: 'Seer', level: 3 };

/** The ledger's kept balances (shop.ledger_balances, what the audit reads) equal the sums of its entries. */
export async function expectBalancesMatchLedger(t: TestApp): Promise<void> {
  const rows = (query: ReturnType<typeof sql>) => queryRows<{ epoch: number; account: string; balance: number }>(t.platform.db, query);
  const kept = await rows(
    sql`SELECT epoch, account, balance::bigint AS balance FROM shop.ledger_balances WHERE balance <> 0 ORDER BY 1, 2`,
  );
  const summed = await rows(sql`SELECT epoch, account, sum(delta)::bigint AS balance FROM shop.ledger_entries
    GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2`);
  expect(kept.length).toBeGreaterThan(0);
  expect(kept).toEqual(summed);
}

/** The sales tally (shop.sales_by_tick) equals the aggregation of every sold cart it summarizes. */
export async function expectTallyMatchesCarts(t: TestApp): Promise<void> {
  const rows = (query: ReturnType<typeof sql>) =>
    queryRows<{ epoch: number; tick: number; sku: string; hour: number; quantity: number }>(t.platform.db, query);
  const tally = await rows(sql`SELECT epoch, tick, sku, hour, quantity FROM shop.sales_by_tick ORDER BY 1, 2, 3, 4`);
  const carts =
    await rows(sql`SELECT c.epoch, c.closed_tick AS tick, ci.sku, coalesce(c.game_hour, 0) AS hour, sum(ci.quantity)::int AS quantity
    FROM shop.carts c JOIN shop.cart_items ci ON ci.cart_id = c.id WHERE c.status = 'checked_out' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  expect(tally.length).toBeGreaterThan(0);
  expect(tally).toEqual(carts);
}
