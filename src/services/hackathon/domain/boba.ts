/** The boba order lifecycle: a straight line to Delivered, with a refunded exit from the first two steps. */
export const BOBA_STATUSES = ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'] as const;
export type BobaStatus = (typeof BOBA_STATUSES)[number];

export const BOBA_DEFAULTS = {
  size: 'Medium',
  flavour: 'HK Milk Tea',
  sweetness: '50% Sweet',
  ice: 'Regular Ice',
  toppings: 'None',
} as const;

const NEXT: Record<BobaStatus, readonly BobaStatus[]> = {
  Placed: ['In Progress', 'Cancelled'],
  'In Progress': ['Out for Delivery', 'Cancelled'],
  'Out for Delivery': ['Delivered'],
  Delivered: [],
  Cancelled: [],
};

export function isBobaStatus(value: string): value is BobaStatus {
  return (BOBA_STATUSES as readonly string[]).includes(value);
}

/** The moves allowed from `from`; empty for final states. */
export function allowedMoves(from: BobaStatus): readonly BobaStatus[] {
  return NEXT[from];
}

export function canMove(from: BobaStatus, to: BobaStatus): boolean {
  return NEXT[from].includes(to);
}

/** A cancellation gives the tokens back; no other move touches the balance. */
export function refundsTokens(to: BobaStatus): boolean {
  return to === 'Cancelled';
}
