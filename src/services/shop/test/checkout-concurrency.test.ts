import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { shopService } from '../index.js';
import { barrel, client, ENV, expectBalancesMatchLedger, expectTallyMatchesCarts, warrior } from './fixtures.js';

const RED = 'MIX_100_0_0_0';

// PGlite runs one statement at a time, which would prove nothing about races: real PostgreSQL only.
describe.runIf(hasRealPostgres)('batched checkout under concurrency (real PostgreSQL)', () => {
  let t: TestApp;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await buildTestApp([shopService], { env: ENV });
    call = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  // Each test starts from a reset shop holding 50 red potions at 50 gold and 100 gold.
  beforeEach(async () => {
    expect((await call('POST', '/admin/reset')).status).toBe(204);
    expect((await call('POST', '/barrels/deliver/1', [barrel('FREE_RED', 5_000, [1, 0, 0, 0], 0)])).status).toBe(204);
    expect((await call('POST', '/bottler/deliver/1', [{ potion_type: [100, 0, 0, 0], quantity: 50 }])).status).toBe(204);
    expect((await call('POST', '/info/current_time', { day: 'Crownday', hour: 10 })).status).toBe(204);
  });

  async function cartWith(quantity: number, name = 'Racer'): Promise<number> {
    const id = (await call('POST', '/carts', { ...warrior, customer_name: name })).json<{ cart_id: number }>().cart_id;
    expect((await call('POST', `/carts/${id}/items/${RED}`, { quantity })).status).toBe(204);
    return id;
  }

  async function books() {
    const [row] = await queryRows<{ quantity: number; reserved: number; potions: number; gold: number; sales: number; entries: number }>(
      t.platform.db,
      sql`SELECT (SELECT sum(p.quantity)::int FROM shop.potions p JOIN shop.state s ON s.epoch = p.epoch) AS quantity,
        (SELECT sum(p.reserved)::int FROM shop.potions p JOIN shop.state s ON s.epoch = p.epoch) AS reserved,
        (SELECT potions FROM shop.state) AS potions, (SELECT gold::int FROM shop.state) AS gold,
        (SELECT count(*)::int FROM shop.ledger_transactions t JOIN shop.state s ON s.epoch = t.epoch WHERE kind = 'checkout') AS sales,
        (SELECT count(*)::int FROM shop.ledger_entries e JOIN shop.ledger_transactions t ON t.id = e.transaction_id
          JOIN shop.state s ON s.epoch = t.epoch WHERE kind = 'checkout') AS entries`,
    );
    return row;
  }

  it('opens 60 carts requested at once (batched into shared INSERTs), each with its own id and customer', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `Opener ${i}`);
    const answers = await Promise.all(
      names.map((name, i) => call('POST', '/carts', { ...warrior, customer_name: name, level: (i % 20) + 1 })),
    );
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
    const ids = answers.map((a) => a.json<{ cart_id: number }>().cart_id);
    expect(new Set(ids).size).toBe(60);
    const rows = await queryRows<{ id: number; customer_name: string; level: number; tick: number }>(
      t.platform.db,
      sql`SELECT id, customer_name, level, tick FROM shop.carts WHERE id = ANY (${`{${ids.join(',')}}`}::int[])`,
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    names.forEach((name, i) => {
      expect(byId.get(ids[i] as number)).toMatchObject({ customer_name: name, level: (i % 20) + 1 });
    });
  });

  it('sells 40 carts checked out at once, each paid once, with the books exactly right', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => cartWith(1, `Buyer ${i}`)));
    const answers = await Promise.all(ids.map((id) => call('POST', `/carts/${id}/checkout`, { payment: 'coins' })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.map((a) => a.body)).toEqual(ids.map(() => ({ total_potions_bought: 1, total_gold_paid: 50 })));
    expect((await call('GET', '/inventory/audit')).body).toEqual({ number_of_potions: 10, ml_in_barrels: 0, gold: 2_100 });
    expect(await books()).toEqual({ quantity: 10, reserved: 0, potions: 10, gold: 2_100, sales: 40, entries: 80 });
    await expectTallyMatchesCarts(t);
    await expectBalancesMatchLedger(t);
  });

  it('pays a cart checked out 20 times at once exactly once, every answer carrying the same totals', async () => {
    const id = await cartWith(3);
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/carts/${id}/checkout`, { payment: 'coins' })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(answers.map((a) => a.body)).toEqual(answers.map(() => ({ total_potions_bought: 3, total_gold_paid: 150 })));
    expect((await call('GET', '/inventory/audit')).body).toEqual({ number_of_potions: 47, ml_in_barrels: 0, gold: 250 });
    expect(await books()).toEqual({ quantity: 47, reserved: 0, potions: 47, gold: 250, sales: 1, entries: 2 });
  });

  it('answers a mixed crowd of open, paid, abandoned and unknown carts each correctly', async () => {
    const abandoned = await cartWith(1);
    for (let hour = 11; hour <= 22; hour++) await call('POST', '/info/current_time', { day: 'Crownday', hour });
    const paid = await cartWith(2);
    await call('POST', `/carts/${paid}/checkout`, {});
    const open = await Promise.all(Array.from({ length: 10 }, () => cartWith(1)));
    const sent = [
      ...open.map((id) => ({ id, want: 200 })),
      { id: paid, want: 200 },
      { id: abandoned, want: 409 },
      { id: 999_999, want: 404 },
    ];
    const answers = await Promise.all([...sent, ...sent].map(({ id }) => call('POST', `/carts/${id}/checkout`, { payment: 'x' })));
    expect(answers.map((a) => a.status)).toEqual([...sent, ...sent].map((s) => s.want));
    const codes = answers.filter((a) => a.status !== 200).map((a) => a.json<{ code: string }>().code);
    expect(codes).toEqual(['CART_ABANDONED', 'CART_NOT_FOUND', 'CART_ABANDONED', 'CART_NOT_FOUND']);
    expect(answers.find((_, i) => [...sent, ...sent][i]?.id === paid)?.body).toEqual({ total_potions_bought: 2, total_gold_paid: 100 });
    // 11 carts sold (10 now, one before): 12 potions for 600 gold.
    expect(await books()).toEqual({ quantity: 38, reserved: 0, potions: 38, gold: 700, sales: 11, entries: 22 });
    expect((await call('GET', '/inventory/audit')).body).toEqual({ number_of_potions: 38, ml_in_barrels: 0, gold: 700 });
  });

  it('never leaves a reservation behind nor sells an unpaid item when add-to-cart races checkout', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => cartWith(1, `Racer ${i}`)));
    const raced = await Promise.all(
      ids.map(async (id) => {
        const [put, out] = await Promise.all([
          call('PUT', `/carts/${id}/items/${RED}`, { quantity: 2 }),
          call('POST', `/carts/${id}/checkout`, { payment: 'x' }),
        ]);
        return { id, put: put.status, paid: out.json<{ total_potions_bought: number; total_gold_paid: number }>() };
      }),
    );
    for (const r of raced) {
      // Either the change went in before the checkout (and is paid) or it was refused after it.
      expect([204, 409]).toContain(r.put);
      const potions = r.put === 204 ? 2 : 1;
      expect(r.paid).toEqual({ total_potions_bought: potions, total_gold_paid: 50 * potions });
    }
    const sold = raced.reduce((n, r) => n + r.paid.total_potions_bought, 0);
    expect(await books()).toEqual({ quantity: 50 - sold, reserved: 0, potions: 50 - sold, gold: 100 + 50 * sold, sales: 20, entries: 40 });
    const lines = await queryRows<{ cart_id: number; quantity: number; total_potions: number }>(
      t.platform.db,
      sql`SELECT ci.cart_id, ci.quantity, c.total_potions FROM shop.cart_items ci JOIN shop.carts c ON c.id = ci.cart_id
        WHERE c.id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
    );
    expect(lines.every((l) => l.quantity === l.total_potions)).toBe(true);
  });
});
