import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';

// Check-ins, boba orders, badge scans and hardware loans. Times are unix seconds (float8 → number).

export interface CheckinRow {
  volunteer_id: number;
  check_in_time: number;
}

export interface OrderRow {
  id: number;
  participant_id: number;
  size: string;
  flavour: string;
  sweetness: string;
  ice: string;
  toppings: string;
  status: string;
  tokens_spent: number;
}

export interface NewOrder {
  participantId: number;
  size: string;
  flavour: string;
  sweetness: string;
  ice: string;
  toppings: string;
  tokensSpent: number;
}

export interface ScanRow {
  participant_id: number;
  activity_name: string;
  activity_category: string;
  scanned_at: number;
}

export interface LoanRow {
  item: string;
  participant_id: number;
  signed_out_at: number;
  returned_at: number | null;
}

const epoch = (column: SQL) => sql`floor(extract(epoch FROM ${column}))::float8`;
const ORDER_COLUMNS = sql`id, participant_id, size, flavour, sweetness, ice, toppings, status, tokens_spent`;
const LOAN_COLUMNS = sql`item, participant_id, ${epoch(sql`signed_out_at`)} AS signed_out_at, ${epoch(sql`returned_at`)} AS returned_at`;

export const activityStore = {
  async getCheckin(q: DbOrTx, participantId: number): Promise<CheckinRow | undefined> {
    const [row] = await queryRows<CheckinRow>(
      q,
      sql`SELECT volunteer_id, ${epoch(sql`checked_in_at`)} AS check_in_time FROM hackathon.checkins WHERE participant_id = ${participantId}`,
    );
    return row;
  },

  /** Undefined when the participant is already checked in (the primary key decides, under any concurrency). */
  async insertCheckin(q: DbOrTx, participantId: number, volunteerId: number, now: Date): Promise<CheckinRow | undefined> {
    const [row] = await queryRows<CheckinRow>(
      q,
      sql`INSERT INTO hackathon.checkins (participant_id, volunteer_id, checked_in_at)
          VALUES (${participantId}, ${volunteerId}, ${now.toISOString()}::timestamptz)
          ON CONFLICT (participant_id) DO NOTHING
          RETURNING volunteer_id, ${epoch(sql`checked_in_at`)} AS check_in_time`,
    );
    return row;
  },

  /**
   * Pays for and places an order in ONE statement (one round trip, autocommit): the conditional UPDATE
   * takes the tokens only if the balance covers them (the row lock serialises concurrent orders, each
   * judged on the latest balance) and the INSERT reads from it, so an order exists exactly when it was
   * paid. Undefined when nothing was taken (unknown participant or too few tokens).
   */
  async placeOrder(q: DbOrTx, o: NewOrder, now: Date): Promise<OrderRow | undefined> {
    const [row] = await queryRows<OrderRow>(
      q,
      sql`WITH paid AS (
            UPDATE hackathon.participants SET bbt_tokens = bbt_tokens - ${o.tokensSpent}
             WHERE id = ${o.participantId} AND bbt_tokens >= ${o.tokensSpent}
            RETURNING id
          )
          INSERT INTO hackathon.boba_orders (participant_id, size, flavour, sweetness, ice, toppings, tokens_spent, created_at)
          SELECT paid.id, ${o.size}, ${o.flavour}, ${o.sweetness}, ${o.ice}, ${o.toppings}, ${o.tokensSpent}, ${now.toISOString()}::timestamptz
            FROM paid
          RETURNING ${ORDER_COLUMNS}`,
    );
    return row;
  },

  async listOrders(q: DbOrTx, filter: { participantId?: number; status?: string }): Promise<OrderRow[]> {
    const where: SQL[] = [];
    if (filter.participantId !== undefined) where.push(sql`participant_id = ${filter.participantId}`);
    if (filter.status !== undefined) where.push(sql`status = ${filter.status}`);
    const whereSql = where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    return queryRows<OrderRow>(q, sql`SELECT ${ORDER_COLUMNS} FROM hackathon.boba_orders ${whereSql} ORDER BY id`);
  },

  async lockOrder(q: DbOrTx, id: number): Promise<OrderRow | undefined> {
    const [row] = await queryRows<OrderRow>(q, sql`SELECT ${ORDER_COLUMNS} FROM hackathon.boba_orders WHERE id = ${id} FOR UPDATE`);
    return row;
  },

  async setOrderStatus(q: DbOrTx, id: number, status: string): Promise<OrderRow | undefined> {
    const [row] = await queryRows<OrderRow>(
      q,
      sql`UPDATE hackathon.boba_orders SET status = ${status} WHERE id = ${id} RETURNING ${ORDER_COLUMNS}`,
    );
    return row;
  },

  /** The activity's id and category, creating it with `category` on its first scan. */
  async activity(q: DbOrTx, name: string, category: string): Promise<{ id: number; category: string }> {
    await q.execute(sql`INSERT INTO hackathon.activities (name, category) VALUES (${name}, ${category}) ON CONFLICT (name) DO NOTHING`);
    const [row] = await queryRows<{ id: number; category: string }>(
      q,
      sql`SELECT id, category FROM hackathon.activities WHERE name = ${name}`,
    );
    if (!row) throw new Error(`activity ${name} vanished`);
    return row;
  },

  async insertScan(q: DbOrTx, participantId: number, activityId: number, now: Date): Promise<number> {
    const [row] = await queryRows<{ scanned_at: number }>(
      q,
      sql`INSERT INTO hackathon.scans (participant_id, activity_id, scanned_at) VALUES (${participantId}, ${activityId}, ${now.toISOString()}::timestamptz)
          RETURNING ${epoch(sql`scanned_at`)} AS scanned_at`,
    );
    return row?.scanned_at ?? 0;
  },

  async listScans(q: DbOrTx, participantId: number): Promise<ScanRow[]> {
    return queryRows<ScanRow>(
      q,
      sql`SELECT s.participant_id, a.name AS activity_name, a.category AS activity_category, ${epoch(sql`s.scanned_at`)} AS scanned_at
            FROM hackathon.scans s JOIN hackathon.activities a ON a.id = s.activity_id
           WHERE s.participant_id = ${participantId}
           ORDER BY s.scanned_at DESC, s.id DESC`,
    );
  },

  async scanStats(
    q: DbOrTx,
    f: { minFrequency?: number; maxFrequency?: number; category?: string },
  ): Promise<Array<{ name: string; category: string; frequency: number }>> {
    const having: SQL[] = [];
    if (f.minFrequency !== undefined) having.push(sql`count(*) >= ${f.minFrequency}`);
    if (f.maxFrequency !== undefined) having.push(sql`count(*) <= ${f.maxFrequency}`);
    const havingSql = having.length > 0 ? sql`HAVING ${sql.join(having, sql` AND `)}` : sql``;
    const whereSql = f.category !== undefined ? sql`WHERE lower(a.category) = lower(${f.category})` : sql``;
    return queryRows(
      q,
      sql`SELECT a.name, a.category, count(*)::int AS frequency
            FROM hackathon.scans s JOIN hackathon.activities a ON a.id = s.activity_id
            ${whereSql}
           GROUP BY a.id, a.name, a.category ${havingSql}
           ORDER BY a.name`,
    );
  },

  /** Undefined when the item is already out (the partial unique index decides). */
  async insertLoan(q: DbOrTx, participantId: number, item: string, now: Date): Promise<LoanRow | undefined> {
    const [row] = await queryRows<LoanRow>(
      q,
      sql`INSERT INTO hackathon.hardware_loans (item, participant_id, signed_out_at)
          VALUES (${item}, ${participantId}, ${now.toISOString()}::timestamptz)
          ON CONFLICT ((lower(item))) WHERE returned_at IS NULL DO NOTHING
          RETURNING ${LOAN_COLUMNS}`,
    );
    return row;
  },

  /** Undefined when the item is not out. */
  async returnLoan(q: DbOrTx, item: string, now: Date): Promise<LoanRow | undefined> {
    const [row] = await queryRows<LoanRow>(
      q,
      sql`UPDATE hackathon.hardware_loans SET returned_at = GREATEST(signed_out_at, ${now.toISOString()}::timestamptz)
           WHERE lower(item) = lower(${item}) AND returned_at IS NULL
          RETURNING ${LOAN_COLUMNS}`,
    );
    return row;
  },

  async listLoansOut(q: DbOrTx): Promise<LoanRow[]> {
    return queryRows<LoanRow>(
      q,
      sql`SELECT ${LOAN_COLUMNS} FROM hackathon.hardware_loans WHERE returned_at IS NULL ORDER BY signed_out_at, id`,
    );
  },
};
