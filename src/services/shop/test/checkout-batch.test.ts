import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { strategyFor } from '../domain/strategies.js';
import { shopService } from '../index.js';
import { createCartOps } from '../use-cases/cart-ops.js';
import { barrel, client, ENV, warrior } from './fixtures.js';

const RED = 'MIX_100_0_0_0';

let t: TestApp;
let call: ReturnType<typeof client>;
let cartOps: ReturnType<typeof createCartOps>;
let checkout: ReturnType<typeof createCartOps>['checkout'];
beforeAll(async () => {
  t = await buildTestApp([shopService], { env: ENV });
  call = client(t);
  // A second entry on the same database: calls made in one turn are one batch, for certain.
  cartOps = createCartOps({
    db: t.platform.db,
    dbHandle: t.platform.dbHandle,
    strategy: strategyFor('baseline'),
    catalogCache: t.platform.cache('shop:catalog'),
  });
  checkout = cartOps.checkout;
  await call('POST', '/barrels/deliver/1', [barrel('FREE_RED', 5_000, [1, 0, 0, 0], 0)]);
  await call('POST', '/bottler/deliver/1', [{ potion_type: [100, 0, 0, 0], quantity: 50 }]);
  await call('POST', '/info/current_time', { day: 'Crownday', hour: 0 });
});
afterAll(async () => {
  await t?.close();
});

async function cartWith(quantity: number): Promise<number> {
  const id = (await call('POST', '/carts', warrior)).json<{ cart_id: number }>().cart_id;
  if (quantity > 0) expect((await call('POST', `/carts/${id}/items/${RED}`, { quantity })).status).toBe(204);
  return id;
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: { statusCode?: number; code?: string }) => ({ error: { statusCode: error.statusCode, code: error.code } }),
  );

async function books() {
  const [row] = await queryRows<{ quantity: number; reserved: number; potions: number; gold: number; sales: number }>(
    t.platform.db,
    sql`SELECT (SELECT sum(quantity)::int FROM shop.potions) AS quantity, (SELECT sum(reserved)::int FROM shop.potions) AS reserved,
      (SELECT potions FROM shop.state) AS potions, (SELECT gold::int FROM shop.state) AS gold,
      (SELECT count(*)::int FROM shop.ledger_transactions WHERE kind = 'checkout') AS sales`,
  );
  return row;
}

