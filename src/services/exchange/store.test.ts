import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { queryRows } from '../../platform/db.js';
import { entry, initialState, resetEntries, startEntries } from './domain/books.js';
import { createExchangeStore } from './store.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
});
afterAll(async () => p.close());

describe('exchange store', () => {
  it('discards a tick that read the shop before a reset (version check), writing nothing', async () => {
    const store = createExchangeStore(p.db);
    const row = await store.insertShop({
      name: 'v',
      baseUrl: 'http://x',
      apiKeyCipher: 'c',
      state: initialState(),
      epochTick: 0,
      opening: startEntries(),
    });
    await store.resetShop(row.id, 0, (current) => ({
      state: initialState(current.nextOrderId, current.nextVisitId),
      entries: resetEntries(current.books),
    }));
    const stale = await store.saveTick({
      shopId: row.id,
      version: row.version,
      tick: 0,
      state: { ...initialState(), books: { ...initialState().books, gold: 999 } },
      entries: [entry('sale', { gold: 899 })],
      jobs: [{ tick: 0, job: 'time', request: null, ok: true, httpStatus: 204, latencyMs: 1, error: null, kind: null }],
      gold: 999,
      netWorth: 999,
      visitors: 0,
      sales: {},
    });
    expect(stale).toBe(false);
    expect((await store.getShop(row.id))?.state.books.gold).toBe(100);
    expect(await store.jobs(row.id, undefined, 10)).toEqual([]);
    expect((await store.ledgerOf(row.id)).map((l) => l.kind)).toEqual(['start', 'reset']);
  });

  it('refuses to update a ledger entry (append-only)', async () => {
    await expect(p.db.execute(sql`update exchange.ledger set gold = gold + 1`)).rejects.toThrow();
    const rows = await queryRows<{ n: number }>(p.db, sql`select count(*)::int as n from exchange.ledger`);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});
