import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { CartItem, CartOpsContext, CartOpsPlan, LockedCart } from '../domain/cart-ops.js';
import type { Customer, SearchQuery } from '../schemas.js';
import { CURRENT_EPOCH, stateChangeSql } from './books.js';

/** Records a visit's customers, stamped with the current epoch and game time (read in the same statement). */
export async function insertVisits(db: DbOrTx, visitId: number, customers: Customer[]): Promise<void> {
  if (customers.length === 0) return;
  const values = sql.join(
    customers.map(
      (c, i) =>
        sql`(${i}::int, ${c.customer_id ?? null}::text, ${c.customer_name}::text, ${c.character_class}::text, ${c.character_species ?? null}::text, ${c.level}::int)`,
    ),
    sql`, `,
  );
  // A retried visit call records nothing twice.
  await db.execute(sql`INSERT INTO shop.visits (epoch, visit_id, position, customer_id, customer_name, character_class, character_species, level, game_day, game_hour, tick)
    SELECT s.epoch, ${visitId}::bigint, v.position, v.customer_id, v.customer_name, v.character_class, v.character_species, v.level, s.game_day, s.game_hour, s.tick
    FROM shop.state s, (VALUES ${values}) AS v(position, customer_id, customer_name, character_class, character_species, level)
    WHERE s.id = 1
    ON CONFLICT (epoch, visit_id, position) DO NOTHING`);
}

/**
 * Opens one cart per customer, in one statement, stamped with the current epoch and game time (read in
 * the same statement); answers the new ids in the customers' order.
 */
export async function insertCarts(db: DbOrTx, customers: readonly Customer[]): Promise<number[]> {
  if (customers.length === 0) return [];
  // `v` is referenced twice and calls nextval, so it is computed once: the ids inserted are the ids answered.
  const rows = await queryRows<{ id: number }>(
    db,
    sql`WITH v AS (
        SELECT nextval(pg_get_serial_sequence('shop.carts', 'id'))::int AS id, c.*
        FROM json_to_recordset(${JSON.stringify(
          customers.map((c, i) => ({
            ord: i,
            customer_id: c.customer_id ?? null,
            customer_name: c.customer_name,
            character_class: c.character_class,
            character_species: c.character_species ?? null,
            level: c.level,
          })),
        )}::json) AS c(ord int, customer_id text, customer_name text, character_class text, character_species text, level int)
      ), inserted AS (
        INSERT INTO shop.carts (id, epoch, customer_id, customer_name, character_class, character_species, level, game_day, game_hour, tick)
        SELECT v.id, s.epoch, v.customer_id, v.customer_name, v.character_class, v.character_species, v.level, s.game_day, s.game_hour, s.tick
        FROM v, shop.state s WHERE s.id = 1
        RETURNING id
      )
      SELECT v.id FROM v JOIN inserted USING (id) ORDER BY v.ord`,
  );
  if (rows.length !== customers.length) throw new Error('cart insert returned too few ids (no shop.state row?)');
  return rows.map((r) => Number(r.id));
}

/** Cart ids as an SQL list for `IN (…)`. */
const cartIdList = (cartIds: readonly number[]) =>
  sql.join(
    cartIds.map((id) => sql`${id}::int`),
    sql`, `,
  );

/** The balance row's epoch and game time, and the carts of one batch, as locked for it. */
export interface CartLocks {
  epoch: number;
  day: string | null;
  hour: number | null;
  tick: number;
  carts: ({ id: number } & LockedCart)[];
}

/**
 * The statements that lock and read a batch of cart requests, to be sent together (one round trip, see
 * `scriptedTransaction`), and the parser of their rows:
 * 1. Lock the balance row, then the carts in id order (the lock order state → carts → potions of the
 *    whole shop): `s` is referenced twice, so it is materialized, and the carts' scan first evaluates
 *    EXISTS (SELECT FROM s), which takes the state lock. Locked rows are read as committed after the
 *    wait; rows of other tables would not be (the statement's snapshot predates the wait), hence 2.
 * 2. In a statement of its own, so with a snapshot taken after the locks were granted: the carts'
 *    lines, and for the skus being set their listings and free stock, locking their potion rows.
 */
