/**
 * The exchange's authoritative books of one shop: balances plus the ledger entries that produced them.
 * Balances are the sum of the ledger (checked by tests); they are materialized so a tick need not re-sum.
 */
import {
  CAPACITY_UNIT_PRICE,
  CHEAPEST_PER_ML,
  CLASS_NAMES,
  COLOURS,
  type Mix,
  ML_PER_CAPACITY_UNIT,
  newReputation,
  POTIONS_PER_CAPACITY_UNIT,
  type Reputation,
  STARTING_GOLD,
} from './model/index.js';

export interface Books {
  gold: number;
  /** ml per colour: red, green, blue, dark. */
  ml: [number, number, number, number];
  /** Potions per mix, keyed "r,g,b,d". */
  potions: Record<string, number>;
  potionCapacity: number;
  mlCapacity: number;
}

/** What the exchange remembers about a shop between ticks. JSON-serializable. */
export interface ShopState {
  books: Books;
  reputation: Record<string, Reputation>;
  nextOrderId: number;
  nextVisitId: number;
  /** The last tick recorded for this shop (a tick interrupted by a crash is not replayed for shops that finished it). */
  lastTick?: number;
}

/** One ledger entry: deltas of one change. `mix` is set for potion deltas (one entry per mix). */
export interface LedgerEntry {
  kind: 'start' | 'capacity' | 'barrels' | 'bottling' | 'sale' | 'reset';
  gold: number;
  ml: [number, number, number, number];
  mix: string | null;
  potions: number;
  potionCapacity: number;
  mlCapacity: number;
}

export function mixKey(mix: readonly number[]): string {
  return mix.join(',');
}

export function parseMixKey(key: string): Mix {
  return key.split(',').map(Number) as Mix;
}

export function startingBooks(): Books {
  return { gold: STARTING_GOLD, ml: [0, 0, 0, 0], potions: {}, potionCapacity: 1, mlCapacity: 1 };
}

export function initialState(nextOrderId = 1, nextVisitId = 1): ShopState {
  return {
    books: startingBooks(),
    reputation: Object.fromEntries(CLASS_NAMES.map((c) => [c, newReputation()])),
    nextOrderId,
    nextVisitId,
  };
}

export function entry(kind: LedgerEntry['kind'], fields: Partial<Omit<LedgerEntry, 'kind'>>): LedgerEntry {
  return { kind, gold: 0, ml: [0, 0, 0, 0], mix: null, potions: 0, potionCapacity: 0, mlCapacity: 0, ...fields };
}

/** The entries that take empty books to `startingBooks()`. */
export function startEntries(): LedgerEntry[] {
  const b = startingBooks();
  return [entry('start', { gold: b.gold, potionCapacity: b.potionCapacity, mlCapacity: b.mlCapacity })];
}

/** The entries that take `books` back to the starting books (a reset, written as a ledger entry too). */
export function resetEntries(books: Books): LedgerEntry[] {
  const start = startingBooks();
  const out: LedgerEntry[] = [
    entry('reset', {
      gold: start.gold - books.gold,
      ml: books.ml.map((v) => -v) as Books['ml'],
      potionCapacity: start.potionCapacity - books.potionCapacity,
      mlCapacity: start.mlCapacity - books.mlCapacity,
    }),
  ];
  for (const [mix, n] of Object.entries(books.potions)) if (n !== 0) out.push(entry('reset', { mix, potions: -n }));
  return out;
}

export function applyEntries(books: Books, entries: readonly LedgerEntry[]): Books {
  const next: Books = { ...books, ml: [...books.ml], potions: { ...books.potions } };
  for (const e of entries) {
    next.gold += e.gold;
    for (let i = 0; i < 4; i++) next.ml[i] = (next.ml[i] ?? 0) + (e.ml[i] ?? 0);
    if (e.mix !== null && e.potions !== 0) {
      const n = (next.potions[e.mix] ?? 0) + e.potions;
      if (n === 0) delete next.potions[e.mix];
      else next.potions[e.mix] = n;
    }
    next.potionCapacity += e.potionCapacity;
    next.mlCapacity += e.mlCapacity;
  }
  return next;
}

export const totalMl = (b: Books) => b.ml.reduce((a, v) => a + v, 0);
export const totalPotions = (b: Books) => Object.values(b.potions).reduce((a, v) => a + v, 0);
export const mlLimit = (b: Books) => b.mlCapacity * ML_PER_CAPACITY_UNIT;
export const potionLimit = (b: Books) => b.potionCapacity * POTIONS_PER_CAPACITY_UNIT;
export const capacityCost = (potionUnits: number, mlUnits: number) => (potionUnits + mlUnits) * CAPACITY_UNIT_PRICE;

/** Gold plus stock valued at the cheapest wholesale price per ml of its colours (rounded down). */
export function netWorth(b: Books): number {
  const perMl = COLOURS.map((c) => CHEAPEST_PER_ML[c]);
  let stock = b.ml.reduce((sum, ml, i) => sum + ml * (perMl[i] ?? 0), 0);
  for (const [key, n] of Object.entries(b.potions)) {
    const mix = parseMixKey(key);
    stock += n * mix.reduce((sum, part, i) => sum + part * (perMl[i] ?? 0), 0);
  }
  return Math.floor(b.gold + stock);
}

/** Differences between an audit answer and the books, in words; empty when they agree. */
export function auditDifferences(b: Books, audit: { number_of_potions: number; ml_in_barrels: number; gold: number }): string[] {
  const diffs: string[] = [];
  const expect = { number_of_potions: totalPotions(b), ml_in_barrels: totalMl(b), gold: b.gold };
  for (const key of ['gold', 'ml_in_barrels', 'number_of_potions'] as const) {
    if (audit[key] !== expect[key]) diffs.push(`${key} is ${audit[key]} but the books say ${expect[key]}`);
  }
  return diffs;
}
