/** The adaptive strategy's tunables (adaptive.ts); the defaults are tuned against the exchange's customer model (specs/exchange.md). */
export interface AdaptiveParams {
  /** Price of a wanted mix when stock is plentiful: near the top of gold earned per visitor. */
  basePrice: number;
  /** Highest price scarcity may reach. */
  maxPrice: number;
  /** How strongly scarcity raises the price (0: never; 1: until expected demand fits the stock). */
  scarcityExponent: number;
  /** Price of a mix no class asked for (leftovers). */
  offTargetPrice: number;
  /** Ticks of demand the liquid bought at a barrel tick must cover. */
  coverTicks: number;
  /** Extra potions of each mix to have liquid for, in standard deviations (√demand), while gold is short… */
  safety: number;
  /** …and once the shop holds `richGold` (it then also buys ahead, see `aheadPerMl`). */
  safetyRich: number;
  richGold: number;
  /** What liquid bought ahead is worth per ml to a rich shop (0: only the near need counts). */
  aheadPerMl: number;
  /** Ticks of demand to stock up on when bulk liquid (≤ bulkPerMl gold/ml) is on offer and gold allows. */
  stockUpTicks: number;
  bulkPerMl: number;
  /** Gold kept back from stocking up. */
  stockUpReserve: number;
  /** Ticks of demand each mix is bottled for (the rest of the liquid stays flexible). */
  bottleTicks: number;
  /** Capacity units are bought only when they pay back within this many ticks. */
  paybackTicks: number;
  /** Gold kept for liquid when buying capacity. */
  capacityReserve: number;
  /** Most units of each capacity the strategy grows to. */
  maxPotionUnits: number;
  maxMlUnits: number;
  /** Ticks of demand the ml capacity should hold besides one bulk barrel. */
  mlTargetTicks: number;
}

export const DEFAULT_PARAMS: AdaptiveParams = {
  basePrice: 42,
  maxPrice: 90,
  scarcityExponent: 0.5,
  offTargetPrice: 15,
  coverTicks: 18,
  safety: 0,
  safetyRich: 1,
  richGold: 1_000,
  aheadPerMl: 0.08,
  stockUpTicks: 60,
  bulkPerMl: 0.08,
  stockUpReserve: 300,
  bottleTicks: 8,
  paybackTicks: 84,
  capacityReserve: 800,
  maxPotionUnits: 3,
  maxMlUnits: 4,
  mlTargetTicks: 36,
};