export function lockAndReadCartOps(
  cartIds: readonly number[],
  skus: readonly string[],
): { statements: SQL[]; parse(rows: unknown[][]): CartLocks & Pick<CartOpsContext, 'items' | 'listings' | 'free'> } {
  const epoch = CURRENT_EPOCH;
  const skuList = sql.join(
    skus.map((sku) => sql`${sku}::text`),
    sql`, `,
  );
  // The first part names the columns; the lines part is always there (a batch has at least one cart).
  const parts = [
    sql`SELECT 'i' AS kind, sku, cart_id, quantity AS n, unit_price AS m, NULL::text AS name FROM shop.cart_items WHERE cart_id IN (${cartIdList(cartIds)})`,
  ];
  if (skus.length > 0) {
    parts.push(sql`SELECT 'p', sku, NULL, free, NULL, NULL FROM p`);
    parts.push(sql`SELECT 'l', sku, NULL, price, NULL, name FROM shop.listings WHERE epoch = ${epoch} AND sku IN (${skuList})`);
  }
  const potions =
    skus.length > 0
      ? sql`WITH p AS MATERIALIZED (SELECT sku, quantity - reserved AS free FROM shop.potions
          WHERE epoch = ${epoch} AND sku IN (${skuList}) ORDER BY sku FOR UPDATE) `
      : sql``;
  return {
    statements: [
      sql`WITH s AS (SELECT epoch, game_day, game_hour, tick FROM shop.state WHERE id = 1 FOR UPDATE),
        c AS (SELECT id, epoch, status, game_hour, total_potions, total_gold FROM shop.carts
          WHERE id IN (${cartIdList(cartIds)}) AND EXISTS (SELECT FROM s) ORDER BY id FOR UPDATE)
        SELECT s.epoch, s.game_day, s.game_hour, s.tick,
          coalesce((SELECT json_agg(json_build_object('id', c.id, 'epoch', c.epoch, 'status', c.status, 'hour', c.game_hour,
            'totalPotions', c.total_potions, 'totalGold', c.total_gold) ORDER BY c.id) FROM c), '[]'::json) AS carts
        FROM s`,
      sql`${potions}${sql.join(parts, sql` UNION ALL `)}`,
    ],
    parse([lockRows, readRows]) {
      const [row] = (lockRows ?? []) as {
        epoch: number;
        game_day: string | null;
        game_hour: number | null;
        tick: number;
        carts: CartLocks['carts'];
      }[];
      if (!row) throw new Error('shop.state row missing: run the shop migrations');
      const items = new Map<number, CartItem[]>();
      const listings = new Map<string, { name: string; price: number }>();
      const free = new Map<string, number>();
      for (const r of (readRows ?? []) as {
        kind: 'p' | 'l' | 'i';
        sku: string;
        cart_id: number | null;
        n: number;
        m: number | null;
        name: string | null;
      }[]) {
        if (r.kind === 'p') free.set(r.sku, Number(r.n));
        else if (r.kind === 'l') listings.set(r.sku, { name: r.name ?? r.sku, price: Number(r.n) });
        else {
          const item = { sku: r.sku, quantity: Number(r.n), unit_price: Number(r.m) };
          const list = items.get(Number(r.cart_id));
          if (list) list.push(item);
          else items.set(Number(r.cart_id), [item]);
        }
      }
      return { epoch: row.epoch, day: row.game_day, hour: row.game_hour, tick: row.tick, carts: row.carts, items, listings, free };
    },
  };
}

/**
 * The statement that writes a decided batch of cart requests (undefined when there is nothing to write):
 * each sku's reservation and stock change once (by their net change: an UPDATE … FROM with several rows
 * for one target row applies only one of them), the cart lines are set, the sales tally grows, the
 * balance row changes, the ledger transactions are posted and the sold carts are closed. Callers hold
 * the state and cart locks (the potions of sold skus are locked by this statement's own UPDATE: safe
 * because every writer of stock holds the state lock first).
 */
