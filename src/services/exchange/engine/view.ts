/** The one picture of a shop that the dashboard, the API, the CLI summary and the HTML report share. */
import { type Books, netWorth, parseMixKey, type ShopState, totalMl, totalPotions } from '../domain/books.js';
import { CLASS_NAMES, COLOURS, reputationFactors, reputationScore } from '../domain/model/index.js';

export interface ReputationView {
  value: number;
  quality: number;
  reliability: number;
  recognition: number;
  score: number;
}

export interface ShopView {
  id: number;
  name: string;
  url: string;
  gold: number;
  net_worth: number;
  potion_capacity: number;
  ml_capacity: number;
  stock: { ml: Record<string, number>; ml_total: number; potions_total: number; potions: { potion_type: number[]; quantity: number }[] };
  reputation: Record<string, ReputationView>;
  sales_by_class: Record<string, { potions: number; gold: number }>;
  potions_sold: number;
  series: { tick: number; gold: number; net_worth: number }[];
  errors: { total: number; by_kind: Record<string, number> };
  latest_errors: { tick: number; job: string; error: string; at?: string }[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function reputationView(state: ShopState): Record<string, ReputationView> {
  const out: Record<string, ReputationView> = {};
  for (const c of CLASS_NAMES) {
    const r = state.reputation[c];
    if (!r) continue;
    const f = reputationFactors(r);
    out[c] = {
      value: round3(f.value),
      quality: round3(f.quality),
      reliability: round3(f.reliability),
      recognition: round3(f.recognition),
      score: round3(reputationScore(r)),
    };
  }
  return out;
}

export function stockView(b: Books): ShopView['stock'] {
  return {
    ml: Object.fromEntries(COLOURS.map((c, i) => [c, b.ml[i] ?? 0])),
    ml_total: totalMl(b),
    potions_total: totalPotions(b),
    potions: Object.entries(b.potions)
      .filter(([, n]) => n > 0)
      .map(([key, quantity]) => ({ potion_type: parseMixKey(key), quantity })),
  };
}

export function emptySales(): Record<string, { potions: number; gold: number }> {
  return Object.fromEntries(CLASS_NAMES.map((c) => [c, { potions: 0, gold: 0 }]));
}

export function shopView(input: {
  id: number;
  name: string;
  url: string;
  state: ShopState;
  sales: Record<string, { potions: number; gold: number }>;
  series: ShopView['series'];
  errorCounts: Record<string, number>;
  latestErrors: ShopView['latest_errors'];
}): ShopView {
  const b = input.state.books;
  const sales = { ...emptySales(), ...input.sales };
  return {
    id: input.id,
    name: input.name,
    url: input.url,
    gold: b.gold,
    net_worth: netWorth(b),
    potion_capacity: b.potionCapacity,
    ml_capacity: b.mlCapacity,
    stock: stockView(b),
    reputation: reputationView(input.state),
    sales_by_class: sales,
    potions_sold: Object.values(sales).reduce((a, s) => a + s.potions, 0),
    series: input.series,
    errors: { total: Object.values(input.errorCounts).reduce((a, n) => a + n, 0), by_kind: input.errorCounts },
    latest_errors: input.latestErrors,
  };
}
