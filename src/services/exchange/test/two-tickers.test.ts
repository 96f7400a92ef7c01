import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, hasRealPostgres, type TestPlatform } from '../../../../test/harness.js';
import { loadConfig } from '../../../platform/config.js';
import { queryRows } from '../../../platform/db.js';
import { createLogger } from '../../../platform/logger.js';
import { createPlatform, type Platform } from '../../../platform/platform.js';
import { createExchange } from '../index.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

const ADMIN = 'exchange-operator-key-for-tests';

describe.runIf(hasRealPostgres)('only one process ticks at a time (real PostgreSQL)', () => {
  let first: TestPlatform;
  let second: Platform;
  let shops: FixtureShop[];
  let base: string;
  let closeFixture: () => Promise<void>;

  beforeAll(async () => {
    const fixture = await createShopFixture(2);
    shops = fixture.shops;
    base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
    closeFixture = () => fixture.app.close();
    first = await createTestPlatform({ env: { EXCHANGE_ADMIN_KEY: ADMIN } });
    const config = loadConfig({ LOG_LEVEL: 'silent', EXCHANGE_ADMIN_KEY: ADMIN, DATABASE_URL: first.databaseUrl ?? '' });
    second = await createPlatform(config, createLogger(config));
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await closeFixture();
  });

  it('two tickers racing on one database run each tick exactly once', async () => {
    for (const shop of shops) shop.faults.delayMs.set('info/current_time', 15);
    const a = createExchange(first, { timeoutMs: 2_000 });
    const b = createExchange(second, { timeoutMs: 2_000 });
    for (const [i, shop] of shops.entries()) await a.register({ name: `s${i}`, base_url: `${base}${shop.prefix}`, api_key: shop.apiKey });
    const target = 20;
    const ran = { a: 0, b: 0 };
    const loop = async (ticker: typeof a, who: 'a' | 'b') => {
      while ((await ticker.clockStatus()).tick < target) {
        const tick = await ticker.tickOnce();
        if (tick !== undefined) ran[who]++;
        else await new Promise((r) => setTimeout(r, 1));
      }
    };
    await Promise.all([loop(a, 'a'), loop(b, 'b'), loop(a, 'a'), loop(b, 'b')]);
    const runs = ran.a + ran.b;
    expect(runs).toBeGreaterThanOrEqual(target);
    expect(runs).toBeLessThanOrEqual(target + 3);
    const clock = await a.clockStatus();
    expect(clock.tick).toBe(runs);
    const rows = await queryRows<{ shop_id: number; tick: number; n: number }>(
      first.db,
      sql`select shop_id, tick, count(*)::int as n from exchange.job_log where job = 'time' group by shop_id, tick order by shop_id, tick`,
    );
    expect(rows).toHaveLength(2 * runs);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const ticks = rows.filter((r) => r.shop_id === rows[0]?.shop_id).map((r) => r.tick);
    expect(ticks).toEqual(Array.from({ length: runs }, (_, i) => i));
  });
});
