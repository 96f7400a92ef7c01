import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import { COLOURS, type Mix, mixSku } from '../domain/mix.js';
import type { CatalogChoice, SalesHistory, StockItem } from '../domain/types.js';

export interface StateRow {
  epoch: number;
  gold: number;
  ml: Mix;
  potions: number;
  potionUnits: number;
  mlUnits: number;
  day: string | null;
  hour: number | null;
  tick: number;
}

interface RawState {
  epoch: number;
  gold: number | string;
  ml_red: number | string;
  ml_green: number | string;
  ml_blue: number | string;
  ml_dark: number | string;
  potions: number;
  potion_units: number;
  ml_units: number;
  game_day: string | null;
  game_hour: number | null;
  tick: number;
}

const toState = (r: RawState): StateRow => ({
  epoch: r.epoch,
  gold: Number(r.gold),
  ml: [Number(r.ml_red), Number(r.ml_green), Number(r.ml_blue), Number(r.ml_dark)],
  potions: r.potions,
  potionUnits: r.potion_units,
  mlUnits: r.ml_units,
  day: r.game_day,
  hour: r.game_hour,
  tick: r.tick,
});

/** The current epoch, for statements sent before the balance row is read (in one script with it). */
export const CURRENT_EPOCH = sql`(SELECT epoch FROM shop.state WHERE id = 1)`;

/** The balance row; `lock` takes it FOR UPDATE, which serializes every write to the books. */
export const stateSql = (lock = false) =>
  lock ? sql`SELECT * FROM shop.state WHERE id = 1 FOR UPDATE` : sql`SELECT * FROM shop.state WHERE id = 1`;

export function parseState(rows: readonly unknown[]): StateRow {
  const row = rows[0] as RawState | undefined;
  if (!row) throw new Error('shop.state row missing: run the shop migrations');
  return toState(row);
}

export async function readState(db: DbOrTx, lock = false): Promise<StateRow> {
  return parseState(await queryRows<RawState>(db, stateSql(lock)));
}

export interface StateChange {
  gold?: number;
  ml?: Mix;
  potions?: number;
  potionUnits?: number;
  mlUnits?: number;
}

/** The UPDATE of the balance row by `c` (also usable as a data-modifying CTE). */
export function stateChangeSql(c: StateChange): SQL {
  const ml = c.ml ?? [0, 0, 0, 0];
  return sql`UPDATE shop.state SET gold = gold + ${c.gold ?? 0}, ml_red = ml_red + ${ml[0]}, ml_green = ml_green + ${ml[1]},
    ml_blue = ml_blue + ${ml[2]}, ml_dark = ml_dark + ${ml[3]}, potions = potions + ${c.potions ?? 0},
    potion_units = potion_units + ${c.potionUnits ?? 0}, ml_units = ml_units + ${c.mlUnits ?? 0} WHERE id = 1`;
}

export async function setTime(db: DbOrTx, day: string, hour: number, tick: number): Promise<void> {
  await db.execute(sql`UPDATE shop.state SET game_day = ${day}, game_hour = ${hour}, tick = ${tick} WHERE id = 1`);
}

export async function startEpoch(db: DbOrTx, epoch: number): Promise<void> {
  await db.execute(sql`UPDATE shop.state SET epoch = ${epoch}, gold = 100, ml_red = 0, ml_green = 0, ml_blue = 0, ml_dark = 0,
    potions = 0, potion_units = 1, ml_units = 1, game_day = NULL, game_hour = NULL, tick = 0 WHERE id = 1`);
}

export const stockSql = (epoch: number | SQL) =>
  sql`SELECT sku, red, green, blue, dark, quantity, reserved FROM shop.potions WHERE epoch = ${epoch} AND quantity > 0 ORDER BY sku`;

export function parseStock(rows: readonly unknown[]): StockItem[] {
  return (rows as { sku: string; red: number; green: number; blue: number; dark: number; quantity: number; reserved: number }[]).map(
    (r) => ({ sku: r.sku, mix: [r.red, r.green, r.blue, r.dark], quantity: r.quantity, available: r.quantity - r.reserved }),
  );
}

export async function readStock(db: DbOrTx, epoch: number): Promise<StockItem[]> {
  return parseStock(await queryRows(db, stockSql(epoch)));
}

