import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { Customer, SearchQuery } from '../schemas.js';

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

export interface CartRow {
  id: number;
  epoch: number;
  status: 'open' | 'checked_out' | 'abandoned';
  total_potions: number | null;
  total_gold: number | null;
}

/** Cart ids as an SQL list for `IN (…)`. */
const cartIdList = (cartIds: readonly number[]) =>
  sql.join(
    cartIds.map((id) => sql`${id}::int`),
    sql`, `,
  );

/** The balance row's epoch and game time, and the carts of one checkout batch, as locked for it. */
export interface CheckoutLocks {
  epoch: number;
  day: string | null;
  hour: number | null;
  tick: number;
  carts: CartRow[];
}

/**
 * Locks, in one statement, the balance row and then the given carts in id order (the lock order
 * state → carts → potions of the whole shop): `s` is referenced twice, so it is materialized, and the
 * carts' scan first evaluates EXISTS (SELECT FROM s), which takes the state lock. Locked rows are read
 * as committed after the wait; rows of other tables would not be (the statement's snapshot predates
 * the wait), which is why the carts' items are read by a later statement (itemsOfCarts).
 */
export async function lockForCheckout(db: DbOrTx, cartIds: number[]): Promise<CheckoutLocks> {
  const ids = cartIdList(cartIds);
  const [row] = await queryRows<{ epoch: number; game_day: string | null; game_hour: number | null; tick: number; carts: CartRow[] }>(
    db,
    sql`WITH s AS (SELECT epoch, game_day, game_hour, tick FROM shop.state WHERE id = 1 FOR UPDATE),
      c AS (SELECT id, epoch, status, total_potions, total_gold FROM shop.carts
        WHERE id IN (${ids}) AND EXISTS (SELECT FROM s) ORDER BY id FOR UPDATE)
      SELECT s.epoch, s.game_day, s.game_hour, s.tick,
        coalesce((SELECT json_agg(json_build_object('id', c.id, 'epoch', c.epoch, 'status', c.status,
          'total_potions', c.total_potions, 'total_gold', c.total_gold) ORDER BY c.id) FROM c), '[]'::json) AS carts
      FROM s`,
  );
  if (!row) throw new Error('shop.state row missing: run the shop migrations');
  return { epoch: row.epoch, day: row.game_day, hour: row.game_hour, tick: row.tick, carts: row.carts };
}

export interface ItemRow {
  sku: string;
  quantity: number;
  unit_price: number;
}

/** The lines of the given carts, per cart. Read after the cart locks are held, so no add-to-cart is missed. */
export async function itemsOfCarts(db: DbOrTx, cartIds: number[]): Promise<Map<number, ItemRow[]>> {
  const items = new Map<number, ItemRow[]>();
  if (cartIds.length === 0) return items;
  const ids = cartIdList(cartIds);
  const rows = await queryRows<ItemRow & { cart_id: number }>(
    db,
    sql`SELECT cart_id, sku, quantity, unit_price FROM shop.cart_items WHERE cart_id IN (${ids}) ORDER BY cart_id, sku`,
  );
  for (const { cart_id, ...item } of rows) {
    const list = items.get(cart_id);
    if (list) list.push(item);
    else items.set(cart_id, [item]);
  }
  return items;
}

/** Locks carts for add-to-cart (id order) and reads the shop's current epoch (not locked). */
export async function lockCartsForItems(
  db: DbOrTx,
  cartIds: number[],
): Promise<{ epoch: number; carts: { id: number; epoch: number; status: CartRow['status'] }[] }> {
  const ids = cartIdList(cartIds);
  const [row] = await queryRows<{ epoch: number; carts: { id: number; epoch: number; status: CartRow['status'] }[] }>(
    db,
    sql`WITH c AS (SELECT id, epoch, status FROM shop.carts WHERE id IN (${ids}) ORDER BY id FOR UPDATE)
      SELECT s.epoch, coalesce((SELECT json_agg(json_build_object('id', c.id, 'epoch', c.epoch, 'status', c.status)) FROM c), '[]'::json) AS carts
      FROM shop.state s WHERE s.id = 1`,
  );
  if (!row) throw new Error('shop.state row missing: run the shop migrations');
  return row;
}

/**
 * For add-to-cart, after the carts are locked (so that this statement's snapshot sees every line their
 * earlier holders committed): the skus' listings in `epoch`, their free stock — locking their potion rows
 * (sku order) — and the quantities the carts already hold of them.
 */
