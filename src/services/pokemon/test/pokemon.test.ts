import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createFakeClock } from '../../../platform/clock.js';
import { pokemonService } from '../index.js';
import { createPokemon, createTrainer } from './fixtures.js';

let t: TestApp;
const clock = createFakeClock(Date.UTC(2026, 4, 17, 12));
beforeAll(async () => {
  t = await buildTestApp([pokemonService], { clock });
  await createTrainer(t.app, 'owner1');
  await createTrainer(t.app, 'owner2');
});
afterAll(async () => {
  await t.close();
});

describe('pokemon', () => {
  it('creates a pokemon owned since today by default, with an open history interval', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/pokemon',
      payload: { id: 'bulba', nickname: 'Bulby', species: 'bulbasaur', level: 5, owner: 'owner1' },
    });
    expect(res.statusCode).toBe(201);
    const expected = {
      id: 'bulba',
      nickname: 'Bulby',
      species: 'bulbasaur',
      level: 5,
      owner: 'owner1',
      dateOfOwnership: '2026-05-17',
      history: [{ trainerId: 'owner1', from: '2026-05-17', to: null }],
    };
    expect(res.json()).toEqual(expected);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/bulba' })).json()).toEqual(expected);
  });

  it('refuses levels 0 and 101, impossible dates, unknown owners and taken ids, writing nothing', async () => {
    for (const [payload, status] of [
      [{ id: 'x1', nickname: 'n', species: 's', level: 0, owner: 'owner1' }, 400],
      [{ id: 'x1', nickname: 'n', species: 's', level: 101, owner: 'owner1' }, 400],
      [{ id: 'x1', nickname: 'n', species: 's', level: 2.5, owner: 'owner1' }, 400],
      [{ id: 'x1', nickname: 'n', species: 's', level: 5, owner: 'owner1', dateOfOwnership: '2001-02-29' }, 400],
      [{ id: 'x1', nickname: 'n', species: 's', level: 5, owner: 'ghost' }, 404],
      [{ id: 'bulba', nickname: 'n', species: 's', level: 5, owner: 'owner1' }, 409],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/pokemon/pokemon', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().message.length).toBeGreaterThan(10);
    }
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/x1' })).statusCode).toBe(404);
  });

  it('filters by owner, species and level range and pages the result', async () => {
    await createPokemon(t.app, 'f1', 'owner2', { species: 'eevee', level: 10 });
    await createPokemon(t.app, 'f2', 'owner2', { species: 'eevee', level: 20 });
    await createPokemon(t.app, 'f3', 'owner2', { species: 'eevee', level: 30 });
    await createPokemon(t.app, 'f4', 'owner2', { species: 'onix', level: 20 });
    const get = async (q: string) => (await t.app.inject({ method: 'GET', url: `/pokemon/pokemon?${q}` })).json();
    expect((await get('owner=owner2&species=eevee')).items.map((p: { id: string }) => p.id)).toEqual(['f1', 'f2', 'f3']);
    expect((await get('owner=owner2&minLevel=15&maxLevel=25')).items.map((p: { id: string }) => p.id)).toEqual(['f2', 'f4']);
    const paged = await get('owner=owner2&limit=3&page=2');
    expect(paged).toEqual({ items: [expect.objectContaining({ id: 'f4' })], page: 2, limit: 3, total: 4, totalPages: 2 });
    expect(await get('owner=nobody')).toEqual({ items: [], page: 1, limit: 20, total: 0, totalPages: 0 });
    const bad = await t.app.inject({ method: 'GET', url: '/pokemon/pokemon?minLevel=50&maxLevel=10' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/minLevel/);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon?minLevel=0' })).statusCode).toBe(400);
  });

  it('patches nickname, species and level; the next read shows the change', async () => {
    await createPokemon(t.app, 'p1', 'owner1');
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/p1' })).json().level).toBe(10);
    const res = await t.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/p1', payload: { level: 42, nickname: 'Sparky' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ level: 42, nickname: 'Sparky', owner: 'owner1' });
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/p1' })).json()).toMatchObject({ level: 42 });
    const trainer = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/owner1' })).json();
    expect(trainer.pokemon.find((p: { id: string }) => p.id === 'p1')).toMatchObject({ level: 42 });
  });

  it('refuses to change the owner through PATCH, pointing to trades', async () => {
    await createPokemon(t.app, 'p2', 'owner1');
    const res = await t.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/p2', payload: { owner: 'owner2' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/\/trades/);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/p2' })).json().owner).toBe('owner1');
    expect((await t.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/p2', payload: { level: 101 } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/p2', payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/nope', payload: { level: 3 } })).statusCode).toBe(404);
  });

  it('deletes a pokemon; it disappears from reads and its trainer', async () => {
    await createPokemon(t.app, 'p3', 'owner1');
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/p3' })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/owner1' })).json().pokemon.map((p: { id: string }) => p.id),
    ).toContain('p3');
    expect((await t.app.inject({ method: 'DELETE', url: '/pokemon/pokemon/p3' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/p3' })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/owner1' })).json().pokemon.map((p: { id: string }) => p.id),
    ).not.toContain('p3');
    expect((await t.app.inject({ method: 'DELETE', url: '/pokemon/pokemon/p3' })).statusCode).toBe(404);
  });
});