export function writeCartOps({
  epoch,
  tick,
  plan,
  ledger,
}: {
  epoch: number;
  tick: number;
  plan: CartOpsPlan;
  ledger: { cte: SQL; insert: SQL } | undefined;
}): SQL | undefined {
  const ctes: SQL[] = [];
  if (plan.stock.size > 0) {
    const changes = [...plan.stock].map(([sku, s]) => sql`(${sku}::text, ${s.reserved}::int, ${s.quantity}::int)`);
    ctes.push(sql`stocked AS (UPDATE shop.potions p SET reserved = p.reserved + v.reserved, quantity = p.quantity + v.quantity
      FROM (VALUES ${sql.join(changes, sql`, `)}) AS v(sku, reserved, quantity) WHERE p.epoch = ${epoch} AND p.sku = v.sku)`);
  }
  if (plan.lines.length > 0) {
    const values = plan.lines.map((l) => sql`(${l.cartId}::int, ${l.sku}::text, ${l.name}::text, ${l.quantity}::int, ${l.unitPrice}::int)`);
    ctes.push(sql`lined AS (INSERT INTO shop.cart_items (cart_id, sku, name, quantity, unit_price) VALUES ${sql.join(values, sql`, `)}
      ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price)`);
  }
  if (plan.tally.length > 0) {
    const tally = plan.tally.map((t) => sql`(${t.sku}::text, ${t.hour}::int, ${t.quantity}::int)`);
    ctes.push(sql`tally AS (INSERT INTO shop.sales_by_tick (epoch, tick, sku, hour, quantity)
      SELECT ${epoch}::int, ${tick}::int, t.sku, t.hour, t.quantity FROM (VALUES ${sql.join(tally, sql`, `)}) AS t(sku, hour, quantity)
      ON CONFLICT (epoch, tick, sku, hour) DO UPDATE SET quantity = shop.sales_by_tick.quantity + excluded.quantity)`);
  }
  if (plan.sales.length > 0) {
    // The balance row gains the batch's takings and loses the potions sold.
    const books = stateChangeSql({
      gold: plan.sales.reduce((n, c) => n + c.gold, 0),
      potions: -plan.sales.reduce((n, c) => n + c.potions, 0),
    });
    ctes.push(sql`books AS (${books})`);
    const carts = plan.sales.map((c) => sql`(${c.cartId}::int, ${c.payment}::text, ${c.potions}::int, ${c.gold}::int)`);
    ctes.push(sql`closed AS (UPDATE shop.carts c SET status = 'checked_out', payment = v.payment, total_potions = v.potions,
      total_gold = v.gold, closed_at = now(), closed_tick = ${tick}
      FROM (VALUES ${sql.join(carts, sql`, `)}) AS v(id, payment, potions, gold) WHERE c.id = v.id)`);
    if (ledger) ctes.push(ledger.cte);
  }
  if (ctes.length === 0) return undefined;
  return sql`WITH ${sql.join(ctes, sql`, `)} ${ledger?.insert ?? sql`SELECT 1`}`;
}

/**
 * Abandons the epoch's open carts created before `beforeTick` (all of them when undefined) and releases
 * their reservations. Callers hold the state lock, so the lock order is state → carts → potions.
 */
export async function abandonCarts(db: DbOrTx, epoch: number, tick: number, beforeTick?: number): Promise<number> {
  const older = beforeTick === undefined ? sql`` : sql`AND tick < ${beforeTick}`;
  const carts = await queryRows<{ id: number }>(
    db,
    sql`UPDATE shop.carts SET status = 'abandoned', closed_at = now(), closed_tick = ${tick}
      WHERE id IN (SELECT id FROM shop.carts WHERE epoch = ${epoch} AND status = 'open' ${older} ORDER BY id FOR UPDATE) RETURNING id`,
  );
  if (carts.length === 0) return 0;
  const ids = sql.join(
    carts.map((c) => sql`${c.id}`),
    sql`, `,
  );
  await db.execute(sql`UPDATE shop.potions p SET reserved = p.reserved - s.quantity
    FROM (SELECT sku, sum(quantity)::int AS quantity FROM shop.cart_items WHERE cart_id IN (${ids}) GROUP BY sku) s
    WHERE p.epoch = ${epoch} AND p.sku = s.sku`);
  return carts.length;
}

export interface SearchRow {
  line_item_id: number;
  quantity: number;
  name: string;
  customer_name: string;
  line_item_total: number;
  timestamp: Date | string;
}

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** Sold line items (every epoch: history stays queryable), filtered and sorted, `limit` rows from `offset`. */
export async function searchLineItems(db: DbOrTx, q: SearchQuery, offset: number, limit: number): Promise<SearchRow[]> {
  const columns: Record<SearchQuery['sort_col'], SQL> = {
    customer_name: sql`c.customer_name`,
    item_sku: sql`ci.name`,
    line_item_total: sql`ci.quantity * ci.unit_price`,
    timestamp: sql`c.closed_at`,
  };
  const dir = q.sort_order === 'asc' ? sql`ASC` : sql`DESC`;
  return queryRows<SearchRow>(
    db,
    sql`SELECT ci.id::int AS line_item_id, ci.quantity, ci.name, c.customer_name, ci.quantity * ci.unit_price AS line_item_total, c.closed_at AS timestamp
      FROM shop.cart_items ci JOIN shop.carts c ON c.id = ci.cart_id
      WHERE c.status = 'checked_out' AND c.customer_name ILIKE ${likeEscape(q.customer_name)}
        AND (ci.sku ILIKE ${likeEscape(q.potion_sku)} OR ci.name ILIKE ${likeEscape(q.potion_sku)})
      ORDER BY ${columns[q.sort_col]} ${dir}, ci.id ${dir} LIMIT ${limit} OFFSET ${offset}`,
  );
}
