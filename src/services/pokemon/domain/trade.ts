/** The rules of a trade that need no database, and the ownership check made under lock. */

export interface TradeRequest {
  trainerA: string;
  trainerB: string;
  pokemonA: string[];
  pokemonB: string[];
}

/** A reason the request itself is malformed (→ 400), or undefined. */
export function tradeShapeProblem(request: TradeRequest): string | undefined {
  if (request.trainerA === request.trainerB) return 'trainerA and trainerB must be two different trainers.';
  if (request.pokemonA.length === 0 && request.pokemonB.length === 0) {
    return 'A trade must move at least one pokemon: pokemonA and pokemonB cannot both be empty.';
  }
  const seen = new Set<string>();
  for (const id of [...request.pokemonA, ...request.pokemonB]) {
    if (seen.has(id)) return `Pokemon "${id}" is listed more than once; list each pokemon once.`;
    seen.add(id);
  }
  return undefined;
}

/** Every pokemon id of the trade, sorted: the order rows are locked in, so trades never deadlock. */
export function lockOrder(request: TradeRequest): string[] {
  return [...request.pokemonA, ...request.pokemonB].sort();
}

export type OwnershipProblem = { kind: 'missing'; ids: string[] } | { kind: 'not-owned'; details: string[] };

/** Compares the owners read under lock with what the trade expects. */
export function ownershipProblem(request: TradeRequest, owners: ReadonlyMap<string, string>): OwnershipProblem | undefined {
  const all = lockOrder(request);
  const missing = all.filter((id) => !owners.has(id));
  if (missing.length > 0) return { kind: 'missing', ids: missing };
  const details: string[] = [];
  for (const [giver, ids] of [
    [request.trainerA, request.pokemonA],
    [request.trainerB, request.pokemonB],
  ] as const) {
    for (const id of ids) {
      const owner = owners.get(id);
      if (owner !== giver) details.push(`"${id}" belongs to "${owner}", not "${giver}"`);
    }
  }
  return details.length > 0 ? { kind: 'not-owned', details } : undefined;
}
