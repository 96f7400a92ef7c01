import type { SQL } from 'drizzle-orm';
import { withRetry } from '../../../platform/db.js';
import { scriptedTransaction } from '../../../platform/db-script.js';
import { errors } from '../../../platform/errors.js';
import { barrelFractions, isValidMix, type Mix, mixSku, sumMix } from '../domain/mix.js';
import { checkBarrelDelivery, checkBottling, checkCapacity } from '../domain/rules.js';
import type { BarrelOffer, BottleLine, CapacityOrder, ShopState } from '../domain/types.js';
import type { Audit, Barrel } from '../schemas.js';
import {
  account,
  addPotionsSql,
  CURRENT_EPOCH,
  findIdempotentSql,
  historySql,
  type LedgerContext,
  ledgerBalances,
  parseHistory,
  parseState,
  parseStock,
  postLedger,
  postLedgerSql,
  readState,
  replaceListingsSql,
  type StateRow,
  saveIdempotentSql,
  setTime,
  startEpoch,
  stateChangeSql,
  stateSql,
  stockSql,
} from '../store/books.js';
import { abandonCarts } from '../store/carts.js';
import { CART_TTL_TICKS, CATALOG_KEY, planningState, relist, type ShopDeps, salesHistory, toPlanningState } from './context.js';

type Endpoint = 'barrels' | 'bottler' | 'inventory';

