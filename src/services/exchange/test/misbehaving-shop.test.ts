import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initialState, type ShopState } from '../domain/books.js';
import { callShop } from '../engine/shop-client.js';
import { type JobRecord, runShopTick } from '../engine/tick.js';
import { createShopFixture, type FixtureShop, noFaults } from './fixtures/simple-shop.js';

const TIMEOUT_MS = 300;
let shop: FixtureShop;
let endpoint: { baseUrl: string; apiKey: string };
let closeFixture: () => Promise<void>;

beforeAll(async () => {
  const fixture = await createShopFixture(1);
  const first = fixture.shops[0];
  if (!first) throw new Error('no fixture shop');
  shop = first;
  const base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = { baseUrl: `${base}${shop.prefix}`, apiKey: shop.apiKey };
  closeFixture = () => fixture.app.close();
});
afterAll(async () => closeFixture());
beforeEach(async () => {
  shop.faults = noFaults();
  await callShop(endpoint, 'POST', '/admin/reset', { timeoutMs: 1000 });
});

/** Plays ticks [from, to) and returns every job, the final state and each tick's wall time (ms). */
async function play(from: number, to: number, start: ShopState = initialState()) {
  let state = start;
  const jobs: JobRecord[] = [];
  const tickMs: number[] = [];
  for (let tick = from; tick < to; tick++) {
    const started = Date.now();
    const result = await runShopTick({
      seed: 5,
      cadence: 'seed',
      streamKey: 'misbehaving',
      tick,
      shop: endpoint,
      state,
      timeoutMs: TIMEOUT_MS,
    });
    tickMs.push(Date.now() - started);
    state = result.state;
    jobs.push(...result.jobs);
  }
  return { state, jobs, errors: jobs.filter((j) => !j.ok), tickMs };
}

