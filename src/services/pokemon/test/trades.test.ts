import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createFakeClock } from '../../../platform/clock.js';
import { pokemonService } from '../index.js';
import { createReadCache } from '../use-cases/read-cache.js';
import { createTradeUseCases } from '../use-cases/trades.js';
import { createPokemon, createTrainer } from './fixtures.js';

let t: TestApp;
const clock = createFakeClock(Date.UTC(2026, 4, 17, 12));
beforeAll(async () => {
  t = await buildTestApp([pokemonService], { clock });
  for (const id of ['ta', 'tb', 'tc']) await createTrainer(t.app, id);
  await createPokemon(t.app, 'a1', 'ta', { dateOfOwnership: '2020-01-01' });
  await createPokemon(t.app, 'a2', 'ta', { dateOfOwnership: '2020-01-01' });
  await createPokemon(t.app, 'b1', 'tb', { dateOfOwnership: '2021-06-01' });
  await createPokemon(t.app, 'c1', 'tc', { dateOfOwnership: '2021-06-01' });
  for (const id of ['ba', 'bb', 'ca', 'cb']) await createTrainer(t.app, id);
  await createPokemon(t.app, 'pong', 'ca', { dateOfOwnership: '2020-01-01' });
  await createPokemon(t.app, 'ping', 'ba', { dateOfOwnership: '2020-01-01' });
});
afterAll(async () => {
  await t.close();
});

const trade = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/pokemon/trades', payload });
const owner = async (id: string) => (await t.app.inject({ method: 'GET', url: `/pokemon/pokemon/${id}` })).json().owner;

