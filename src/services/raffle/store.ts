import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows, type Tx } from '../../platform/db.js';
import type { DrawnWinners, Prize } from './domain/draw.js';
import { claims, raffles, winnerChunks } from './tables.js';

/** Winners per stored row (see winner_chunks). */
export const WINNER_CHUNK = 1000;

export interface RaffleRow {
  id: string;
  name: string;
  totalTickets: number;
  claimed: number;
  prizes: Prize[];
  permKey: Buffer;
  winnersDrawn: boolean;
  createdAt: Date;
}

export interface PageKey {
  createdAt: Date;
  id: string;
}

const toBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const raffleColumns = {
  id: raffles.id,
  name: raffles.name,
  totalTickets: raffles.totalTickets,
  claimed: raffles.claimed,
  prizes: raffles.prizes,
  permKey: raffles.permKey,
  winnersDrawn: raffles.winnersDrawn,
  createdAt: raffles.createdAt,
};

function toRaffle(row: RaffleRow): RaffleRow {
  return { ...row, permKey: toBuffer(row.permKey) };
}

export function createRaffleStore(db: Db) {
  let claimStatement: ReturnType<typeof prepareClaimAndPrize> | undefined;
  function prepareClaimAndPrize() {
    const ticket = sql`${sql.placeholder('ticket')}::int`;
    return db
      .select({
        codeSalt: claims.codeSalt,
        codeHash: claims.codeHash,
        // The winners chunk that would hold this ticket (the last one starting at or below it).
        prizeIndex: sql<number | null>`(SELECT w.prize_indexes[array_position(w.tickets, ${ticket})]
            FROM raffle.winner_chunks w WHERE w.raffle_id = ${claims.raffleId} AND w.first_ticket <= ${ticket}
            ORDER BY w.first_ticket DESC LIMIT 1)`,
      })
      .from(claims)
      .where(and(eq(claims.raffleId, sql.placeholder('raffle')), eq(claims.seq, sql.placeholder('seq'))))
      .prepare('raffle_claim_and_prize');
  }

  return {
    transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      // drizzle's transaction type carries the (empty) relations map; Tx is the platform's name for it.
      return db.transaction((tx) => fn(tx as unknown as Tx));
    },

    async insertRaffle(row: Omit<RaffleRow, 'claimed' | 'winnersDrawn'>): Promise<RaffleRow> {
      const [created] = await db.insert(raffles).values(row).returning(raffleColumns);
      if (!created) throw new Error('insert returned no row');
      return toRaffle(created);
    },

    async getRaffle(id: string, tx: DbOrTx = db, lock = false): Promise<RaffleRow | undefined> {
      const query = tx.select(raffleColumns).from(raffles).where(eq(raffles.id, id));
      const [row] = lock ? await query.for('update') : await query;
      return row ? toRaffle(row) : undefined;
    },

    /** Newest first; `after` is the last row of the previous page. */
    async listRaffles(limit: number, after?: PageKey): Promise<RaffleRow[]> {
      const rows = await db
        .select(raffleColumns)
        .from(raffles)
        .where(
          after
            ? or(lt(raffles.createdAt, after.createdAt), and(eq(raffles.createdAt, after.createdAt), lt(raffles.id, after.id)))
            : undefined,
        )
        .orderBy(desc(raffles.createdAt), desc(raffles.id))
        .limit(limit);
      return rows.map(toRaffle);
    },

    /**
     * Records a batch of claims (distinct clients) in ONE statement, so a crowd of claimers costs one
     * transaction per batch instead of one per claim. The raffle row is locked (FOR UPDATE returns its
     * latest committed counter), clients that already hold a ticket are skipped, the rest get the next
     * claim indexes in order while tickets remain, and the counter moves by exactly the rows inserted.
     * A client that claimed concurrently through another process makes the insert violate
     * claims_one_per_client and the whole statement (counter included) roll back; the caller then
     * retries claim by claim. Undefined when the raffle is unknown.
     */
    async claimBatch(
      raffleId: string,
      members: { clientIp: string; codeSalt: Buffer; codeHash: Buffer }[],
    ): Promise<{ totalTickets: number; permKey: Buffer; granted: Map<string, number>; existing: Set<string> } | undefined> {
      const batch = JSON.stringify(
        members.map((m, i) => ({ i, ip: m.clientIp, salt: m.codeSalt.toString('hex'), hash: m.codeHash.toString('hex') })),
      );
      const [row] = await queryRows<{
        total_tickets: number | null;
        perm_key: Uint8Array | null;
        granted: { ip: string; seq: number }[] | null;
        existing: string[] | null;
      }>(
        db,
        sql`WITH locked AS (
              SELECT claimed, total_tickets, perm_key FROM raffle.raffles WHERE id = ${raffleId} FOR UPDATE
            ), cand AS (
              SELECT c.i, c.ip, c.salt, c.hash,
                     EXISTS (SELECT 1 FROM raffle.claims x WHERE x.raffle_id = ${raffleId} AND x.client_ip = c.ip) AS has_claim
              FROM jsonb_to_recordset(${batch}::jsonb) AS c(i int, ip text, salt text, hash text)
            ), fresh AS (
              SELECT cand.*, row_number() OVER (ORDER BY cand.i) AS rn FROM cand WHERE NOT cand.has_claim
            ), granted AS (
              SELECT fresh.ip, fresh.salt, fresh.hash, (locked.claimed + fresh.rn - 1)::int AS seq
              FROM fresh, locked WHERE locked.claimed + fresh.rn <= locked.total_tickets
            ), ins AS (
              INSERT INTO raffle.claims (raffle_id, seq, client_ip, code_salt, code_hash)
              SELECT ${raffleId}, granted.seq, granted.ip, decode(granted.salt, 'hex'), decode(granted.hash, 'hex') FROM granted
              RETURNING seq, client_ip
            ), counted AS (
              UPDATE raffle.raffles SET claimed = claimed + (SELECT count(*) FROM ins)
              WHERE id = ${raffleId} AND EXISTS (SELECT 1 FROM ins)
              RETURNING claimed
            )
            SELECT locked.total_tickets, locked.perm_key,
                   (SELECT json_agg(json_build_object('ip', ins.client_ip, 'seq', ins.seq)) FROM ins) AS granted,
                   (SELECT json_agg(cand.ip) FROM cand WHERE cand.has_claim) AS existing,
                   (SELECT count(*) FROM counted) AS updated
            FROM (SELECT 1) AS one LEFT JOIN locked ON true`,
      );
      if (!row || row.total_tickets === null || row.perm_key === null) return undefined;
      return {
        totalTickets: Number(row.total_tickets),
        permKey: toBuffer(row.perm_key),
        granted: new Map((row.granted ?? []).map((g) => [g.ip, Number(g.seq)])),
        existing: new Set(row.existing ?? []),
      };
    },

    /**
     * Stores winners (sorted by ticket number) WINNER_CHUNK per row, in one statement: the numbers go
     * over as two array literals and PostgreSQL cuts them into chunks.
     */
    async insertWinners(tx: Tx, raffleId: string, drawn: DrawnWinners): Promise<void> {
      if (drawn.tickets.length === 0) return;
      await tx.execute(
        sql`INSERT INTO raffle.winner_chunks (raffle_id, first_ticket, tickets, prize_indexes)
            SELECT ${raffleId}::uuid, min(w.ticket), array_agg(w.ticket ORDER BY w.n), array_agg(w.prize ORDER BY w.n)
              FROM unnest(${`{${drawn.tickets.join(',')}}`}::int[], ${`{${drawn.prizeIndexes.join(',')}}`}::int[])
                   WITH ORDINALITY AS w(ticket, prize, n)
             GROUP BY (w.n - 1) / ${sql.raw(String(WINNER_CHUNK))}`,
      );
    },

    async markDrawn(tx: Tx, raffleId: string, at: Date): Promise<void> {
      await tx.update(raffles).set({ winnersDrawn: true, drawnAt: at }).where(eq(raffles.id, raffleId));
    },

    /** Every winner of a raffle, sorted by ticket number. */
    async listWinners(raffleId: string): Promise<DrawnWinners> {
      const chunks = await db
        .select({ tickets: winnerChunks.tickets, prizeIndexes: winnerChunks.prizeIndexes })
        .from(winnerChunks)
        .where(eq(winnerChunks.raffleId, raffleId))
        .orderBy(asc(winnerChunks.firstTicket));
      const total = chunks.reduce((n, c) => n + c.tickets.length, 0);
      const list: DrawnWinners = { tickets: new Int32Array(total), prizeIndexes: new Uint16Array(total) };
      let at = 0;
      for (const c of chunks) {
        list.tickets.set(c.tickets, at);
        list.prizeIndexes.set(c.prizeIndexes, at);
        at += c.tickets.length;
      }
      return list;
    },

    /**
     * The claim behind a ticket and the prize index it won (null when it did not win): the hot read of
     * verify-ticket, one named prepared statement (planned once per connection).
     */
    async getClaimAndPrize(
      raffleId: string,
      seq: number,
      ticketNumber: number,
    ): Promise<{ codeSalt: Buffer; codeHash: Buffer; prizeIndex: number | null } | undefined> {
      claimStatement ??= prepareClaimAndPrize();
      const [row] = await claimStatement.execute({ raffle: raffleId, seq, ticket: ticketNumber });
      if (!row) return undefined;
      return {
        codeSalt: toBuffer(row.codeSalt),
        codeHash: toBuffer(row.codeHash),
        prizeIndex: row.prizeIndex === null ? null : Number(row.prizeIndex),
      };
    },
  };
}

export type RaffleStore = ReturnType<typeof createRaffleStore>;
