/**
 * Milliseconds a participant must still wait before exchanging again; 0 when allowed. A participant
 * who never exchanged may exchange at once; one who did may again exactly `cooldownMs` later.
 */
export function cooldownRemainingMs(lastExchangeAt: Date | null, now: Date, cooldownMs: number): number {
  if (!lastExchangeAt || cooldownMs <= 0) return 0;
  return Math.max(0, lastExchangeAt.getTime() + cooldownMs - now.getTime());
}