export const addPotionsSql = (epoch: number, mix: Mix, quantity: number) =>
  sql`INSERT INTO shop.potions (epoch, sku, red, green, blue, dark, quantity) VALUES
    (${epoch}::int, ${mixSku(mix)}::text, ${mix[0]}::int, ${mix[1]}::int, ${mix[2]}::int, ${mix[3]}::int, ${quantity}::int)
    ON CONFLICT (epoch, sku) DO UPDATE SET quantity = shop.potions.quantity + EXCLUDED.quantity`;

export interface LedgerContext {
  epoch: number;
  kind: string;
  reference?: string;
  day: string | null;
  hour: number | null;
  tick: number;
}

export const account = {
  gold: 'gold',
  ml: (colour: number) => `ml:${COLOURS[colour]}`,
  potions: (sku: string) => `potions:${sku}`,
  potionCapacity: 'capacity:potion',
  mlCapacity: 'capacity:ml',
};

/**
 * One ledger transaction with its non-zero entries as a single statement: a `ledger_tx` CTE and the
 * final INSERT of the entries (undefined when every delta is zero: nothing to post).
 */
export function ledgerSql(ctx: LedgerContext, entries: { account: string; delta: number }[]): { cte: SQL; insert: SQL } | undefined {
  const nonZero = entries.filter((e) => e.delta !== 0);
  if (nonZero.length === 0) return undefined;
  const values = sql.join(
    nonZero.map((e) => sql`(${e.account}::text, ${e.delta}::bigint)`),
    sql`, `,
  );
  return {
    cte: sql`ledger_tx AS (INSERT INTO shop.ledger_transactions (epoch, kind, reference, game_day, game_hour, tick)
      VALUES (${ctx.epoch}, ${ctx.kind}, ${ctx.reference ?? null}, ${ctx.day}, ${ctx.hour}, ${ctx.tick}) RETURNING id)`,
    insert: sql`INSERT INTO shop.ledger_entries (transaction_id, epoch, account, delta)
      SELECT ledger_tx.id, ${ctx.epoch}::int, e.account, e.delta FROM ledger_tx, (VALUES ${values}) AS e(account, delta)`,
  };
}

/**
 * Several ledger transactions, each with its own non-zero entries, as a single statement: a `ledger_tx`
 * CTE and the final INSERT of the entries (undefined when nothing is left to post). Posts whose deltas are
 * all zero are skipped, exactly as ledgerSql skips them. Entries find their transaction by reference,
 * so the references of one call must be distinct.
 */
export function ledgerBatchSql(
  posts: { ctx: LedgerContext; entries: { account: string; delta: number }[] }[],
): { cte: SQL; insert: SQL } | undefined {
  const kept = posts.map((p) => ({ ctx: p.ctx, entries: p.entries.filter((e) => e.delta !== 0) })).filter((p) => p.entries.length > 0);
  if (kept.length === 0) return undefined;
  const refs = kept.map((p) => p.ctx.reference);
  if (refs.some((r) => r === undefined) || new Set(refs).size !== refs.length) {
    throw new Error('ledgerBatchSql needs one distinct reference per transaction');
  }
  const txs = sql.join(
    kept.map(
      ({ ctx }) =>
        sql`(${ctx.epoch}::int, ${ctx.kind}::text, ${ctx.reference ?? null}::text, ${ctx.day}::text, ${ctx.hour}::int, ${ctx.tick}::int)`,
    ),
    sql`, `,
  );
  const entries = sql.join(
    kept.flatMap(({ ctx, entries }) =>
      entries.map((e) => sql`(${ctx.reference ?? null}::text, ${ctx.epoch}::int, ${e.account}::text, ${e.delta}::bigint)`),
    ),
    sql`, `,
  );
  return {
    cte: sql`ledger_tx AS (INSERT INTO shop.ledger_transactions (epoch, kind, reference, game_day, game_hour, tick)
      VALUES ${txs} RETURNING id, reference)`,
    insert: sql`INSERT INTO shop.ledger_entries (transaction_id, epoch, account, delta)
      SELECT ledger_tx.id, e.epoch, e.account, e.delta FROM ledger_tx JOIN (VALUES ${entries}) AS e(reference, epoch, account, delta)
        ON e.reference = ledger_tx.reference`,
  };
}

/** The statement appending one ledger transaction with its non-zero entries (none when all are zero). */
export function postLedgerSql(ctx: LedgerContext, entries: { account: string; delta: number }[]): SQL[] {
  const ledger = ledgerSql(ctx, entries);
  return ledger ? [sql`WITH ${ledger.cte} ${ledger.insert}`] : [];
}

