import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEntries, initialState, startEntries, startingBooks } from '../domain/books.js';
import { TICKS_PER_WEEK } from '../domain/model/index.js';
import { simulate } from '../engine/simulate.js';
import { runShopTick } from '../engine/tick.js';
import { createShopFixture, type FixtureShop } from './fixtures/simple-shop.js';

let close: () => Promise<void>;
let base: string;
let shops: FixtureShop[];

beforeAll(async () => {
  const fixture = await createShopFixture(3);
  shops = fixture.shops;
  base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  close = () => fixture.app.close();
});
afterAll(async () => close());

const endpoint = (i: number) => {
  const shop = shops[i];
  if (!shop) throw new Error('no shop');
  return { baseUrl: `${base}${shop.prefix}`, apiKey: shop.apiKey };
};

describe('tick engine against a well-behaved shop', () => {
  it('plays a full game week without a single error and its books equal the shop’s own', async () => {
    const [run] = await simulate({ shops: [endpoint(0)], seed: 1, cadence: 'seed', ticks: TICKS_PER_WEEK, timeoutMs: 2_000 });
    if (!run) throw new Error('no run');
    expect(run.errorCounts).toEqual({});
    const shop = shops[0];
    if (!shop) throw new Error('no shop');
    expect(run.state.books.gold).toBe(shop.state.gold);
    expect(run.state.books.ml).toEqual(shop.state.ml);
    const sold = Object.values(run.sales).reduce((a, s) => a + s.potions, 0);
    expect(sold).toBeGreaterThan(30);
    expect(run.state.books.gold).toBeGreaterThan(1000);
  }, 120_000);

  it('is reproducible: the same seed and shop behaviour give the same results', async () => {
    const [a] = await simulate({ shops: [endpoint(1)], seed: 7, cadence: 'current', ticks: 24, timeoutMs: 2_000 });
    const [b] = await simulate({ shops: [endpoint(1)], seed: 7, cadence: 'current', ticks: 24, timeoutMs: 2_000 });
    expect(a?.series).toEqual(b?.series);
    expect(a?.sales).toEqual(b?.sales);
  }, 120_000);

  it('gives a shop the same results whatever other shops play alongside it', async () => {
    const [alone] = await simulate({ shops: [endpoint(1)], seed: 5, cadence: 'seed', ticks: 24, timeoutMs: 2_000 });
    const [together] = await simulate({ shops: [endpoint(1), endpoint(2)], seed: 5, cadence: 'seed', ticks: 24, timeoutMs: 2_000 });
    expect(together?.series).toEqual(alone?.series);
    expect(together?.sales).toEqual(alone?.sales);
    expect(together?.state).toEqual(alone?.state);
  }, 120_000);

  it('keeps the ledger and the balances in step', async () => {
    let state = initialState();
    let books = applyEntries({ ...startingBooks(), gold: 0, potionCapacity: 0, mlCapacity: 0 }, startEntries());
    for (let tick = 0; tick < 30; tick++) {
      const result = await runShopTick({ seed: 3, cadence: 'seed', streamKey: 'k', tick, shop: endpoint(2), state, timeoutMs: 2_000 });
      state = result.state;
      books = applyEntries(books, result.ledger);
    }
    expect(books).toEqual(state.books);
  });
});
