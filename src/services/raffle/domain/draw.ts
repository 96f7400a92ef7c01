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

/**
 * k distinct numbers from 1..n, uniformly (every k-subset in every order equally likely): the first k
 * steps of a Fisher–Yates shuffle of 1..n, with the shuffled array kept sparse in a Map so the cost is
 * O(k) time and memory whatever n is.
 */
export function sampleDistinct(n: number, k: number, random: Random): number[] {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot draw ${k} distinct numbers from 1..${n}`);
  const moved = new Map<number, number>();
  const out = new Array<number>(k);
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

/**
 * Draws the winners: one distinct ticket per prize unit, uniformly from 1..totalTickets, so no ticket
 * wins twice. Units are matched to tickets in draw order, which is itself uniformly random. Returned
 * sorted by ticket number, as the API lists them; `prizeIndex` points into `prizes`.
 */
export function drawWinners(
  totalTickets: number,
  prizes: readonly Prize[],
  random: Random,
): { ticket_number: number; prizeIndex: number }[] {
  const units = prizeUnits(prizes);
  const tickets = sampleDistinct(totalTickets, units, random);
  const winners = new Array<{ ticket_number: number; prizeIndex: number }>(units);
  let u = 0;
  prizes.forEach((prize, prizeIndex) => {
    for (let a = 0; a < prize.amount; a++, u++) winners[u] = { ticket_number: tickets[u] as number, prizeIndex };
  });
  return winners.sort((a, b) => a.ticket_number - b.ticket_number);
}
