import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { Customer, SearchQuery } from '../schemas.js';

export interface GameTime {
  epoch: number;
  day: string | null;
  hour: number | null;
  tick: number;
}

export async function insertVisits(db: DbOrTx, visitId: number, customers: Customer[], t: GameTime): Promise<void> {
  if (customers.length === 0) return;
  const values = sql.join(
    customers.map(
      (c, i) =>
        sql`(${t.epoch}, ${visitId}, ${i}, ${c.customer_id ?? null}, ${c.customer_name}, ${c.character_class}, ${c.character_species ?? null}, ${c.level}, ${t.day}, ${t.hour}, ${t.tick})`,
    ),
    sql`, `,
  );
  // A retried visit call records nothing twice.
  await db.execute(sql`INSERT INTO shop.visits (epoch, visit_id, position, customer_id, customer_name, character_class, character_species, level, game_day, game_hour, tick)
    VALUES ${values} ON CONFLICT (epoch, visit_id, position) DO NOTHING`);
}

/** Opens a cart stamped with the current epoch and game time (read in the same statement). */
export async function insertCart(db: DbOrTx, c: Customer): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`INSERT INTO shop.carts (epoch, customer_id, customer_name, character_class, character_species, level, game_day, game_hour, tick)
      SELECT epoch, ${c.customer_id ?? null}, ${c.customer_name}, ${c.character_class}, ${c.character_species ?? null}, ${c.level}, game_day, game_hour, tick
      FROM shop.state WHERE id = 1
      RETURNING id`,
  );
  if (!row) throw new Error('cart insert returned nothing');
  return row.id;
}

export interface CartRow {
  id: number;
  epoch: number;
  status: 'open' | 'checked_out' | 'abandoned';
  total_potions: number | null;
  total_gold: number | null;
}

export async function lockCart(db: DbOrTx, cartId: number): Promise<CartRow | undefined> {
  const [row] = await queryRows<CartRow>(
    db,
    sql`SELECT id, epoch, status, total_potions, total_gold FROM shop.carts WHERE id = ${cartId} FOR UPDATE`,
  );
  return row;
}

type CartForItem = CartRow & { current_epoch: number; name: string | null; price: number | null; in_cart: number };

/**
 * For add-to-cart, in one round trip: the cart (locked), the shop's current epoch, the sku's listing
 * in that epoch and the quantity of it already in the cart.
 */
export async function lockCartForItem(db: DbOrTx, cartId: number, sku: string): Promise<CartForItem | undefined> {
  const [row] = await queryRows<CartForItem>(
    db,
    sql`SELECT c.id, c.epoch, c.status, c.total_potions, c.total_gold, s.epoch AS current_epoch, l.name, l.price,
        coalesce((SELECT quantity FROM shop.cart_items ci WHERE ci.cart_id = c.id AND ci.sku = ${sku}), 0) AS in_cart
      FROM shop.carts c CROSS JOIN shop.state s LEFT JOIN shop.listings l ON l.epoch = s.epoch AND l.sku = ${sku}
      WHERE c.id = ${cartId} AND s.id = 1 FOR UPDATE OF c`,
  );
  return row;
}

export interface ItemRow {
  sku: string;
  quantity: number;
  unit_price: number;
}

export async function cartItems(db: DbOrTx, cartId: number): Promise<ItemRow[]> {
  return queryRows<ItemRow>(db, sql`SELECT sku, quantity, unit_price FROM shop.cart_items WHERE cart_id = ${cartId} ORDER BY sku`);
}

/** Changes the reservation of a sku by `delta`; false when fewer than `delta` potions are free. */
export async function reserve(db: DbOrTx, epoch: number, sku: string, delta: number): Promise<boolean> {
  const rows = await queryRows<{ sku: string }>(
    db,
    sql`UPDATE shop.potions SET reserved = reserved + ${delta}
      WHERE epoch = ${epoch} AND sku = ${sku} AND quantity - reserved >= ${delta} RETURNING sku`,
  );
  return rows.length === 1;
}

export async function putItem(db: DbOrTx, cartId: number, sku: string, name: string, quantity: number, unitPrice: number): Promise<void> {
  await db.execute(sql`INSERT INTO shop.cart_items (cart_id, sku, name, quantity, unit_price) VALUES (${cartId}, ${sku}, ${name}, ${quantity}, ${unitPrice})
    ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price`);
}

/** Sells reserved potions: stock and reservation both go down. */
export async function sellReserved(db: DbOrTx, epoch: number, sku: string, quantity: number): Promise<void> {
  await db.execute(
    sql`UPDATE shop.potions SET quantity = quantity - ${quantity}, reserved = reserved - ${quantity} WHERE epoch = ${epoch} AND sku = ${sku}`,
  );
}

export async function closeCart(
  db: DbOrTx,
  cartId: number,
  payment: string | null,
  potions: number,
  gold: number,
  tick: number,
): Promise<void> {
  await db.execute(sql`UPDATE shop.carts SET status = 'checked_out', payment = ${payment}, total_potions = ${potions}, total_gold = ${gold},
    closed_at = now(), closed_tick = ${tick} WHERE id = ${cartId}`);
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
