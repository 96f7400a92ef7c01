import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { seededRandom } from '../../../platform/random.js';
import { pokemonService } from '../index.js';
import type { HistoryEntry, Trade } from '../schemas.js';
import { createPokemon, createTrainer } from './fixtures.js';

// PGlite runs one transaction at a time, which would prove nothing about locking: real PostgreSQL only.
describe.runIf(hasRealPostgres)('concurrent trades on real PostgreSQL', () => {
  let t: TestApp;
  const trainers = ['ct0', 'ct1', 'ct2', 'ct3', 'ct4', 'ct5'];
  const initial = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp([pokemonService]);
    for (const id of [...trainers, 'solo-a', 'solo-b', 'solo-c']) await createTrainer(t.app, id);
    for (const [i, owner] of trainers.entries()) {
      for (const k of [0, 1, 2]) {
        const id = `cp${i}-${k}`;
        await createPokemon(t.app, id, owner, { dateOfOwnership: '2020-01-01' });
        initial.set(id, owner);
      }
    }
    await createPokemon(t.app, 'contested', 'solo-a');
  });
  afterAll(async () => {
    await t?.close();
  });

  const trade = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/pokemon/trades', payload });

  it('lets exactly one of many simultaneous trades of the same pokemon through', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        trade({ trainerA: 'solo-a', trainerB: i % 2 ? 'solo-b' : 'solo-c', pokemonA: ['contested'], pokemonB: [] }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    const p = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/contested' })).json();
    expect(p.history).toHaveLength(2);
    expect(p.history[1]).toMatchObject({ trainerId: p.owner, to: null });
  });

  it('keeps one owner per pokemon, a consistent history chain and no half-applied trade under a storm of trades', async () => {
    const random = seededRandom('pokemon-trade-storm');
    // Each request trades from a stale guess of who owns what, so many collide and many are refused.
    const guess = new Map(initial);
    const pokemonIds = [...initial.keys()];
    const pick = (owner: string) => pokemonIds.filter((id) => guess.get(id) === owner && random.float() < 0.5);
    const requests = Array.from({ length: 240 }, () => {
      const a = trainers[random.int(0, trainers.length - 1)] ?? 'ct0';
      let b = trainers[random.int(0, trainers.length - 1)] ?? 'ct1';
      if (b === a) b = trainers[(trainers.indexOf(a) + 1) % trainers.length] ?? 'ct1';
      const pokemonA = pick(a);
      const pokemonB = pick(b);
      if (pokemonA.length + pokemonB.length === 0) pokemonA.push(pokemonIds[random.int(0, pokemonIds.length - 1)] ?? 'cp0-0');
      // Mostly reversed lists too, so lock order matters (a deadlock would surface as a 5xx).
      if (random.float() < 0.5) pokemonA.reverse();
      for (const id of pokemonA) guess.set(id, b);
      for (const id of pokemonB) guess.set(id, a);
      return { trainerA: a, trainerB: b, pokemonA, pokemonB };
    });
    const results = await Promise.all(requests.map((r) => trade(r)));
    const unexpected = results.filter((r) => r.statusCode !== 201 && r.statusCode !== 409);
    expect(unexpected.map((r) => r.body)).toEqual([]);
    const accepted = results.filter((r) => r.statusCode === 201).map((r) => r.json() as Trade);
    expect(accepted.length).toBeGreaterThan(5);
    expect(results.some((r) => r.statusCode === 409)).toBe(true);

    // Conflicting trades commit in lock order, and a trade's id is drawn after its locks are held, so
    // replaying the accepted trades in id order must be valid at every step and end in today's owners.
    const owners = new Map(initial);
    const expectedChain = new Map([...initial].map(([id, owner]) => [id, [owner]]));
    for (const tr of accepted.sort((x, y) => Number(x.id) - Number(y.id))) {
      for (const [giver, taker, ids] of [
        [tr.trainerA, tr.trainerB, tr.pokemonA],
        [tr.trainerB, tr.trainerA, tr.pokemonB],
      ] as const) {
        for (const id of ids) {
          expect(owners.get(id), `trade ${tr.id} gives ${id}`).toBe(giver);
          owners.set(id, taker);
          expectedChain.get(id)?.push(taker);
        }
      }
    }
    for (const [id, owner] of owners) {
      const res = await t.app.inject({ method: 'GET', url: `/pokemon/pokemon/${id}` });
      const p = res.json() as { owner: string; history: HistoryEntry[] };
      expect(p.owner, id).toBe(owner);
      expect(
        p.history.map((h) => h.trainerId),
        id,
      ).toEqual(expectedChain.get(id));
      const open = p.history.filter((h) => h.to === null);
      expect(open).toHaveLength(1);
      expect(p.history.at(-1)).toMatchObject({ trainerId: owner, to: null });
      for (let i = 1; i < p.history.length; i++) expect(p.history[i - 1]?.to).toBe(p.history[i]?.from);
    }
    // Each trainer's listing agrees with the pokemon's owners.
    for (const trainer of trainers) {
      const listed = (await t.app.inject({ method: 'GET', url: `/pokemon/trainers/${trainer}` }))
        .json()
        .pokemon.map((p: { id: string }) => p.id);
      expect(listed.sort()).toEqual(
        [...owners]
          .filter(([, o]) => o === trainer)
          .map(([id]) => id)
          .sort(),
      );
    }
  });

  it('never loses a pokemon when a trainer is deleted with cascade during trades', async () => {
    await createTrainer(t.app, 'cd-a');
    await createTrainer(t.app, 'cd-b');
    for (let i = 0; i < 5; i++) await createPokemon(t.app, `cd-${i}`, 'cd-a');
    const [del, ...trades] = await Promise.all([
      t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/cd-a?cascade=true' }),
      ...Array.from({ length: 5 }, (_, i) => trade({ trainerA: 'cd-a', trainerB: 'cd-b', pokemonA: [`cd-${i}`], pokemonB: [] })),
    ]);
    expect(del?.statusCode).toBe(204);
    for (const [i, r] of trades.entries()) {
      expect([201, 404]).toContain(r.statusCode);
      const p = await t.app.inject({ method: 'GET', url: `/pokemon/pokemon/cd-${i}` });
      // Traded before the delete → cd-b owns it; otherwise it went with cd-a.
      expect(p.statusCode).toBe(r.statusCode === 201 ? 200 : 404);
      if (r.statusCode === 201) expect(p.json().owner).toBe('cd-b');
    }
  });
});

describe.runIf(!hasRealPostgres)('concurrent trades', () => {
  it('are tested only against real PostgreSQL (set TEST_DATABASE_URL); PGlite serializes all transactions', () => {
    expect(hasRealPostgres).toBe(false);
  });
});
