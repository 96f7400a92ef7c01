import type { Random } from '../../../platform/random.js';

export interface Prize {
  name: string;
  amount: number;
}

export interface Winner {
  ticket_number: number;
  prize: string;
}

/** Total prize units: a prize with amount k gives k winning tickets. */
export function prizeUnits(prizes: readonly Prize[]): number {
  return prizes.reduce((sum, p) => sum + p.amount, 0);
}

/** Up to this many tickets the shuffle runs on a dense array (4 bytes a ticket, 16 MiB at most). */
const DENSE_LIMIT = 1 << 22;

/**
 * k distinct numbers from 1..n, uniformly (every k-subset in every order equally likely): the first k
 * steps of a Fisher–Yates shuffle of 1..n. Up to DENSE_LIMIT tickets the shuffled array is a typed
 * array (no per-element allocation); above, it is kept sparse in a Map so memory stays O(k) whatever n
 * is. Both consume the random stream identically.
 */
export function sampleDistinct(n: number, k: number, random: Random, denseLimit = DENSE_LIMIT): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot draw ${k} distinct numbers from 1..${n}`);
  const out = new Int32Array(k);
  if (n <= denseLimit) {
    // slot[x] holds (value at position x) + 1, 0 meaning "untouched" (value x).
    const slot = new Int32Array(n);
    for (let i = 0; i < k; i++) {
      const j = random.int(i, n - 1);
      const atJ = slot[j] ? (slot[j] as number) - 1 : j;
      const atI = slot[i] ? (slot[i] as number) - 1 : i;
      slot[j] = atI + 1;
      out[i] = atJ + 1;
    }
    return out;
  }
  const moved = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const j = random.int(i, n - 1);
    const atJ = moved.get(j) ?? j;
    const atI = moved.get(i) ?? i;
    moved.set(j, atI);
    moved.delete(i);
    out[i] = atJ + 1;
  }
  return out;
}

/** Winning tickets sorted ascending, with the index (into the raffle's prizes) each one won. */
export interface DrawnWinners {
  tickets: Int32Array;
  prizeIndexes: Uint16Array;
}

/** Prizes per raffle are at most this many (the create schema's maxItems), so an index fits 10 bits. */
const PRIZE_INDEX_BITS = 10;

/**
 * Draws the winners: one distinct ticket per prize unit, uniformly from 1..totalTickets, so no ticket
 * wins twice. Units are matched to tickets in draw order, which is itself uniformly random. Returned
 * sorted by ticket number, as the API lists them, in typed arrays (a draw may have a million winners).
 */
export function drawWinners(totalTickets: number, prizes: readonly Prize[], random: Random): DrawnWinners {
  if (prizes.length > 1 << PRIZE_INDEX_BITS) throw new RangeError(`at most ${1 << PRIZE_INDEX_BITS} prizes per raffle`);
  const units = prizeUnits(prizes);
  const tickets = sampleDistinct(totalTickets, units, random);
  // ticket · 2^10 + prize index is exact in a double (tickets < 2^30): sorting these numbers sorts by
  // ticket and carries each ticket's prize along, without an object per winner.
  const keyed = new Float64Array(units);
  let u = 0;
  prizes.forEach((prize, prizeIndex) => {
    for (let a = 0; a < prize.amount; a++, u++) keyed[u] = (tickets[u] as number) * (1 << PRIZE_INDEX_BITS) + prizeIndex;
  });
  keyed.sort();
  const sorted: DrawnWinners = { tickets: new Int32Array(units), prizeIndexes: new Uint16Array(units) };
  for (let i = 0; i < units; i++) {
    const key = keyed[i] as number;
    const ticket = Math.floor(key / (1 << PRIZE_INDEX_BITS));
    sorted.tickets[i] = ticket;
    sorted.prizeIndexes[i] = key - ticket * (1 << PRIZE_INDEX_BITS);
  }
  return sorted;
}
