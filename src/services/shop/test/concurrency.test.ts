import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { shopService } from '../index.js';
import { barrel, client, ENV, warrior } from './fixtures.js';

// PGlite runs one statement at a time, which would prove nothing about races: real PostgreSQL only.
describe.runIf(hasRealPostgres)('shop under concurrency (real PostgreSQL)', () => {
  let t: TestApp;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await buildTestApp([shopService], { env: ENV });
    call = client(t);
    await call('POST', '/barrels/deliver/1', [barrel('SMALL_RED_BARREL', 1_000, [1, 0, 0, 0], 100)]);
    await call('POST', '/bottler/deliver/1', [{ potion_type: [100, 0, 0, 0], quantity: 10 }]);
    await call('POST', '/info/current_time', { day: 'Crownday', hour: 10 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets 50 carts race for the last 10 potions without overselling or charging twice', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const id = (await call('POST', '/carts', { ...warrior, customer_name: `Racer ${i}` })).json<{ cart_id: number }>().cart_id;
        const added = await call('POST', `/carts/${id}/items/MIX_100_0_0_0`, { quantity: 1 });
        if (added.status !== 204) return { added: added.status, checkout: 0, paid: 0 };
        // Each accepted cart checks out twice at once: it must be paid exactly once.
        const [a, b] = await Promise.all([
          call('POST', `/carts/${id}/checkout`, { payment: 'x' }),
          call('POST', `/carts/${id}/checkout`, { payment: 'x' }),
        ]);
        expect(a.body).toEqual(b.body);
        return { added: 204, checkout: a.status, paid: a.json<{ total_gold_paid: number }>().total_gold_paid };
      }),
    );
    const accepted = outcomes.filter((o) => o.added === 204);
    expect(accepted).toHaveLength(10);
    expect(outcomes.filter((o) => o.added !== 204).every((o) => o.added === 409)).toBe(true);
    expect(accepted.every((o) => o.checkout === 200 && o.paid === 50)).toBe(true);
    expect((await call('GET', '/inventory/audit')).body).toEqual({ number_of_potions: 0, ml_in_barrels: 0, gold: 500 });
    const [row] = await queryRows<{ quantity: number; reserved: number; sales: number }>(
      t.platform.db,
      sql`SELECT (SELECT sum(quantity)::int FROM shop.potions) AS quantity, (SELECT sum(reserved)::int FROM shop.potions) AS reserved,
        (SELECT count(*)::int FROM shop.ledger_transactions WHERE kind = 'checkout') AS sales`,
    );
    expect(row).toEqual({ quantity: 0, reserved: 0, sales: 10 });
  });

  it('applies concurrent retries of one delivery exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/barrels/deliver/77', [barrel('MINI_GREEN', 200, [0, 1, 0, 0], 60)])),
    );
    expect(results.every((r) => r.status === 204)).toBe(true);
    expect((await call('GET', '/inventory/audit')).body).toEqual({ number_of_potions: 0, ml_in_barrels: 200, gold: 440 });
  });
});
