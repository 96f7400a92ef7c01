/** A shop's reputation: running averages of value, quality and reliability, plus recognition. */
export interface Reputation {
  value: number;
  quality: number;
  reliability: number;
  /** Successful purchase trips; recognition = 1 − e^(−trips/50). */
  purchaseTrips: number;
  trips: number;
}

/** Running averages weigh the last ~this many observations (a plain mean until then). */
export const REPUTATION_WINDOW = 50;
export const RECOGNITION_SCALE = 50;

export function newReputation(): Reputation {
  return { value: 0.5, quality: 0.5, reliability: 1, purchaseTrips: 0, trips: 0 };
}

export function recognition(r: Reputation): number {
  return 1 - Math.exp(-r.purchaseTrips / RECOGNITION_SCALE);
}

export function reputationFactors(r: Reputation): { value: number; quality: number; reliability: number; recognition: number } {
  return { value: r.value, quality: r.quality, reliability: r.reliability, recognition: recognition(r) };
}

export function reputationScore(r: Reputation): number {
  const f = reputationFactors(r);
  return (f.value + f.quality + f.reliability + f.recognition) / 4;
}

const runningAverage = (avg: number, x: number, n: number) => avg + (x - avg) / Math.min(n, REPUTATION_WINDOW);

/** One customer trip: an error, a trip without purchase, or a purchase with its surplus share and quality. */
export function recordTrip(
  r: Reputation,
  trip: { error: boolean; purchase?: { surplus: number; willingness: number; quality: number } },
): Reputation {
  const trips = r.trips + 1;
  const next: Reputation = { ...r, trips, reliability: runningAverage(r.reliability, trip.error ? 0 : 1, trips) };
  if (!trip.error && trip.purchase) {
    const purchaseTrips = r.purchaseTrips + 1;
    const share = trip.purchase.willingness > 0 ? trip.purchase.surplus / trip.purchase.willingness : 0;
    next.purchaseTrips = purchaseTrips;
    next.value = runningAverage(r.value, Math.min(1, Math.max(0, share)), purchaseTrips);
    next.quality = runningAverage(r.quality, trip.purchase.quality, purchaseTrips);
  }
  return next;
}