export async function readItemContext(
  db: DbOrTx,
  epoch: number,
  cartIds: number[],
  skus: string[],
): Promise<{
  listings: Map<string, { name: string; price: number }>;
  free: Map<string, number>;
  inCart: { cartId: number; sku: string; quantity: number }[];
}> {
  const ids = cartIdList(cartIds);
  const skuList = sql.join(
    skus.map((sku) => sql`${sku}::text`),
    sql`, `,
  );
  const rows = await queryRows<{ kind: 'p' | 'l' | 'i'; sku: string; cart_id: number | null; n: number; name: string | null }>(
    db,
    sql`WITH p AS MATERIALIZED (SELECT sku, quantity - reserved AS free FROM shop.potions
          WHERE epoch = ${epoch} AND sku IN (${skuList}) ORDER BY sku FOR UPDATE)
      SELECT 'p' AS kind, sku, NULL::int AS cart_id, free AS n, NULL::text AS name FROM p
      UNION ALL SELECT 'l', sku, NULL, price, name FROM shop.listings WHERE epoch = ${epoch} AND sku IN (${skuList})
      UNION ALL SELECT 'i', sku, cart_id, quantity, NULL FROM shop.cart_items WHERE cart_id IN (${ids}) AND sku IN (${skuList})`,
  );
  const listings = new Map<string, { name: string; price: number }>();
  const free = new Map<string, number>();
  const inCart: { cartId: number; sku: string; quantity: number }[] = [];
  for (const r of rows) {
    if (r.kind === 'p') free.set(r.sku, Number(r.n));
    else if (r.kind === 'l') listings.set(r.sku, { name: r.name ?? r.sku, price: Number(r.n) });
    else inCart.push({ cartId: Number(r.cart_id), sku: r.sku, quantity: Number(r.n) });
  }
  return { listings, free, inCart };
}

/** Changes the skus' reservations and writes the cart lines, in one statement. Callers hold the locks. */
export async function writeCartItems(
  db: DbOrTx,
  epoch: number,
  reserve: ReadonlyMap<string, number>,
  lines: readonly { cartId: number; sku: string; name: string; quantity: number; unitPrice: number }[],
): Promise<void> {
  if (lines.length === 0) return;
  const values = sql.join(
    lines.map((l) => sql`(${l.cartId}::int, ${l.sku}::text, ${l.name}::text, ${l.quantity}::int, ${l.unitPrice}::int)`),
    sql`, `,
  );
  const reserved =
    reserve.size === 0
      ? sql``
      : sql`WITH reserved AS (UPDATE shop.potions p SET reserved = p.reserved + v.delta
          FROM (VALUES ${sql.join(
            [...reserve].map(([sku, delta]) => sql`(${sku}::text, ${delta}::int)`),
            sql`, `,
          )}) AS v(sku, delta) WHERE p.epoch = ${epoch} AND p.sku = v.sku) `;
  await db.execute(sql`${reserved}INSERT INTO shop.cart_items (cart_id, sku, name, quantity, unit_price) VALUES ${values}
    ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price`);
}

export interface CartsSale {
  epoch: number;
  tick: number;
  carts: { cartId: number; payment: string | null; potions: number; gold: number; items: ItemRow[] }[];
  /** The balance row's change by the whole batch, as an UPDATE (see stateChangeSql). */
  books: SQL;
  /** One ledger transaction per sold cart (see ledgerBatchSql); undefined when there is nothing to post. */
  ledger: { cte: SQL; insert: SQL } | undefined;
}

/**
 * Sells a batch of carts in one statement: their reserved potions leave stock and reservation (summed
 * per sku first: an UPDATE … FROM with several rows for one target row applies only one of them), the
 * sales tally grows, the balance row changes, the ledger transactions are posted and the carts are
 * closed. Callers hold the state and cart locks.
 */
export async function sellCarts(db: DbOrTx, sale: CartsSale): Promise<void> {
  if (sale.carts.length === 0) return;
  const ctes: SQL[] = [];
  const lines = sale.carts.flatMap((c) => c.items.map((i) => sql`(${c.cartId}::int, ${i.sku}::text, ${i.quantity}::int)`));
  if (lines.length > 0) {
    ctes.push(sql`sold_lines AS (SELECT * FROM (VALUES ${sql.join(lines, sql`, `)}) AS l(cart_id, sku, quantity))`);
    ctes.push(sql`sold AS (UPDATE shop.potions p SET quantity = p.quantity - v.quantity, reserved = p.reserved - v.quantity
      FROM (SELECT sku, sum(quantity)::int AS quantity FROM sold_lines GROUP BY sku) AS v
      WHERE p.epoch = ${sale.epoch} AND p.sku = v.sku)`);
    // The sales history's tally: by sku and the game hour the customer came (the cart's).
    ctes.push(sql`tally AS (INSERT INTO shop.sales_by_tick (epoch, tick, sku, hour, quantity)
      SELECT ${sale.epoch}::int, ${sale.tick}::int, l.sku, coalesce(c.game_hour, 0), sum(l.quantity)::int
      FROM sold_lines l JOIN shop.carts c ON c.id = l.cart_id GROUP BY l.sku, coalesce(c.game_hour, 0)
      ON CONFLICT (epoch, tick, sku, hour) DO UPDATE SET quantity = shop.sales_by_tick.quantity + excluded.quantity)`);
  }
  ctes.push(sql`books AS (${sale.books})`);
  const carts = sql.join(
    sale.carts.map((c) => sql`(${c.cartId}::int, ${c.payment}::text, ${c.potions}::int, ${c.gold}::int)`),
    sql`, `,
  );
  ctes.push(sql`closed AS (UPDATE shop.carts c SET status = 'checked_out', payment = v.payment, total_potions = v.potions,
    total_gold = v.gold, closed_at = now(), closed_tick = ${sale.tick}
    FROM (VALUES ${carts}) AS v(id, payment, potions, gold) WHERE c.id = v.id)`);
  if (sale.ledger) ctes.push(sale.ledger.cte);
  await db.execute(sql`WITH ${sql.join(ctes, sql`, `)} ${sale.ledger?.insert ?? sql`SELECT 1`}`);
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
