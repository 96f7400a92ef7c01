import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, primaryKey, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const hackathon = pgSchema('hackathon');

export const participants = hackathon.table(
  'participants',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    company: text('company').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    bbtTokens: integer('bbt_tokens').notNull().default(0),
    lastExchangeAt: timestamp('last_exchange_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // Emails are unique whatever their case; the loader's ON CONFLICT targets this expression.
    uniqueIndex('participants_email_lower_key').on(sql`lower(${t.email})`),
    check('participants_bbt_tokens_non_negative', sql`${t.bbtTokens} >= 0`),
  ],
);

export const skills = hackathon.table('skills', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique('skills_name_key'),
});

export const participantSkills = hackathon.table(
  'participant_skills',
  {
    participantId: integer('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    skillId: integer('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
  },
  (t) => [
    primaryKey({ name: 'participant_skills_pkey', columns: [t.participantId, t.skillId] }),
    index('participant_skills_skill_idx').on(t.skillId),
    check('participant_skills_rating_range', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);

export const checkins = hackathon.table('checkins', {
  // One row per participant: a second check-in is a primary-key conflict.
  participantId: integer('participant_id')
    .primaryKey()
    .references(() => participants.id, { onDelete: 'cascade' }),
  volunteerId: integer('volunteer_id').notNull(),
  checkedInAt: timestamp('checked_in_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const bobaOrders = hackathon.table(
  'boba_orders',
  {
    id: serial('id').primaryKey(),
    participantId: integer('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    size: text('size').notNull(),
    flavour: text('flavour').notNull(),
    sweetness: text('sweetness').notNull(),
    ice: text('ice').notNull(),
    toppings: text('toppings').notNull(),
    status: text('status').notNull().default('Placed'),
    // What the order cost when placed, so a cancellation refunds exactly that even if the price changes.
    tokensSpent: integer('tokens_spent').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('boba_orders_participant_idx').on(t.participantId),
    index('boba_orders_status_idx').on(t.status),
    check('boba_orders_status_valid', sql`${t.status} IN ('Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled')`),
    check('boba_orders_tokens_spent_non_negative', sql`${t.tokensSpent} >= 0`),
  ],
);

export const activities = hackathon.table('activities', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique('activities_name_key'),
  category: text('category').notNull(),
});

export const scans = hackathon.table(
  'scans',
  {
    id: serial('id').primaryKey(),
    participantId: integer('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    activityId: integer('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    scannedAt: timestamp('scanned_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('scans_participant_idx').on(t.participantId, t.scannedAt), index('scans_activity_idx').on(t.activityId)],
);

export const hardwareLoans = hackathon.table(
  'hardware_loans',
  {
    id: serial('id').primaryKey(),
    item: text('item').notNull(),
    participantId: integer('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    signedOutAt: timestamp('signed_out_at', { withTimezone: true, mode: 'date' }).notNull(),
    returnedAt: timestamp('returned_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // An item can be out to one person at a time (names compared case-insensitively).
    uniqueIndex('hardware_loans_item_out_key').on(sql`lower(${t.item})`).where(sql`${t.returnedAt} IS NULL`),
    check('hardware_loans_returned_after_signout', sql`${t.returnedAt} IS NULL OR ${t.returnedAt} >= ${t.signedOutAt}`),
  ],
);