/** Appends one ledger transaction with its non-zero entries. */
export async function postLedger(db: DbOrTx, ctx: LedgerContext, entries: { account: string; delta: number }[]): Promise<void> {
  for (const statement of postLedgerSql(ctx, entries)) await db.execute(statement);
}

/**
 * Balances per account: the ledger's sums (the truth the audit answers from), as the database adds them
 * up while entries are appended (`shop.ledger_balances`), not the balance row the shop keeps itself.
 */
export async function ledgerBalances(db: DbOrTx, epoch: number): Promise<Map<string, number>> {
  const rows = await queryRows<{ account: string; balance: number | string }>(
    db,
    sql`SELECT account, balance FROM shop.ledger_balances WHERE epoch = ${epoch}`,
  );
  return new Map(rows.map((r) => [r.account, Number(r.balance)]));
}

/** The first answer of an idempotent call: one row `{ response }`, or none. */
export const findIdempotentSql = (epoch: number | SQL, endpoint: string, key: string) =>
  sql`SELECT response FROM shop.idempotency WHERE epoch = ${epoch} AND endpoint = ${endpoint}::text AND key = ${key}::text`;

export const saveIdempotentSql = (epoch: number, endpoint: string, key: string, response: unknown) =>
  sql`INSERT INTO shop.idempotency (epoch, endpoint, key, response) VALUES (${epoch}::int, ${endpoint}::text, ${key}::text, ${JSON.stringify(response)}::jsonb)`;

/** The statements replacing the epoch's listings by `choices`, in slot order. */
export function replaceListingsSql(epoch: number, choices: CatalogChoice[]): SQL[] {
  const statements = [sql`DELETE FROM shop.listings WHERE epoch = ${epoch}::int`];
  if (choices.length > 0) {
    const values = sql.join(
      choices.map((c, i) => sql`(${epoch}::int, ${c.sku}::text, ${c.name}::text, ${c.price}::int, ${i}::int)`),
      sql`, `,
    );
    statements.push(sql`INSERT INTO shop.listings (epoch, sku, name, price, slot) VALUES ${values}`);
  }
  return statements;
}

export async function replaceListings(db: DbOrTx, epoch: number, choices: CatalogChoice[]): Promise<void> {
  for (const statement of replaceListingsSql(epoch, choices)) await db.execute(statement);
}

export interface CatalogRow {
  sku: string;
  name: string;
  quantity: number;
  price: number;
  potion_type: number[];
}

/** What the shop lists now: listed skus with potions free to sell. */
export async function readCatalog(db: DbOrTx): Promise<CatalogRow[]> {
  const rows = await queryRows<{
    sku: string;
    name: string;
    price: number;
    available: number;
    red: number;
    green: number;
    blue: number;
    dark: number;
  }>(
    db,
    sql`SELECT l.sku, l.name, l.price, p.quantity - p.reserved AS available, p.red, p.green, p.blue, p.dark
      FROM shop.state s JOIN shop.listings l ON l.epoch = s.epoch JOIN shop.potions p ON p.epoch = l.epoch AND p.sku = l.sku
      WHERE s.id = 1 AND p.quantity - p.reserved > 0 ORDER BY l.slot`,
  );
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    quantity: Math.min(r.available, 10_000),
    price: r.price,
    potion_type: [r.red, r.green, r.blue, r.dark],
  }));
}

export const historySql = (epoch: number, tick: number) =>
  sql`SELECT sku, hour, sum(quantity) AS sold, sum(CASE WHEN tick > ${tick - 12}::int THEN quantity ELSE 0 END) AS recent
    FROM shop.sales_by_tick WHERE epoch = ${epoch}::int GROUP BY 1, 2`;

export async function readHistory(db: DbOrTx, epoch: number, tick: number): Promise<SalesHistory> {
  return parseHistory(await queryRows(db, historySql(epoch, tick)), tick);
}

export function parseHistory(raw: readonly unknown[], tick: number): SalesHistory {
  const rows = raw as { sku: string; hour: number; sold: number | string; recent: number | string }[];
  const soldBySkuHour: Record<string, number[]> = {};
  let soldLastDay = 0;
  for (const r of rows) {
    const slots = soldBySkuHour[r.sku] ?? Array.from({ length: 12 }, () => 0);
    const slot = Math.floor((((r.hour % 24) + 24) % 24) / 2);
    slots[slot] = (slots[slot] ?? 0) + Number(r.sold);
    soldBySkuHour[r.sku] = slots;
    soldLastDay += Number(r.recent);
  }
  return { soldBySkuHour, soldLastDay, ticksSeen: tick };
}
