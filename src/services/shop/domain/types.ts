import type { Mix } from './mix.js';

export interface StockItem {
  sku: string;
  mix: Mix;
  /** Potions held, including reserved ones. */
  quantity: number;
  /** Potions free to sell (not in an open cart). */
  available: number;
}

/** Everything a plan may depend on: the shop's balances and the game time. */
export interface ShopState {
  gold: number;
  /** ml held per colour. */
  ml: Mix;
  potionUnits: number;
  mlUnits: number;
  stock: StockItem[];
  day: string | null;
  hour: number | null;
  tick: number;
}

/** What the shop learned from its own sales in the current epoch. */
export interface SalesHistory {
  /** Units sold per sku per game hour slot (index hour/2, 0..11). */
  soldBySkuHour: Record<string, number[]>;
  /** Units sold over the last 12 ticks (one game day). */
  soldLastDay: number;
  /** Ticks seen in this epoch (0 at the start). */
  ticksSeen: number;
}

/** One wholesale offer, normalized: fractions per colour. */
export interface BarrelOffer {
  sku: string;
  mlPerBarrel: number;
  fractions: Mix;
  price: number;
  quantity: number;
}

export interface BarrelOrderLine {
  sku: string;
  quantity: number;
}
export interface BottleLine {
  potion_type: Mix;
  quantity: number;
}
export interface CatalogChoice {
  sku: string;
  mix: Mix;
  name: string;
  price: number;
}
export interface CapacityOrder {
  potion_capacity: number;
  ml_capacity: number;
}

export interface Strategy {
  name: 'baseline' | 'adaptive';
  barrels(state: ShopState, offers: BarrelOffer[], history: SalesHistory): BarrelOrderLine[];
  bottling(state: ShopState, history: SalesHistory): BottleLine[];
  catalog(state: ShopState, history: SalesHistory): CatalogChoice[];
  capacity(state: ShopState, history: SalesHistory): CapacityOrder;
}
