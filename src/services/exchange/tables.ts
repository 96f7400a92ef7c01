import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgSchema, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { ShopState } from './domain/books.js';

export const exchange = pgSchema('exchange');

/** The real-time game clock: one row. `tick` is the next tick to run. */
export const clock = exchange.table(
  'clock',
  {
    id: integer('id').primaryKey().default(1),
    tick: integer('tick').notNull().default(0),
    lastTickAt: timestamp('last_tick_at', { withTimezone: true }),
    lastTickMs: integer('last_tick_ms'),
  },
  (t) => [check('clock_single_row', sql`${t.id} = 1`), check('clock_tick_non_negative', sql`${t.tick} >= 0`)],
);

/**
 * Registered shops. `state` materializes the ledger's balances plus reputation and id counters;
 * `version` grows with every write so a tick never overwrites a reset that happened while it ran.
 */
export const shops = exchange.table(
  'shops',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique('shops_name_unique'),
    baseUrl: text('base_url').notNull(),
    /** AES-256-GCM of the shop's API key under a key derived from EXCHANGE_ADMIN_KEY. */
    apiKeyCipher: text('api_key_cipher').notNull(),
    state: jsonb('state').$type<ShopState>().notNull(),
    version: integer('version').notNull().default(0),
    /** The tick from which the current books run (registration or the last reset). */
    epochTick: integer('epoch_tick').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('shops_name_length', sql`char_length(${t.name}) between 1 and 80`)],
);

/** Append-only ledger: every change of gold, ml per colour, potions per mix and capacity. */
export const ledger = exchange.table(
  'ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shopId: integer('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    tick: integer('tick').notNull(),
    kind: text('kind').notNull(),
    gold: integer('gold').notNull().default(0),
    red: integer('red').notNull().default(0),
    green: integer('green').notNull().default(0),
    blue: integer('blue').notNull().default(0),
    dark: integer('dark').notNull().default(0),
    mix: text('mix'),
    potions: integer('potions').notNull().default(0),
    potionCapacity: integer('potion_capacity').notNull().default(0),
    mlCapacity: integer('ml_capacity').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ledger_shop').on(t.shopId, t.id)],
);

/** Job log: one row per job of a tick (time, capacity, barrels, bottling, catalog, visits, purchase, audit). */
export const jobLog = exchange.table(
  'job_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shopId: integer('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    tick: integer('tick').notNull(),
    job: text('job').notNull(),
    request: jsonb('request'),
    ok: boolean('ok').notNull(),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    kind: text('kind'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_log_shop').on(t.shopId, t.id), index('job_log_errors').on(t.shopId, t.id).where(sql`not ${t.ok}`)],
);

/** Per shop and tick: balances after the tick and sales per class (charts and history). */
export const snapshots = exchange.table(
  'snapshots',
  {
    shopId: integer('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    tick: integer('tick').notNull(),
    gold: integer('gold').notNull(),
    netWorth: integer('net_worth').notNull(),
    visitors: integer('visitors').notNull().default(0),
    sales: jsonb('sales').$type<Record<string, { potions: number; gold: number }>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.tick] })],
);
