import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lockOrder, ownershipProblem, tradeShapeProblem } from './trade.js';

const base = { trainerA: 'a', trainerB: 'b', pokemonA: ['p1'], pokemonB: ['p2'] };

describe('trade rules', () => {
  it('accepts a well-formed trade, including a one-sided gift', () => {
    expect(tradeShapeProblem(base)).toBeUndefined();
    expect(tradeShapeProblem({ ...base, pokemonB: [] })).toBeUndefined();
  });

  it('refuses a trade with oneself, an empty trade and a pokemon listed twice', () => {
    expect(tradeShapeProblem({ ...base, trainerB: 'a' })).toMatch(/two different trainers/);
    expect(tradeShapeProblem({ ...base, pokemonA: [], pokemonB: [] })).toMatch(/cannot both be empty/);
    expect(tradeShapeProblem({ ...base, pokemonB: ['p1'] })).toMatch(/"p1" is listed more than once/);
    expect(tradeShapeProblem({ ...base, pokemonA: ['p1', 'p1'] })).toMatch(/more than once/);
  });

  it('reports missing pokemon before ownership problems', () => {
    expect(ownershipProblem(base, new Map([['p1', 'a']]))).toEqual({ kind: 'missing', ids: ['p2'] });
  });

  it('reports every pokemon the giving trainer does not own', () => {
    const owners = new Map([
      ['p1', 'b'],
      ['p2', 'c'],
    ]);
    expect(ownershipProblem(base, owners)).toEqual({
      kind: 'not-owned',
      details: ['"p1" belongs to "b", not "a"', '"p2" belongs to "c", not "b"'],
    });
    expect(
      ownershipProblem(
        base,
        new Map([
          ['p1', 'a'],
          ['p2', 'b'],
        ]),
      ),
    ).toBeUndefined();
  });

  it('locks in one global order whatever the order of the lists', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 10 }), fc.nat(), (ids, cut) => {
        const k = ids.length === 0 ? 0 : cut % (ids.length + 1);
        const a = lockOrder({ ...base, pokemonA: ids.slice(0, k), pokemonB: ids.slice(k) });
        const b = lockOrder({ ...base, pokemonA: ids.slice(k).reverse(), pokemonB: ids.slice(0, k) });
        expect(a).toEqual(b);
        expect(a).toEqual([...ids].sort());
      }),
    );
  });
});
