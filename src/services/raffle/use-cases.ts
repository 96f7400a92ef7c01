import { randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';
import { errors } from '../../platform/errors.js';
import type { Random } from '../../platform/random.js';
import { createClaimBatcher, notFound } from './claim-batcher.js';
import { codeMatches, generateCode, hashCode, newSalt } from './domain/codes.js';
import { type DrawnWinners, drawWinners, type Prize, prizeUnits } from './domain/draw.js';
import { createPermutation, type Permutation } from './domain/permutation.js';
import { MAX_PRIZE_UNITS } from './limits.js';
import { type RateLimiter, type RateLimitResult, VERIFY_LIMITS } from './rate-limit.js';
import type { CreateRaffleBody, Raffle, Ticket, VerifyBody, VerifyResult } from './schemas.js';
import type { PageKey, RaffleRow, RaffleStore } from './store.js';

export interface RaffleDeps {
  store: RaffleStore;
  clock: Clock;
  /** A fresh generator per draw (the OS CSPRNG in production), so no random bit predates the draw. */
  drawRandom: () => Random;
  limiter: RateLimiter;
}

/** The winners of a raffle, sorted by ticket, as compact arrays (a draw may have a million). */
export interface WinnerList extends DrawnWinners {
  prizes: readonly Prize[];
}

/**
 * The JSON of WinnersSchema (`[{ticket_number, prize}, …]`). V8's JSON.stringify of plain objects is
 * several times faster than the schema serializer's string building for a list this long.
 */
export function winnersJson({ tickets, prizeIndexes, prizes }: WinnerList): string {
  const list = new Array<{ ticket_number: number; prize: string }>(tickets.length);
  for (let i = 0; i < tickets.length; i++) {
    list[i] = { ticket_number: tickets[i] as number, prize: prizes[prizeIndexes[i] as number]?.name ?? '' };
  }
  return JSON.stringify(list);
}

/** Who is asking: the client identity (clientKey) and whether it is a manager. */
export interface Caller {
  client: string;
  isManager: boolean;
}

export function toRaffle(row: RaffleRow): Raffle {
  return {
    raffle_id: row.id,
    name: row.name,
    total_tickets: row.totalTickets,
    available_tickets: row.totalTickets - row.claimed,
    winners_drawn: row.winnersDrawn,
    prizes: row.prizes.map((p) => ({ name: p.name, amount: p.amount })),
    created_at: row.createdAt.toISOString(),
  };
}

const notManager = () =>
  errors.forbidden('Only raffle managers may do this; managers are recognised by client IP (RAFFLE_MANAGER_IPS).', 'NOT_A_MANAGER');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DATE_MS = 8.64e15;

export function encodeCursor(key: PageKey): string {
  return Buffer.from(`${key.createdAt.getTime()}|${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PageKey {
  const [ms, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const t = Number(ms);
  if (rest.length > 0 || !id || !UUID.test(id) || !Number.isSafeInteger(t) || t < 0 || t > MAX_DATE_MS) {
    throw errors.badRequest('cursor is not one this server issued; pass next_cursor from the previous page unchanged.', 'BAD_CURSOR');
  }
  return { createdAt: new Date(t), id };
}

export function createRaffleUseCases({ store, clock, drawRandom, limiter }: RaffleDeps) {
  // Permutations are derived from immutable facts (key, size) and memoise their round function as
  // claims and verifications use it (domain/permutation.ts): keep the hot ones, bounded by memory.
  const permutations = new LRUCache<string, Permutation>({
    max: 1000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (p) => Math.max(1, p.memoryBytes),
  });
  const permutationOf = (raffleId: string, key: Buffer, size: number): Permutation => {
    let p = permutations.get(raffleId);
    if (!p) {
      p = createPermutation(key, size);
      permutations.set(raffleId, p);
    }
    return p;
  };
  // Raffles whose winners are drawn never change again, so verify can skip re-reading them.
  const drawnRaffles = new LRUCache<string, RaffleRow>({ max: 1000 });
  const batcher = createClaimBatcher(store);

  return {
    async create(caller: Caller, body: CreateRaffleBody): Promise<Raffle> {
      if (!caller.isManager) throw notManager();
      const units = prizeUnits(body.prizes);
      if (units > MAX_PRIZE_UNITS) {
        throw errors.badRequest(`The prizes add up to ${units} winning tickets; at most ${MAX_PRIZE_UNITS} per raffle.`, 'TOO_MANY_PRIZES');
      }
      if (units > body.total_tickets) {
        throw errors.badRequest(
          `The prizes need ${units} winning tickets but the raffle has only ${body.total_tickets}; lower the amounts or add tickets.`,
          'TOO_MANY_PRIZES',
        );
      }
      const row = await store.insertRaffle({
        id: randomUUID(),
        name: body.name.trim(),
        totalTickets: body.total_tickets,
        prizes: body.prizes.map((p) => ({ name: p.name.trim(), amount: p.amount })),
        permKey: randomBytes(32),
        createdAt: clock.now(),
      });
      return toRaffle(row);
    },

    async list(limit: number, cursor: string | undefined): Promise<{ items: Raffle[]; next_cursor: string | null }> {
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      // One extra row tells whether another page exists.
      const rows = await store.listRaffles(limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toRaffle),
        next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      };
    },

    async get(raffleId: string): Promise<Raffle> {
      const row = await store.getRaffle(raffleId);
      if (!row) throw notFound(raffleId);
      return toRaffle(row);
    },

    async participate(caller: Caller, raffleId: string): Promise<Ticket> {
      const code = generateCode();
      const codeSalt = newSalt();
      const claimed = await batcher.claim(raffleId, { clientIp: caller.client, codeSalt, codeHash: hashCode(codeSalt, code) });
      const ticket = permutationOf(raffleId, claimed.permKey, claimed.totalTickets).permute(claimed.seq) + 1;
      return { raffle_id: raffleId, ticket_number: ticket, verification_code: code };
    },

    async draw(caller: Caller, raffleId: string): Promise<WinnerList> {
      const result = await store.transaction(async (tx) => {
        // The row lock makes concurrent draws queue up; the first commits, the others then see it drawn.
        const row = await store.getRaffle(raffleId, tx, true);
        if (!row) throw notFound(raffleId);
        if (!caller.isManager) throw notManager();
        if (row.winnersDrawn) throw errors.conflict('The winners of this raffle were already drawn.', 'ALREADY_DRAWN');
        if (row.claimed < row.totalTickets) {
          throw errors.conflict(
            `${row.totalTickets - row.claimed} ticket(s) remain unclaimed; winners are drawn once every ticket is claimed.`,
            'TICKETS_REMAIN',
          );
        }
        const drawn = drawWinners(row.totalTickets, row.prizes, drawRandom());
        await store.insertWinners(tx, raffleId, drawn);
        await store.markDrawn(tx, raffleId, clock.now());
        return { row, drawn };
      });
      return { ...result.drawn, prizes: result.row.prizes };
    },

    async winners(raffleId: string): Promise<WinnerList> {
      const row = await drawnRaffle(raffleId);
      return { ...(await store.listWinners(raffleId)), prizes: row.prizes };
    },

    async verify(caller: Caller, raffleId: string, body: VerifyBody): Promise<VerifyResult> {
      const row = await drawnRaffle(raffleId);
      const ticket = body.ticket_number;
      // Every ticket is claimed before a draw, so only numbers outside 1..N are unclaimed here; those are
      // answered without counting an attempt.
      if (ticket > row.totalTickets) throw errors.notFound(`Ticket ${ticket} was not claimed in this raffle.`, 'TICKET_NOT_CLAIMED');
      const seq = permutationOf(raffleId, row.permKey, row.totalTickets).unpermute(ticket - 1);
      // The claim look-up and the attempt count (per client and per ticket) are independent: they run
      // side by side, so a verification waits for one round trip instead of two.
      const [claim, [perIp, perTicket]] = await Promise.all([
        store.getClaimAndPrize(raffleId, seq, ticket),
        limiter.hit([
          { key: `ip:${caller.client}`, ...VERIFY_LIMITS.perIp },
          { key: `ticket:${raffleId}:${ticket}`, ...VERIFY_LIMITS.perTicket },
        ]) as Promise<[RateLimitResult, RateLimitResult]>,
      ]);
      if (!claim) throw errors.notFound(`Ticket ${ticket} was not claimed in this raffle.`, 'TICKET_NOT_CLAIMED');
      if (!perIp.allowed || !perTicket.allowed) {
        const retryMs = Math.max(perIp.retryAfterMs, perTicket.retryAfterMs);
        throw errors.tooManyRequests(
          !perIp.allowed
            ? 'Too many verification attempts from this address; retry later.'
            : 'Too many verification attempts for this ticket; retry later.',
          retryMs / 1000,
          'VERIFY_RATE_LIMITED',
        );
      }
      if (!codeMatches(body.verification_code, claim.codeSalt, claim.codeHash)) {
        throw errors.forbidden('The verification code does not match this ticket.', 'WRONG_CODE');
      }
      const prize = claim.prizeIndex === null ? null : (row.prizes[claim.prizeIndex]?.name ?? null);
      return { has_won: prize !== null, prize };
    },
  };

  async function drawnRaffle(raffleId: string): Promise<RaffleRow> {
    const cached = drawnRaffles.get(raffleId);
    if (cached) return cached;
    const row = await store.getRaffle(raffleId);
    if (!row) throw notFound(raffleId);
    if (!row.winnersDrawn) throw errors.conflict('The winners of this raffle have not been drawn yet.', 'NOT_DRAWN');
    drawnRaffles.set(raffleId, row);
    return row;
  }
}

export type RaffleUseCases = ReturnType<typeof createRaffleUseCases>;
