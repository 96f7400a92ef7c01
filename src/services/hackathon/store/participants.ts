import { eq, type SQL, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows } from '../../../platform/db.js';
import { checkins, participants } from '../tables.js';

// The only file that speaks SQL. Timestamps cross the boundary as unix milliseconds/seconds (float8),
// which both drivers return as plain numbers.

export interface ParticipantRow {
  id: number;
  name: string;
  company: string;
  email: string;
  phone: string;
  bbt_tokens: number;
  checked_in: boolean;
  skills: Array<{ skill: string; rating: number }>;
}

export interface ParticipantFilter {
  id?: number;
  ids?: number[];
  checkedIn?: boolean;
  limit?: number;
  offset?: number;
}

export interface SkillStatRow {
  name: string;
  frequency: number;
  average_rating: number;
}

export interface NewParticipant {
  name: string;
  company: string;
  email: string;
  phone: string;
}

/** One pair's result in an exchange batch: both participants as credited, or why it was refused. */
export interface ExchangeOutcome {
  ok: boolean;
  /** Whether each participant (in the pair's order) exists. */
  exists: [boolean, boolean];
  /** Each one's last exchange as seen under the row lock (unix ms), null if never. */
  lastExchangeMs: [number | null, number | null];
  /** Both participants after the credit, in the pair's order; empty when refused. */
  credited: ParticipantRow[];
}

export type ParticipantStore = ReturnType<typeof createParticipantStore>;

const SKILLS_AGG = sql`json_agg(json_build_object('skill', s.name, 'rating', ps.rating) ORDER BY s.name)`;

function skillsOf(participantId: SQL): SQL {
  return sql`COALESCE((SELECT ${SKILLS_AGG} FROM hackathon.participant_skills ps JOIN hackathon.skills s ON s.id = ps.skill_id
                        WHERE ps.participant_id = ${participantId}), '[]'::json)`;
}

