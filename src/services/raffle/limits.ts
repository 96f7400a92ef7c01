/** Largest raffle: 100 million tickets (the permutation supports up to 2^30). */
export const MAX_TICKETS = 100_000_000;
/**
 * Most winning tickets one raffle may have: a draw samples and inserts every unit in one transaction,
 * so this bounds its time and memory (1,000,000 units draw in a few seconds).
 */
export const MAX_PRIZE_UNITS = 1_000_000;
