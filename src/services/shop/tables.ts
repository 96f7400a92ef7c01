import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

export const shop = pgSchema('shop');

/**
 * The one materialized balance row (id = 1), locked FOR UPDATE by every write that changes the books.
 * `epoch` grows on each reset; every other table is keyed by it, so history of earlier epochs stays queryable.
 */
export const state = shop.table(
  'state',
  {
    id: integer('id').primaryKey(),
    epoch: integer('epoch').notNull(),
    gold: bigint('gold', { mode: 'number' }).notNull(),
    mlRed: bigint('ml_red', { mode: 'number' }).notNull(),
    mlGreen: bigint('ml_green', { mode: 'number' }).notNull(),
    mlBlue: bigint('ml_blue', { mode: 'number' }).notNull(),
    mlDark: bigint('ml_dark', { mode: 'number' }).notNull(),
    potions: integer('potions').notNull(),
    potionUnits: integer('potion_units').notNull(),
    mlUnits: integer('ml_units').notNull(),
    gameDay: text('game_day'),
    gameHour: integer('game_hour'),
    tick: integer('tick').notNull(),
  },
  (t) => [
    check('state_singleton', sql`${t.id} = 1`),
    check('state_gold_nonnegative', sql`${t.gold} >= 0`),
    check('state_ml_nonnegative', sql`${t.mlRed} >= 0 and ${t.mlGreen} >= 0 and ${t.mlBlue} >= 0 and ${t.mlDark} >= 0`),
    check('state_ml_within_capacity', sql`${t.mlRed} + ${t.mlGreen} + ${t.mlBlue} + ${t.mlDark} <= ${t.mlUnits}::bigint * 10000`),
    check('state_potions_within_capacity', sql`${t.potions} >= 0 and ${t.potions} <= ${t.potionUnits} * 50`),
    check('state_units_positive', sql`${t.potionUnits} >= 1 and ${t.mlUnits} >= 1`),
  ],
);

/** Potions held per mix (materialized from the ledger); `reserved` are in open carts. */
export const potions = shop.table(
  'potions',
  {
    epoch: integer('epoch').notNull(),
    sku: text('sku').notNull(),
    red: integer('red').notNull(),
    green: integer('green').notNull(),
    blue: integer('blue').notNull(),
    dark: integer('dark').notNull(),
    quantity: integer('quantity').notNull(),
    reserved: integer('reserved').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.epoch, t.sku] }),
    check(
      'potions_mix_valid',
      sql`${t.red} >= 0 and ${t.green} >= 0 and ${t.blue} >= 0 and ${t.dark} >= 0 and ${t.red} + ${t.green} + ${t.blue} + ${t.dark} = 100`,
    ),
    check('potions_quantity_nonnegative', sql`${t.quantity} >= 0`),
    check('potions_reserved_within_stock', sql`${t.reserved} >= 0 and ${t.reserved} <= ${t.quantity}`),
  ],
);

/** The catalog currently listed (chosen by the strategy each tick); add-to-cart charges these prices. */
export const listings = shop.table(
  'listings',
  {
    epoch: integer('epoch').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    price: integer('price').notNull(),
    slot: integer('slot').notNull(),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.sku] }), check('listings_price_range', sql`${t.price} between 1 and 500`)],
);

export const ledgerTransactions = shop.table(
  'ledger_transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    epoch: integer('epoch').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference'),
    gameDay: text('game_day'),
    gameHour: integer('game_hour'),
    tick: integer('tick').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ledger_transactions_epoch').on(t.epoch, t.id)],
);

/** Append-only: every change of gold, ml per colour, potions per mix and capacity. */
export const ledgerEntries = shop.table(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: bigint('transaction_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerTransactions.id),
    epoch: integer('epoch').notNull(),
    account: text('account').notNull(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
  },
  (t) => [index('ledger_entries_epoch_account').on(t.epoch, t.account), check('ledger_entries_delta_nonzero', sql`${t.delta} <> 0`)],
);

/**
 * Each account's balance per epoch: the sum of its ledger entries, kept by a statement trigger on
 * `ledger_entries` in the transaction that appends them (migration 0002), so the audit reads a few rows
 * instead of summing an ever-growing ledger. Any other write to it is refused (a row trigger).
 */
export const ledgerBalances = shop.table(
  'ledger_balances',
  {
    epoch: integer('epoch').notNull(),
    account: text('account').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.account] })],
);

/** First answer of each idempotent call, keyed by (epoch, endpoint, id). */
export const idempotency = shop.table(
  'idempotency',
  {
    epoch: integer('epoch').notNull(),
    endpoint: text('endpoint').notNull(),
    key: text('key').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.endpoint, t.key] })],
);

const customerColumns = {
  customerId: text('customer_id'),
  customerName: text('customer_name').notNull(),
  characterClass: text('character_class').notNull(),
  characterSpecies: text('character_species'),
  level: integer('level').notNull(),
  gameDay: text('game_day'),
  gameHour: integer('game_hour'),
  tick: integer('tick').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
};

export const visits = shop.table(
  'visits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    epoch: integer('epoch').notNull(),
    visitId: bigint('visit_id', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
    ...customerColumns,
  },
  (t) => [unique('visits_once').on(t.epoch, t.visitId, t.position)],
);

export const carts = shop.table(
  'carts',
  {
    id: serial('id').primaryKey(),
    epoch: integer('epoch').notNull(),
    ...customerColumns,
    status: text('status', { enum: ['open', 'checked_out', 'abandoned'] })
      .notNull()
      .default('open'),
    payment: text('payment'),
    totalPotions: integer('total_potions'),
    totalGold: integer('total_gold'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedTick: integer('closed_tick'),
  },
  (t) => [
    check('carts_status_valid', sql`${t.status} in ('open', 'checked_out', 'abandoned')`),
    index('carts_open').on(t.epoch, t.tick).where(sql`${t.status} = 'open'`),
  ],
);

/**
 * Potions sold per tick, sku and game hour of the cart (the hour its customer came), kept up to date by
 * every checkout in the same statement that closes the carts. The strategy's sales history reads these
 * few rows (ticks × skus) instead of aggregating every sold cart of the epoch, which grew with sales and
 * ran inside deliveries that hold the balance lock.
 */
export const salesByTick = shop.table(
  'sales_by_tick',
  {
    epoch: integer('epoch').notNull(),
    tick: integer('tick').notNull(),
    sku: text('sku').notNull(),
    hour: integer('hour').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.tick, t.sku, t.hour] }), check('sales_by_tick_quantity_positive', sql`${t.quantity} >= 1`)],
);

export const cartItems = shop.table(
  'cart_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cartId: integer('cart_id')
      .notNull()
      .references(() => carts.id),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('cart_items_one_per_sku').on(t.cartId, t.sku),
    check('cart_items_quantity_positive', sql`${t.quantity} >= 1`),
    check('cart_items_price_range', sql`${t.unitPrice} between 1 and 500`),
  ],
);