describe('trades', () => {
  it('moves both lists atomically, dates the new ownership today and appends history', async () => {
    // Warm the caches so the test also proves the trade invalidates them.
    expect(await owner('a1')).toBe('ta');
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/tb' })).json().pokemon).toHaveLength(1);
    const res = await trade({ trainerA: 'ta', trainerB: 'tb', pokemonA: ['a1'], pokemonB: ['b1'] });
    expect(res.statusCode).toBe(201);
    const record = res.json();
    expect(record).toMatchObject({ trainerA: 'ta', trainerB: 'tb', pokemonA: ['a1'], pokemonB: ['b1'], date: '2026-05-17' });
    expect((await t.app.inject({ method: 'GET', url: `/pokemon/trades/${record.id}` })).json()).toEqual(record);

    const a1 = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/a1' })).json();
    expect(a1).toMatchObject({ owner: 'tb', dateOfOwnership: '2026-05-17' });
    expect(a1.history).toEqual([
      { trainerId: 'ta', from: '2020-01-01', to: '2026-05-17' },
      { trainerId: 'tb', from: '2026-05-17', to: null },
    ]);
    expect(await owner('b1')).toBe('ta');
    const tb = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/tb' })).json();
    expect(tb.pokemon.map((p: { id: string }) => p.id)).toEqual(['a1']);
    const tradesOfTa = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/ta/trades' })).json();
    expect(tradesOfTa).toMatchObject({ total: 1, page: 1, totalPages: 1, items: [record] });
  });

  it('applies trades sent at once in the order they arrived (group commit), each all or nothing', async () => {
    // A gift, its return, a refused re-gift by the old owner and the gift again: in arrival order the
    // 1st, 2nd and 4th are possible and the 3rd is not — whatever batches they share.
    const sent = [
      { trainerA: 'ba', trainerB: 'bb', pokemonA: ['ping'], pokemonB: [] },
      { trainerA: 'bb', trainerB: 'ba', pokemonA: ['ping'], pokemonB: [] },
      { trainerA: 'bb', trainerB: 'ba', pokemonA: ['ping'], pokemonB: [] },
      { trainerA: 'ba', trainerB: 'bb', pokemonA: ['ping'], pokemonB: [] },
    ];
    const results = await Promise.all(sent.map((payload) => trade(payload)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 409, 201]);
    const ids = results.filter((r) => r.statusCode === 201).map((r) => Number(r.json().id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const ping = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/ping' })).json();
    expect(ping.owner).toBe('bb');
    expect(ping.history.map((h: { trainerId: string }) => h.trainerId)).toEqual(['ba', 'bb', 'ba', 'bb']);
  });

  it('applies a batch once when the cache invalidation after its commit fails, answering with that failure', async () => {
    // A batch that threw would be retried trade by trade, and a trade is not idempotent: this one, a
    // gift and its return, would happen twice.
    const real = createReadCache(t.platform, t.platform.db);
    const outage = new Error('Redis is unreachable');
    const trades = createTradeUseCases({ db: t.platform.db, clock, cache: { ...real, invalidate: () => Promise.reject(outage) } });
    const results = await Promise.allSettled([
      trades.create({ trainerA: 'ca', trainerB: 'cb', pokemonA: ['pong'], pokemonB: [] }),
      trades.create({ trainerA: 'cb', trainerB: 'ca', pokemonA: ['pong'], pokemonB: [] }),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    await real.invalidate({ trainers: ['ca', 'cb'], pokemon: ['pong'] });
    const pong = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/pong' })).json();
    expect(pong.history.map((h: { trainerId: string }) => h.trainerId)).toEqual(['ca', 'cb', 'ca']);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/ca/trades' })).json().total).toBe(2);
  });

  it('allows a one-sided gift', async () => {
    const res = await trade({ trainerA: 'tc', trainerB: 'ta', pokemonA: ['c1'], pokemonB: [] });
    expect(res.statusCode).toBe(201);
    expect(await owner('c1')).toBe('ta');
  });

  it('refuses malformed trades with 400 and moves nothing', async () => {
    for (const payload of [
      { trainerA: 'ta', trainerB: 'ta', pokemonA: ['a2'], pokemonB: [] },
      { trainerA: 'ta', trainerB: 'tb', pokemonA: [], pokemonB: [] },
      { trainerA: 'ta', trainerB: 'tb', pokemonA: ['a2', 'a2'], pokemonB: [] },
      { trainerA: 'ta', trainerB: 'tb', pokemonA: ['a2'], pokemonB: ['a2'] },
      { trainerA: 'ta', trainerB: 'tb', pokemonA: ['a2'] },
    ]) {
      const res = await trade(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await owner('a2')).toBe('ta');
  });

  it('returns 404 for unknown trainers or pokemon and moves nothing', async () => {
    const unknownTrainer = await trade({ trainerA: 'ta', trainerB: 'ghost', pokemonA: ['a2'], pokemonB: [] });
    expect(unknownTrainer.statusCode).toBe(404);
    expect(unknownTrainer.json().message).toMatch(/"ghost"/);
    const unknownPokemon = await trade({ trainerA: 'ta', trainerB: 'tb', pokemonA: ['a2', 'nopemon'], pokemonB: [] });
    expect(unknownPokemon.statusCode).toBe(404);
    expect(unknownPokemon.json().message).toMatch(/"nopemon"/);
    expect(await owner('a2')).toBe('ta');
  });

  it('returns 409 when a listed pokemon belongs to someone else, and moves none of the others', async () => {
    // b1 now belongs to ta, so tb cannot give it; a2 must stay with ta.
    const res = await trade({ trainerA: 'ta', trainerB: 'tb', pokemonA: ['a2'], pokemonB: ['b1'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/"b1" belongs to "ta", not "tb"/);
    expect(await owner('a2')).toBe('ta');
    expect(await owner('b1')).toBe('ta');
    const history = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/a2' })).json().history;
    expect(history).toEqual([{ trainerId: 'ta', from: '2020-01-01', to: null }]);
  });

  it('returns 404 for unknown trade ids and the trades of unknown trainers', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trades/999999' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trades/abc' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/ghost/trades' })).statusCode).toBe(404);
  });

  it('keeps the history of a trainer deleted after trading a pokemon away', async () => {
    await createTrainer(t.app, 'leaver');
    await createPokemon(t.app, 'l1', 'leaver', { dateOfOwnership: '2022-01-01' });
    expect((await trade({ trainerA: 'leaver', trainerB: 'tb', pokemonA: ['l1'], pokemonB: [] })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/leaver' })).statusCode).toBe(204);
    const l1 = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/l1' })).json();
    expect(l1.history.map((h: { trainerId: string }) => h.trainerId)).toEqual(['leaver', 'tb']);
  });
});
