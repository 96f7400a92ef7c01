import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/harness.js';
import { createExchange, startTicker } from '../index.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

let p: TestPlatform;
let shop: FixtureShop;
let base: string;
let closeFixture: () => Promise<void>;

beforeAll(async () => {
  const fixture = await createShopFixture(1);
  const first = fixture.shops[0];
  if (!first) throw new Error('fixture');
  shop = first;
  base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  closeFixture = () => fixture.app.close();
  p = await createTestPlatform({ env: { EXCHANGE_ADMIN_KEY: 'exchange-operator-key-for-tests' } });
});
afterAll(async () => {
  await p.close();
  await closeFixture();
});

describe('real-time clock', () => {
  it('registers the local shop once (re-keying it on restart) and ticks it on an interval until stopped', async () => {
    const exchange = createExchange(p, { timeoutMs: 2_000 });
    await exchange.ensureLocal(`${base}/nowhere`, 'old-key');
    await exchange.ensureLocal(`${base}${shop.prefix}`, shop.apiKey);
    const shops = await exchange.list();
    expect(shops.map((s) => [s.name, s.url])).toEqual([['local', `${base}${shop.prefix}`]]);
    const errors: unknown[] = [];
    const ticker = startTicker(exchange, 0.02, (err) => errors.push(err));
    const deadline = Date.now() + 20_000;
    while ((await exchange.clockStatus()).tick < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await ticker.stop();
    const stoppedAt = (await exchange.clockStatus()).tick;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 200));
    expect((await exchange.clockStatus()).tick).toBe(stoppedAt);
    expect(errors).toEqual([]);
    const local = await exchange.show(shops[0]?.id ?? 0);
    expect(local.errors.total).toBe(0);
    expect(local.series.length).toBe(stoppedAt);
  }, 60_000);
});