export function createParticipantStore(db: Db) {
  let byIdStatement: ReturnType<typeof prepareById> | undefined;
  function selectParticipants() {
    return db
      .select({
        id: participants.id,
        name: participants.name,
        company: participants.company,
        email: participants.email,
        phone: participants.phone,
        bbt_tokens: participants.bbtTokens,
        checked_in: sql<boolean>`(${checkins.participantId} IS NOT NULL)`,
        skills: sql<ParticipantRow['skills']>`${skillsOf(sql`${participants.id}`)}`,
      })
      .from(participants)
      .leftJoin(checkins, eq(checkins.participantId, participants.id))
      .$dynamic();
  }
  function prepareById() {
    return selectParticipants()
      .where(eq(participants.id, sql.placeholder('id')))
      .prepare('hackathon_participant_by_id');
  }
  return {
    db,
    transaction<T>(fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(tx));
    },

    /**
     * Participants with check-in state and skills in ONE query, whatever their number. Lists join one
     * aggregate over all ratings; lookups by id aggregate only their own rows.
     */
    async readParticipants(q: DbOrTx, filter: ParticipantFilter = {}): Promise<ParticipantRow[]> {
      const where: SQL[] = [];
      if (filter.id !== undefined) where.push(sql`p.id = ${filter.id}`);
      if (filter.ids !== undefined)
        where.push(
          sql`p.id IN (${sql.join(
            filter.ids.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        );
      if (filter.checkedIn !== undefined) where.push(filter.checkedIn ? sql`c.participant_id IS NOT NULL` : sql`c.participant_id IS NULL`);
      const whereSql = where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
      const page = filter.limit !== undefined ? sql`LIMIT ${filter.limit} OFFSET ${filter.offset ?? 0}` : sql``;
      const byId = filter.id !== undefined || filter.ids !== undefined;
      const skillsSql = byId ? sql`${skillsOf(sql`p.id`)} AS skills` : sql`COALESCE(sk.skills, '[]'::json) AS skills`;
      const skillsJoin = byId
        ? sql``
        : sql`LEFT JOIN (SELECT ps.participant_id, ${SKILLS_AGG} AS skills
                           FROM hackathon.participant_skills ps JOIN hackathon.skills s ON s.id = ps.skill_id
                          GROUP BY ps.participant_id) sk ON sk.participant_id = p.id`;
      return queryRows<ParticipantRow>(
        q,
        sql`SELECT p.id, p.name, p.company, p.email, p.phone, p.bbt_tokens,
              (c.participant_id IS NOT NULL) AS checked_in, ${skillsSql}
            FROM hackathon.participants p
            LEFT JOIN hackathon.checkins c ON c.participant_id = p.id
            ${skillsJoin}
            ${whereSql}
            ORDER BY p.id ${page}`,
      );
    },

    /** The hot single lookup, as a named prepared statement (planned once per connection). */
    async participantById(id: number): Promise<ParticipantRow | undefined> {
      byIdStatement ??= prepareById();
      const [row] = await byIdStatement.execute({ id });
      return row;
    },

    async countParticipants(q: DbOrTx): Promise<number> {
      const [row] = await queryRows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM hackathon.participants`);
      return row?.n ?? 0;
    },

    /** Locks the participant row for the rest of the transaction; false when there is none. */
    async lockParticipant(q: DbOrTx, id: number): Promise<boolean> {
      const rows = await queryRows(q, sql`SELECT id FROM hackathon.participants WHERE id = ${id} FOR UPDATE`);
      return rows.length > 0;
    },

    async participantExists(q: DbOrTx, id: number): Promise<boolean> {
      const rows = await queryRows(q, sql`SELECT 1 FROM hackathon.participants WHERE id = ${id}`);
      return rows.length > 0;
    },

    /** Inserts participants, skipping emails already registered; returns the new ids by lower(email). */
    async insertParticipants(q: DbOrTx, list: readonly NewParticipant[]): Promise<Map<string, number>> {
      const ids = new Map<string, number>();
      if (list.length === 0) return ids;
      const values = sql.join(
        list.map((p) => sql`(${p.name}, ${p.company}, ${p.email}, ${p.phone})`),
        sql`, `,
      );
      const rows = await queryRows<{ id: number; email: string }>(
        q,
        sql`INSERT INTO hackathon.participants (name, company, email, phone) VALUES ${values}
            ON CONFLICT ((lower(email))) DO NOTHING RETURNING id, email`,
      );
      for (const row of rows) ids.set(row.email.toLowerCase(), row.id);
      return ids;
    },

    /** Applies the given fields; throws the driver's unique violation when the email is taken. */
    async updateParticipant(q: DbOrTx, id: number, fields: Partial<NewParticipant>): Promise<void> {
      const sets: SQL[] = [];
      if (fields.name !== undefined) sets.push(sql`name = ${fields.name}`);
      if (fields.company !== undefined) sets.push(sql`company = ${fields.company}`);
      if (fields.email !== undefined) sets.push(sql`email = ${fields.email}`);
      if (fields.phone !== undefined) sets.push(sql`phone = ${fields.phone}`);
      if (sets.length === 0) return;
      await q.execute(sql`UPDATE hackathon.participants SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
    },

    /** Ensures the skills exist and returns their ids by name. */
    async skillIds(q: DbOrTx, names: readonly string[]): Promise<Map<string, number>> {
      const unique = [...new Set(names)];
      const ids = new Map<string, number>();
      if (unique.length === 0) return ids;
      const list = sql.join(
        unique.map((n) => sql`(${n})`),
        sql`, `,
      );
      await q.execute(sql`INSERT INTO hackathon.skills (name) VALUES ${list} ON CONFLICT (name) DO NOTHING`);
      const names_ = sql.join(
        unique.map((n) => sql`${n}`),
        sql`, `,
      );
      const rows = await queryRows<{ id: number; name: string }>(q, sql`SELECT id, name FROM hackathon.skills WHERE name IN (${names_})`);
      for (const row of rows) ids.set(row.name, row.id);
      return ids;
    },

    /** One rating per (participant, skill): an existing rating is replaced, as an update would. */
    async upsertRatings(q: DbOrTx, ratings: ReadonlyArray<{ participantId: number; skillId: number; rating: number }>): Promise<void> {
      if (ratings.length === 0) return;
      const values = sql.join(
        ratings.map((r) => sql`(${r.participantId}, ${r.skillId}, ${r.rating})`),
        sql`, `,
      );
      await q.execute(
        sql`INSERT INTO hackathon.participant_skills (participant_id, skill_id, rating) VALUES ${values}
            ON CONFLICT (participant_id, skill_id) DO UPDATE SET rating = excluded.rating`,
      );
    },

    /** Frequency (participants having the skill) and average rating rounded to 2 decimals, per skill. */
    async skillStats(q: DbOrTx): Promise<SkillStatRow[]> {
      return queryRows<SkillStatRow>(
        q,
        sql`SELECT s.name, count(*)::int AS frequency, round(avg(ps.rating), 2)::float8 AS average_rating
              FROM hackathon.participant_skills ps JOIN hackathon.skills s ON s.id = ps.skill_id
             GROUP BY s.name ORDER BY s.name`,
      );
    },

    // --- tokens

    /** Adds `delta` (may be negative) unless the balance would drop below zero. */
    async addTokens(q: DbOrTx, id: number, delta: number): Promise<number | undefined> {
      const [row] = await queryRows<{ bbt_tokens: number }>(
        q,
        sql`UPDATE hackathon.participants SET bbt_tokens = bbt_tokens + ${delta}
             WHERE id = ${id} AND bbt_tokens + ${delta} >= 0 RETURNING bbt_tokens`,
      );
      return row?.bbt_tokens;
    },

    /**
     * A batch of token exchanges in ONE statement and one transaction (one commit for the batch): the
     * rows of every participant named are locked in id order (so crossing pairs, and batches of other
     * processes, cannot deadlock), each pair is judged on the locked, latest row versions (both exist,
     * neither exchanged within the cooldown), and the pairs that pass are credited. The pairs must not
     * share a participant (the caller splits such pairs over batches), so each row moves at most once.
     * Outcomes come back in the order of `pairs`, each with both participants as credited when it passed.
     */
    async exchangeBatch(pairs: ReadonlyArray<readonly [number, number]>, now: Date, cooldownSeconds: number): Promise<ExchangeOutcome[]> {
      const seen = new Set<number>();
      for (const [a, b] of pairs) {
        if (a === b || seen.has(a) || seen.has(b)) throw new Error('exchangeBatch: pairs must name distinct participants');
        seen.add(a).add(b);
      }
      const batch = JSON.stringify(pairs.map(([a, b], i) => ({ i, a, b })));
      const at = sql`${now.toISOString()}::timestamptz`;
      const cooledDown = (last: SQL) => sql`(${last} IS NULL OR ${last} <= ${at} - make_interval(secs => ${cooldownSeconds}::float8))`;
      const rows = await queryRows<{
        i: number;
        ok: boolean;
        a_exists: boolean;
        b_exists: boolean;
        a_last_ms: number | null;
        b_last_ms: number | null;
        a_row: ParticipantRow | null;
        b_row: ParticipantRow | null;
      }>(
        db,
        sql`WITH req AS (
              SELECT r.i, r.a, r.b FROM jsonb_to_recordset(${batch}::jsonb) AS r(i int, a int, b int)
            ), locked AS MATERIALIZED (
              SELECT p.id, p.last_exchange_at FROM hackathon.participants p
               WHERE p.id IN (SELECT req.a FROM req UNION SELECT req.b FROM req)
               ORDER BY p.id FOR NO KEY UPDATE
            ), judged AS (
              SELECT req.i, req.a, req.b,
                     la.id IS NOT NULL AS a_exists, lb.id IS NOT NULL AS b_exists,
                     (extract(epoch FROM la.last_exchange_at) * 1000)::float8 AS a_last_ms,
                     (extract(epoch FROM lb.last_exchange_at) * 1000)::float8 AS b_last_ms,
                     (la.id IS NOT NULL AND lb.id IS NOT NULL AND ${cooledDown(sql`la.last_exchange_at`)} AND ${cooledDown(sql`lb.last_exchange_at`)}) AS ok
                FROM req LEFT JOIN locked la ON la.id = req.a LEFT JOIN locked lb ON lb.id = req.b
            ), credited AS (
              UPDATE hackathon.participants p SET bbt_tokens = p.bbt_tokens + 1, last_exchange_at = ${at}
                FROM (SELECT judged.a AS id FROM judged WHERE judged.ok UNION ALL SELECT judged.b FROM judged WHERE judged.ok) x
               WHERE p.id = x.id
              RETURNING p.id, p.name, p.company, p.email, p.phone, p.bbt_tokens,
                        EXISTS (SELECT 1 FROM hackathon.checkins c WHERE c.participant_id = p.id) AS checked_in,
                        ${skillsOf(sql`p.id`)} AS skills
            )
            SELECT j.i, j.ok, j.a_exists, j.b_exists, j.a_last_ms, j.b_last_ms, to_json(ca) AS a_row, to_json(cb) AS b_row
              FROM judged j
              LEFT JOIN credited ca ON j.ok AND ca.id = j.a
              LEFT JOIN credited cb ON j.ok AND cb.id = j.b
             ORDER BY j.i`,
      );
      return rows.map((r) => ({
        ok: r.ok && r.a_row !== null && r.b_row !== null,
        exists: [r.a_exists, r.b_exists],
        lastExchangeMs: [r.a_last_ms, r.b_last_ms],
        credited: r.a_row && r.b_row ? [r.a_row, r.b_row] : [],
      }));
    },
  };
}
