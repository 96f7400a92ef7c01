/** The exchange's only database access: plain data in and out, undefined for "not found". */
import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db.js';
import { queryRows } from '../../platform/db.js';
import type { LedgerEntry, ShopState } from './domain/books.js';
import type { JobRecord } from './engine/tick.js';
import { clock, jobLog, ledger, shops, snapshots } from './tables.js';

export interface ShopRow {
  id: number;
  name: string;
  baseUrl: string;
  apiKeyCipher: string;
  state: ShopState;
  version: number;
  epochTick: number;
  createdAt: Date;
}

export interface ClockRow {
  tick: number;
  lastTickAt: Date | null;
  lastTickMs: number | null;
}

const ledgerRows = (shopId: number, tick: number, entries: readonly LedgerEntry[]) =>
  entries.map((e) => ({
    shopId,
    tick,
    kind: e.kind,
    gold: e.gold,
    red: e.ml[0],
    green: e.ml[1],
    blue: e.ml[2],
    dark: e.ml[3],
    mix: e.mix,
    potions: e.potions,
    potionCapacity: e.potionCapacity,
    mlCapacity: e.mlCapacity,
  }));

export function createExchangeStore(db: Db) {
  return {
    db,
    async getClock(tx: DbOrTx = db): Promise<ClockRow> {
      const [row] = await tx
        .select({ tick: clock.tick, lastTickAt: clock.lastTickAt, lastTickMs: clock.lastTickMs })
        .from(clock)
        .where(eq(clock.id, 1));
      return row ?? { tick: 0, lastTickAt: null, lastTickMs: null };
    },
    async finishTick(tick: number, ms: number, at: Date): Promise<void> {
      await db
        .insert(clock)
        .values({ id: 1, tick: tick + 1, lastTickAt: at, lastTickMs: ms })
        .onConflictDoUpdate({ target: clock.id, set: { tick: tick + 1, lastTickAt: at, lastTickMs: ms } });
    },
    async listShops(): Promise<ShopRow[]> {
      return db.select().from(shops).orderBy(asc(shops.id));
    },
    /** The clock's next tick and every registered shop, in one round trip (the start of every tick). */
    async tickContext(): Promise<{ tick: number; rows: ShopRow[] }> {
      const found = await db
        .select({ row: shops, clockTick: sql<number>`coalesce((select ${clock.tick} from ${clock} where ${clock.id} = 1), 0)` })
        .from(shops)
        .orderBy(asc(shops.id));
      const first = found[0];
      if (!first) {
        const [row] = await db.select({ tick: clock.tick }).from(clock).where(eq(clock.id, 1));
        return { tick: row?.tick ?? 0, rows: [] };
      }
      return { tick: Number(first.clockTick), rows: found.map((f) => f.row) };
    },
    async getShop(id: number, tx: DbOrTx = db): Promise<ShopRow | undefined> {
      const [row] = await tx.select().from(shops).where(eq(shops.id, id));
      return row;
    },
    async getShopByName(name: string): Promise<ShopRow | undefined> {
      const [row] = await db.select().from(shops).where(eq(shops.name, name));
      return row;
    },
    /** Inserts the shop with its opening ledger entries; throws the driver's unique violation on a taken name. */
    async insertShop(input: {
      name: string;
      baseUrl: string;
      apiKeyCipher: string;
      state: ShopState;
      epochTick: number;
      opening: LedgerEntry[];
    }): Promise<ShopRow> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(shops)
          .values({
            name: input.name,
            baseUrl: input.baseUrl,
            apiKeyCipher: input.apiKeyCipher,
            state: input.state,
            epochTick: input.epochTick,
          })
          .returning();
        if (!row) throw new Error('insert returned no row');
        await tx.insert(ledger).values(ledgerRows(row.id, input.epochTick, input.opening));
        return row;
      });
    },
    async updateConnection(id: number, baseUrl: string, apiKeyCipher: string): Promise<void> {
      await db.update(shops).set({ baseUrl, apiKeyCipher }).where(eq(shops.id, id));
    },
    async deleteShop(id: number): Promise<boolean> {
      const rows = await db.delete(shops).where(eq(shops.id, id)).returning({ id: shops.id });
      return rows.length > 0;
    },
    /** Resets the books with correcting ledger entries; `next` builds the new state from the locked current one. */
    async resetShop(
      id: number,
      epochTick: number,
      next: (current: ShopState) => { state: ShopState; entries: LedgerEntry[] },
    ): Promise<ShopRow | undefined> {
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(shops).where(eq(shops.id, id)).for('update');
        if (!current) return undefined;
        const { state, entries } = next(current.state);
        if (entries.length > 0) await tx.insert(ledger).values(ledgerRows(id, epochTick, entries));
        const [row] = await tx
          .update(shops)
          .set({ state, epochTick, version: sql`${shops.version} + 1` })
          .where(eq(shops.id, id))
          .returning();
        return row;
      });
    },
    /**
     * Records a shop's tick, unless the shop changed since the tick read it (reset, deleted): then
     * nothing is written and false is returned.
     */
    async saveTick(input: {
      shopId: number;
      version: number;
      tick: number;
      state: ShopState;
      entries: LedgerEntry[];
      jobs: JobRecord[];
      gold: number;
      netWorth: number;
      visitors: number;
      sales: Record<string, { potions: number; gold: number }>;
    }): Promise<boolean> {
      const entries = ledgerRows(input.shopId, input.tick, input.entries).map((e) => ({
        kind: e.kind,
        gold: e.gold,
        red: e.red,
        green: e.green,
        blue: e.blue,
        dark: e.dark,
        mix: e.mix,
        potions: e.potions,
        potion_capacity: e.potionCapacity,
        ml_capacity: e.mlCapacity,
      }));
      const jobs = input.jobs.map((j) => ({
        tick: j.tick,
        job: j.job,
        request: j.request ?? null,
        ok: j.ok,
        http_status: j.httpStatus,
        latency_ms: j.latencyMs,
        error: j.error,
        kind: j.kind,
      }));
      // One statement (atomic on its own): every insert hangs off the guarded update, so a tick that
      // read the shop before a reset or delete writes nothing at all. One round trip instead of six
      // matters on the embedded database, where the shop under test shares the same engine.
      const rows = await queryRows<{ n: number }>(
        db,
        sql`with upd as (
              update ${shops} set state = ${JSON.stringify(input.state)}::jsonb, version = version + 1
              where id = ${input.shopId} and version = ${input.version}
              returning id
            ), led as (
              insert into ${ledger} (shop_id, tick, kind, gold, red, green, blue, dark, mix, potions, potion_capacity, ml_capacity)
              select upd.id, ${input.tick}, r.kind, r.gold, r.red, r.green, r.blue, r.dark, r.mix, r.potions, r.potion_capacity, r.ml_capacity
              from upd, jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
                as r(kind text, gold int, red int, green int, blue int, dark int, mix text, potions int, potion_capacity int, ml_capacity int)
            ), jobs as (
              insert into ${jobLog} (shop_id, tick, job, request, ok, http_status, latency_ms, error, kind)
              select upd.id, r.tick, r.job, r.request, r.ok, r.http_status, r.latency_ms, r.error, r.kind
              from upd, jsonb_to_recordset(${JSON.stringify(jobs)}::jsonb)
                as r(tick int, job text, request jsonb, ok boolean, http_status int, latency_ms int, error text, kind text)
            ), snap as (
              insert into ${snapshots} (shop_id, tick, gold, net_worth, visitors, sales)
              select upd.id, ${input.tick}, ${input.gold}, ${input.netWorth}, ${input.visitors}, ${JSON.stringify(input.sales)}::jsonb from upd
              on conflict (shop_id, tick) do update
                set gold = excluded.gold, net_worth = excluded.net_worth, visitors = excluded.visitors, sales = excluded.sales
            )
            select count(*)::int as n from upd`,
      );
      return (rows[0]?.n ?? 0) === 1;
    },
    async series(
      shopId: number,
      fromTick: number,
      limit: number,
    ): Promise<
      { tick: number; gold: number; net_worth: number; visitors: number; sales: Record<string, { potions: number; gold: number }> }[]
    > {
      const rows = await db
        .select({
          tick: snapshots.tick,
          gold: snapshots.gold,
          net_worth: snapshots.netWorth,
          visitors: snapshots.visitors,
          sales: snapshots.sales,
        })
        .from(snapshots)
        .where(and(eq(snapshots.shopId, shopId), gte(snapshots.tick, fromTick)))
        .orderBy(desc(snapshots.tick))
        .limit(limit);
      return rows.reverse();
    },
    async salesByClass(shopId: number, fromTick: number): Promise<Record<string, { potions: number; gold: number }>> {
      const rows = await queryRows<{ class: string; potions: number | string; gold: number | string }>(
        db,
        sql`select s.key as class, sum((s.value->>'potions')::int) as potions, sum((s.value->>'gold')::int) as gold
            from ${snapshots}, jsonb_each(${snapshots.sales}) s
            where ${snapshots.shopId} = ${shopId} and ${snapshots.tick} >= ${fromTick}
            group by s.key`,
      );
      return Object.fromEntries(rows.map((r) => [r.class, { potions: Number(r.potions), gold: Number(r.gold) }]));
    },
    async errorCounts(shopId: number, fromTick: number): Promise<Record<string, number>> {
      const rows = await db
        .select({ kind: jobLog.kind, n: sql<number>`count(*)::int` })
        .from(jobLog)
        .where(and(eq(jobLog.shopId, shopId), eq(jobLog.ok, false), gte(jobLog.tick, fromTick)))
        .groupBy(jobLog.kind);
      return Object.fromEntries(rows.map((r) => [r.kind ?? 'unknown', Number(r.n)]));
    },
    async latestErrors(shopId: number, limit: number): Promise<{ tick: number; job: string; error: string; at: string }[]> {
      const rows = await db
        .select({ tick: jobLog.tick, job: jobLog.job, error: jobLog.error, at: jobLog.createdAt })
        .from(jobLog)
        .where(and(eq(jobLog.shopId, shopId), eq(jobLog.ok, false)))
        .orderBy(desc(jobLog.id))
        .limit(limit);
      return rows.map((r) => ({ tick: r.tick, job: r.job, error: r.error ?? '', at: r.at.toISOString() }));
    },
    async jobs(shopId: number, beforeId: number | undefined, limit: number) {
      const rows = await db
        .select()
        .from(jobLog)
        .where(and(eq(jobLog.shopId, shopId), beforeId === undefined ? undefined : sql`${jobLog.id} < ${beforeId}`))
        .orderBy(desc(jobLog.id))
        .limit(limit);
      return rows;
    },
    async ledgerOf(shopId: number) {
      return db.select().from(ledger).where(eq(ledger.shopId, shopId)).orderBy(asc(ledger.id));
    },
  };
}

export type ExchangeStore = ReturnType<typeof createExchangeStore>;