export function createBookUseCases(deps: ShopDeps) {
  const { db } = deps;
  const invalidate = () => deps.catalogCache.invalidate(CATALOG_KEY);
  const ledgerCtx = (s: StateRow, kind: string, reference?: string): LedgerContext => ({
    epoch: s.epoch,
    kind,
    ...(reference !== undefined ? { reference } : {}),
    day: s.day,
    hour: s.hour,
    tick: s.tick,
  });

  /**
   * One idempotent delivery, in one transaction sent as scripts (platform/db-script.ts) so that the
   * balance lock is held across two or three round trips rather than one per statement:
   * 1. BEGIN; lock the balance row; then, in statements of their own (read after the lock): an earlier
   *    answer to this (endpoint, id) in this epoch, and the stock. A repeat changes nothing.
   * 2. `plan` validates against them (a thrown 4xx rolls back: nothing written) and names the writes;
   *    they go with the idempotency record, and COMMIT unless the stock changed.
   * 3. If it did, the same script also read back the balance row, stock and sales history, and the
   *    catalog is chosen again and written with COMMIT.
   */
  async function deliver(
    endpoint: Endpoint,
    orderId: number,
    plan: (s: StateRow, state: ShopState) => { writes: SQL[]; changesStock: boolean },
  ): Promise<void> {
    const key = String(orderId);
    const relisted = await withRetry(() =>
      scriptedTransaction(deps.dbHandle, async (script) => {
        const [state, earlier, stock] = await script.send([
          stateSql(true),
          findIdempotentSql(CURRENT_EPOCH, endpoint, key),
          stockSql(CURRENT_EPOCH),
        ]);
        if ((earlier ?? []).length > 0) return false;
        const s = parseState(state ?? []);
        const { writes, changesStock } = plan(s, toPlanningState(s, parseStock(stock ?? [])));
        const done = [...writes, saveIdempotentSql(s.epoch, endpoint, key, { status: 204 })];
        if (!changesStock) {
          await script.send(done, { commit: true });
          return false;
        }
        const read = await script.send([...done, stateSql(), stockSql(s.epoch), historySql(s.epoch, s.tick)]);
        const [after, stockAfter, history] = read.slice(done.length);
        const choices = deps.strategy.catalog(
          toPlanningState(parseState(after ?? []), parseStock(stockAfter ?? [])),
          parseHistory(history ?? [], s.tick),
        );
        await script.send(replaceListingsSql(s.epoch, choices), { commit: true });
        return true;
      }),
    );
    if (relisted) await invalidate();
  }

  return {
    async setCurrentTime(day: string, hour: number): Promise<void> {
      await withRetry(() =>
        db.transaction(async (tx) => {
          const s = await readState(tx, true);
          const tick = s.tick + 1;
          await setTime(tx, day, hour, tick);
          await abandonCarts(tx, s.epoch, tick, tick - CART_TTL_TICKS + 1);
          await relist(tx, deps, { ...s, day, hour, tick });
        }),
      );
      await invalidate();
    },

    async deliverBarrels(orderId: number, barrels: Barrel[]): Promise<void> {
      const offers = barrels.map((b): BarrelOffer => {
        const fractions = barrelFractions(b.potion_type);
        if (!fractions)
          throw errors.badRequest(
            `Barrel ${b.sku}: potion_type must be fractions summing to 1.0 (or one-hot integers).`,
            'BAD_POTION_TYPE',
          );
        return { sku: b.sku, mlPerBarrel: b.ml_per_barrel, fractions, price: b.price, quantity: b.quantity };
      });
      await deliver('barrels', orderId, (s, state) => {
        const checked = checkBarrelDelivery(state, offers);
        if (!checked.ok) throw errors.conflict(checked.reason, 'CANNOT_HONOUR');
        const { cost, ml } = checked.value;
        const writes = [
          stateChangeSql({ gold: -cost, ml }),
          ...postLedgerSql(ledgerCtx(s, 'barrels', String(orderId)), [
            { account: account.gold, delta: -cost },
            ...ml.map((delta, c) => ({ account: account.ml(c), delta })),
          ]),
        ];
        return { writes, changesStock: false };
      });
    },

    async deliverBottles(orderId: number, lines: BottleLine[]): Promise<void> {
      for (const l of lines) {
        if (!isValidMix(l.potion_type))
          throw errors.badRequest(
            `potion_type ${JSON.stringify(l.potion_type)} must be four non-negative integers summing to 100.`,
            'BAD_MIX',
          );
      }
      // The same mix twice in one delivery is one line.
      const merged = new Map<string, BottleLine>();
      for (const l of lines) {
        const key = mixSku(l.potion_type);
        merged.set(key, { potion_type: l.potion_type, quantity: (merged.get(key)?.quantity ?? 0) + l.quantity });
      }
      const bottles = [...merged.values()].filter((l) => l.quantity > 0);
      await deliver('bottler', orderId, (s, state) => {
        const checked = checkBottling(state, bottles);
        if (!checked.ok) throw errors.conflict(checked.reason, 'CANNOT_HONOUR');
        const used = checked.value.ml;
        const writes = [
          stateChangeSql({ ml: used.map((m) => -m) as unknown as Mix, potions: checked.value.potions }),
          ...bottles.map((b) => addPotionsSql(s.epoch, b.potion_type, b.quantity)),
          ...postLedgerSql(ledgerCtx(s, 'bottler', String(orderId)), [
            ...used.map((m, c) => ({ account: account.ml(c), delta: -m })),
            ...bottles.map((b) => ({ account: account.potions(mixSku(b.potion_type)), delta: b.quantity })),
          ]),
        ];
        return { writes, changesStock: bottles.length > 0 };
      });
    },

    async deliverCapacity(orderId: number, order: CapacityOrder): Promise<void> {
      await deliver('inventory', orderId, (s, state) => {
        const checked = checkCapacity(state, order);
        if (!checked.ok) throw errors.conflict(checked.reason, 'CANNOT_HONOUR');
        const writes = [
          stateChangeSql({ gold: -checked.value.cost, potionUnits: order.potion_capacity, mlUnits: order.ml_capacity }),
          ...postLedgerSql(ledgerCtx(s, 'capacity', String(orderId)), [
            { account: account.gold, delta: -checked.value.cost },
            { account: account.potionCapacity, delta: order.potion_capacity },
            { account: account.mlCapacity, delta: order.ml_capacity },
          ]),
        ];
        return { writes, changesStock: false };
      });
    },

    async planBarrels(barrels: Barrel[]) {
      const s = await readState(db);
      const offers = barrels.flatMap((b): BarrelOffer[] => {
        const fractions = barrelFractions(b.potion_type);
        return fractions ? [{ sku: b.sku, mlPerBarrel: b.ml_per_barrel, fractions, price: b.price, quantity: b.quantity }] : [];
      });
      return deps.strategy.barrels(await planningState(db, s), offers, await salesHistory(db, deps, s));
    },

    async planBottling() {
      const s = await readState(db);
      return deps.strategy.bottling(await planningState(db, s), await salesHistory(db, deps, s));
    },

    async planCapacity() {
      const s = await readState(db);
      return deps.strategy.capacity(await planningState(db, s), await salesHistory(db, deps, s));
    },

    /** Answers from the ledger: the sums of its entries as the database keeps them, never from the balance row. */
    async audit(): Promise<Audit> {
      const s = await readState(db);
      const balances = await ledgerBalances(db, s.epoch);
      let potions = 0;
      let ml = 0;
      for (const [name, balance] of balances) {
        if (name.startsWith('potions:')) potions += balance;
        if (name.startsWith('ml:')) ml += balance;
      }
      return { number_of_potions: potions, ml_in_barrels: ml, gold: balances.get(account.gold) ?? 0 };
    },

    async reset(): Promise<void> {
      await withRetry(() =>
        db.transaction(async (tx) => {
          const s = await readState(tx, true);
          await abandonCarts(tx, s.epoch, s.tick);
          const epoch = s.epoch + 1;
          await startEpoch(tx, epoch);
          await postLedger(tx, { epoch, kind: 'open', day: null, hour: null, tick: 0 }, [
            { account: account.gold, delta: 100 },
            { account: account.potionCapacity, delta: 1 },
            { account: account.mlCapacity, delta: 1 },
          ]);
        }),
      );
      await invalidate();
    },

    /** Materialized balances (for tests proving they equal the ledger). */
    async materialized() {
      const s = await readState(db);
      return { number_of_potions: s.potions, ml_in_barrels: sumMix(s.ml), gold: s.gold, potionUnits: s.potionUnits, mlUnits: s.mlUnits };
    },
  };
}