describe('a misbehaving shop is caught, recorded, and never corrupts the books', () => {
  it('records a wrongly shaped barrel plan and buys nothing', async () => {
    shop.faults.wrongShape.add('barrels/plan');
    const { state, errors } = await play(0, 1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ job: 'barrels', kind: 'barrels:invalid' });
    expect(errors[0]?.error).toMatch(/barrel plan must be a list of \{sku, quantity\}/);
    expect(state.books.gold).toBe(100);
    expect(state.books.ml).toEqual([0, 0, 0, 0]);
  });

  it('records a wrongly shaped capacity plan and bottle plan', async () => {
    shop.faults.wrongShape.add('inventory/plan');
    shop.faults.wrongShape.add('bottler/plan');
    const { errors, state } = await play(0, 1);
    expect(errors.map((e) => e.kind).sort()).toEqual(['bottling:invalid', 'capacity:invalid']);
    expect(errors.find((e) => e.job === 'bottling')?.error).toMatch(/quantity must be an integer/);
    expect(state.books.potionCapacity).toBe(1);
  });

  it('records 500s as errors and changes the books only for jobs that succeeded', async () => {
    shop.faults.error500.add('barrels/deliver/:id');
    const { state, errors } = await play(0, 1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ job: 'barrels', kind: 'barrels:http_status', httpStatus: 500 });
    expect(errors[0]?.error).toMatch(/POST \/barrels\/deliver\/1 answered 500/);
    expect(state.books.gold).toBe(100);
  });

  it('gives up on a shop that times out, skips the rest of its tick and counts its customers’ trips as failed', async () => {
    const { state: warm } = await play(0, 2);
    shop.faults.delayMs.set('catalog', 2_000);
    shop.calls.length = 0;
    const started = Date.now();
    // Daytime ticks, so that customers come.
    const { state, errors } = await play(2, 8, warm);
    expect(Date.now() - started).toBeLessThan(6 * (TIMEOUT_MS + 600));
    expect(errors.every((e) => e.kind === 'catalog:timeout')).toBe(true);
    expect(errors[0]?.error).toBe(`GET /catalog/ timed out after ${TIMEOUT_MS} ms`);
    const reliabilities = Object.values(state.reputation).map((r) => r.reliability);
    expect(Math.min(...reliabilities)).toBeLessThan(1);
    expect(shop.calls.filter((c) => c === 'POST carts/visits/:id')).toHaveLength(0);
  });

  it('ends the tick of a shop that answers every call just under the limit once the tick’s budget is spent', async () => {
    const { state: warm } = await play(0, 2);
    shop.faults.delayMs.set('*', TIMEOUT_MS * 0.6);
    // Daytime ticks: catalog, visits and three calls per customer — more than the budget holds.
    const { state, errors: failed, tickMs } = await play(2, 8, warm);
    for (const ms of tickMs) expect(ms).toBeLessThan(3 * TIMEOUT_MS + 600);
    expect(failed.length).toBeGreaterThan(0);
    // Every failure is a timeout: the tick's budget running out, or (on a loaded machine, where a call
    // meant to take 60% of the limit can take all of it) the call's own limit. The budget must have ended
    // some tick.
    const budget = `not answered within this tick's budget of ${3 * TIMEOUT_MS} ms`;
    for (const job of failed) {
      expect(job.kind).toMatch(/:timeout$/);
      expect(job.error).toMatch(new RegExp(`${budget}|timed out after ${TIMEOUT_MS} ms`));
    }
    expect(failed.some((job) => job.error?.includes(budget))).toBe(true);
    expect(state.books.gold).toBeGreaterThanOrEqual(0);
  });

  it('records an unreachable shop without throwing', async () => {
    const result = await runShopTick({
      seed: 5,
      cadence: 'seed',
      streamKey: 'x',
      tick: 0,
      shop: { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' },
      state: initialState(),
      timeoutMs: TIMEOUT_MS,
    });
    expect(result.jobs).toHaveLength(1);
    expect(result.jobs[0]).toMatchObject({ job: 'time', kind: 'time:unreachable' });
    expect(result.jobs[0]?.error).toMatch(/shop unreachable/);
    expect(result.state.books).toEqual(initialState().books);
  });

  it('ignores a catalog item the books say the shop does not hold, recording it, and still sells the rest', async () => {
    shop.faults.phantomPotion = true;
    const { errors, state } = await play(0, 24);
    const missing = errors.filter((e) => e.kind === 'catalog:missing_stock');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]?.error).toMatch(
      /catalog item \d+ \(PHANTOM\) lists 5 of \[0,0,0,100\] but the books say the shop holds 0; item ignored/,
    );
    expect(errors.every((e) => e.kind === 'catalog:missing_stock')).toBe(true);
    expect(state.books.gold).toBe(shop.state.gold);
  });

  it('records a cart answer of the wrong shape as a failed purchase trip', async () => {
    shop.faults.wrongShape.add('carts');
    const { errors, state } = await play(0, 24);
    const bad = errors.filter((e) => e.job === 'purchase');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0]).toMatchObject({ kind: 'purchase:invalid', error: 'new cart must answer {cart_id: int}, got {"id":"x"}' });
    expect(errors.every((e) => e.job === 'purchase')).toBe(true);
    expect(Object.values(state.reputation).some((r) => r.reliability < 1)).toBe(true);
    expect(state.books.gold).toBe(shop.state.gold);
  });

  it('catches an audit that lies about gold', async () => {
    shop.faults.auditGoldOffset = 7;
    const { errors, state } = await play(0, 12);
    const audit = errors.find((e) => e.job === 'audit');
    expect(audit?.kind).toBe('audit:mismatch');
    expect(audit?.error).toBe(`audit differs from the books: gold is ${state.books.gold + 7} but the books say ${state.books.gold}`);
  });

  it('refuses a checkout that charges more than the listed price × quantity, and does not book that sale', async () => {
    shop.faults.overcharge = 3;
    const { errors, state } = await play(0, 24);
    const bad = errors.filter((e) => e.job === 'purchase');
    expect(bad.length).toBeGreaterThan(0);
    shop.faults.overcharge = 0;
    expect(bad[0]?.error).toMatch(/^checkout charged \d+ gold but the listed price × quantity is \d+$/);
    expect(state.books.gold).toBeLessThan(shop.state.gold);
  });
});