describe('batched cart requests', () => {
  it('answers each checkout of one batch as it would alone: open, paid, abandoned, unknown and repeated carts', async () => {
    const abandoned = await cartWith(1);
    for (let i = 1; i <= 12; i++) expect((await call('POST', '/info/current_time', { day: 'Crownday', hour: i })).status).toBe(204);
    const paid = await cartWith(3);
    expect((await call('POST', `/carts/${paid}/checkout`, { payment: 'earlier' })).body).toEqual({
      total_potions_bought: 3,
      total_gold_paid: 150,
    });
    const one = await cartWith(1);
    const two = await cartWith(2);
    const empty = await cartWith(0);
    const before = await books();

    const answers = await Promise.all([
      settle(checkout(one, 'a')),
      settle(checkout(paid, 'b')),
      settle(checkout(abandoned, 'c')),
      settle(checkout(999_999, 'd')),
      settle(checkout(two, undefined)),
      settle(checkout(one, 'again')),
      settle(checkout(empty, 'e')),
    ]);
    expect(answers).toEqual([
      { value: { total_potions_bought: 1, total_gold_paid: 50 } },
      { value: { total_potions_bought: 3, total_gold_paid: 150 } },
      { error: { statusCode: 409, code: 'CART_ABANDONED' } },
      { error: { statusCode: 404, code: 'CART_NOT_FOUND' } },
      { value: { total_potions_bought: 2, total_gold_paid: 100 } },
      { value: { total_potions_bought: 1, total_gold_paid: 50 } },
      { value: { total_potions_bought: 0, total_gold_paid: 0 } },
    ]);
    // Three potions sold for 150 gold, two ledger transactions (an empty cart posts nothing).
    expect(await books()).toEqual({
      quantity: (before?.quantity ?? 0) - 3,
      reserved: 0,
      potions: (before?.potions ?? 0) - 3,
      gold: (before?.gold ?? 0) + 150,
      sales: (before?.sales ?? 0) + 2,
    });
    const closed = await queryRows<{ id: number; status: string; payment: string | null; total_potions: number; total_gold: number }>(
      t.platform.db,
      sql`SELECT id, status, payment, total_potions, total_gold FROM shop.carts WHERE id IN (${one}, ${two}, ${empty}) ORDER BY id`,
    );
    expect(closed).toEqual([
      { id: one, status: 'checked_out', payment: 'a', total_potions: 1, total_gold: 50 },
      { id: two, status: 'checked_out', payment: null, total_potions: 2, total_gold: 100 },
      { id: empty, status: 'checked_out', payment: 'e', total_potions: 0, total_gold: 0 },
    ]);
    const entries = await queryRows<{ reference: string; account: string; delta: number }>(
      t.platform.db,
      sql`SELECT t.reference, e.account, e.delta::int AS delta FROM shop.ledger_transactions t JOIN shop.ledger_entries e ON e.transaction_id = t.id
        WHERE t.kind = 'checkout' AND t.reference IN (${String(one)}, ${String(two)}, ${String(empty)}) ORDER BY t.reference::int, e.account`,
    );
    expect(entries).toEqual([
      { reference: String(one), account: 'gold', delta: 50 },
      { reference: String(one), account: `potions:${RED}`, delta: -1 },
      { reference: String(two), account: 'gold', delta: 100 },
      { reference: String(two), account: `potions:${RED}`, delta: -2 },
    ]);
  });

  it('judges adds and checkouts of one batch in arrival order: a checkout sells the line just set, a later add finds the cart closed', async () => {
    const a = await cartWith(1);
    const b = await cartWith(0);
    const before = await books();
    const answers = await Promise.all([
      settle(cartOps.setItem(a, RED, 3)),
      settle(cartOps.setItem(b, RED, 2)),
      settle(checkout(a, 'a')),
      settle(cartOps.setItem(a, RED, 1)),
      settle(cartOps.setItem(b, 'MIX_0_100_0_0', 1)),
      settle(cartOps.setItem(b, RED, 1_000)),
      settle(checkout(b, 'b')),
    ]);
    expect(answers).toEqual([
      { value: undefined },
      { value: undefined },
      { value: { total_potions_bought: 3, total_gold_paid: 150 } },
      { error: { statusCode: 409, code: 'CART_CLOSED' } },
      { error: { statusCode: 404, code: 'SKU_NOT_LISTED' } },
      { error: { statusCode: 409, code: 'OUT_OF_STOCK' } },
      { value: { total_potions_bought: 2, total_gold_paid: 100 } },
    ]);
    // Five potions sold (one was reserved before the batch); nothing stays reserved.
    expect(await books()).toEqual({
      quantity: (before?.quantity ?? 0) - 5,
      reserved: 0,
      potions: (before?.potions ?? 0) - 5,
      gold: (before?.gold ?? 0) + 250,
      sales: (before?.sales ?? 0) + 2,
    });
    const lines = await queryRows<{ cart_id: number; quantity: number }>(
      t.platform.db,
      sql`SELECT cart_id, quantity FROM shop.cart_items WHERE cart_id IN (${a}, ${b}) ORDER BY cart_id`,
    );
    expect(lines).toEqual([
      { cart_id: a, quantity: 3 },
      { cart_id: b, quantity: 2 },
    ]);
  });

  it('keeps the audit equal to the materialized balances after batched sales', async () => {
    const a = (await call('GET', '/inventory/audit')).json<{ number_of_potions: number; gold: number }>();
    const b = await books();
    expect({ potions: b?.potions, gold: b?.gold, stock: b?.quantity }).toEqual({
      potions: a.number_of_potions,
      gold: a.gold,
      stock: a.number_of_potions,
    });
  });

  it('does not fail a whole batch for one cart the database refuses: the others still sell', async () => {
    const good = await cartWith(1);
    const bad = await cartWith(1);
    // A line that was never reserved: selling it breaks the reservation check, so this cart cannot be sold.
    await t.platform.db.execute(
      sql`INSERT INTO shop.cart_items (cart_id, sku, name, quantity, unit_price) VALUES (${bad}, 'MIX_0_0_0_100', 'dark potion', 1, 1)`,
    );
    await t.platform.db.execute(
      sql`INSERT INTO shop.potions (epoch, sku, red, green, blue, dark, quantity) SELECT epoch, 'MIX_0_0_0_100', 0, 0, 0, 100, 1 FROM shop.state`,
    );
    const before = await books();
    const [a, b, c] = await Promise.all([settle(checkout(good, 'x')), settle(checkout(bad, 'x')), settle(checkout(good, 'x'))]);
    expect(a).toEqual({ value: { total_potions_bought: 1, total_gold_paid: 50 } });
    expect(c).toEqual(a);
    expect(b).toHaveProperty('error');
    expect(await books()).toMatchObject({ gold: (before?.gold ?? 0) + 50, sales: (before?.sales ?? 0) + 1 });
    const [badCart] = await queryRows<{ status: string }>(t.platform.db, sql`SELECT status FROM shop.carts WHERE id = ${bad}`);
    expect(badCart?.status).toBe('open');
  });
});
