import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { shopService } from '../index.js';
import { barrel, client, expectBalancesMatchLedger, expectTallyMatchesCarts, KEY, warrior } from './fixtures.js';

const DAYS = ['Edgeday', 'Bloomday', 'Arcanaday', 'Hearthday', 'Crownday', 'Blesseday', 'Soulday'];
const OFFER = [
  barrel('SMALL_RED_BARREL', 500, [1, 0, 0, 0], 100, 10),
  barrel('SMALL_GREEN_BARREL', 500, [0, 1, 0, 0], 100, 10),
  barrel('MEDIUM_BLUE_BARREL', 2_500, [0, 0, 1, 0], 300, 10),
  barrel('MEDIUM_RED_BARREL', 2_500, [1, 0, 0, 0], 250, 10),
  barrel('LARGE_DARK_BARREL', 10_000, [0, 0, 0, 1], 750, 30),
];

interface Plan {
  sku?: string;
  quantity: number;
  potion_type?: number[];
}

describe('the adaptive shop driven like a simulator for two game days', () => {
  let t: TestApp;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await buildTestApp([shopService], { env: { SHOP_API_KEY: KEY } });
    call = client(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('only makes plans its own deliveries accept, and the books match what the simulator saw', async () => {
    let gold = 100;
    let potions = 0;
    let order = 1;
    let sold = 0;
    for (let tick = 0; tick < 24; tick++) {
      expect((await call('POST', '/info/current_time', { day: DAYS[Math.floor(tick / 12) % 7], hour: 2 * (tick % 12) })).status).toBe(204);
      if (tick % 12 === 0) {
        const capacity = (await call('POST', '/inventory/plan')).json<{ potion_capacity: number; ml_capacity: number }>();
        expect((await call('POST', `/inventory/deliver/${order++}`, capacity)).status).toBe(204);
        gold -= 1_000 * (capacity.potion_capacity + capacity.ml_capacity);
        const plan = (await call('POST', '/barrels/plan', OFFER)).json<Plan[]>();
        const bought = plan.map((p) => ({ ...OFFER.find((o) => o.sku === p.sku), quantity: p.quantity }));
        expect((await call('POST', `/barrels/deliver/${order++}`, bought)).status).toBe(204);
        gold -= bought.reduce((n, b) => n + (b.price ?? 0) * b.quantity, 0);
      }
      if (tick % 2 === 0) {
        const plan = (await call('POST', '/bottler/plan')).json<Plan[]>();
        expect((await call('POST', `/bottler/deliver/${order++}`, plan)).status).toBe(204);
        potions += plan.reduce((n, p) => n + p.quantity, 0);
      }
      const catalog = (await call('GET', '/catalog/', undefined, null)).json<{ sku: string; quantity: number; price: number }[]>();
      expect(catalog.length).toBeLessThanOrEqual(6);
      await call('POST', `/carts/visits/${tick}`, [warrior]);
      const first = catalog[0];
      if (first) {
        const { cart_id } = (await call('POST', '/carts', warrior)).json<{ cart_id: number }>();
        expect((await call('POST', `/carts/${cart_id}/items/${first.sku}`, { quantity: 1 })).status).toBe(204);
        const paid = (await call('POST', `/carts/${cart_id}/checkout`, { payment: 'coins' })).json<{ total_gold_paid: number }>();
        expect(paid.total_gold_paid).toBe(first.price);
        gold += first.price;
        potions -= 1;
        sold++;
      }
      expect((await call('GET', '/inventory/audit')).json<{ gold: number; number_of_potions: number }>()).toMatchObject({
        gold,
        number_of_potions: potions,
      });
    }
    expect(sold).toBeGreaterThanOrEqual(12);
    await expectTallyMatchesCarts(t);
    await expectBalancesMatchLedger(t);
  });
});
