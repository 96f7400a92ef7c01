import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { pokemonService } from '../index.js';
import { createPokemon, createTrainer } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([pokemonService]);
});
afterAll(async () => {
  await t.close();
});

describe('trainers', () => {
  it('creates a trainer with a given id and reads it back with its pokemon', async () => {
    await createTrainer(t.app, 'ash1');
    await createPokemon(t.app, 'pika-ash1', 'ash1', { dateOfOwnership: '2020-01-02' });
    const res = await t.app.inject({ method: 'GET', url: '/pokemon/trainers/ash1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: 'ash1',
      firstName: 'Ash',
      lastName: 'Ketchum',
      dateOfBirth: '1987-05-22',
      pokemon: [
        { id: 'pika-ash1', nickname: 'nick-pika-ash1', species: 'pikachu', level: 10, owner: 'ash1', dateOfOwnership: '2020-01-02' },
      ],
    });
  });

  it('generates an id when none is given', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/trainers',
      payload: { firstName: 'Misty', lastName: 'W', dateOfBirth: '1990-01-01' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().id).toMatch(/^trainer-[0-9a-f-]{36}$/);
  });

  it('returns 409 for a taken id and 400 for a bad id, an impossible date or a missing field', async () => {
    await createTrainer(t.app, 'dup1');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/pokemon/trainers',
      payload: { id: 'dup1', firstName: 'a', lastName: 'b', dateOfBirth: '1990-01-01' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toMatch(/already exists/);
    for (const payload of [
      { id: 'has space', firstName: 'a', lastName: 'b', dateOfBirth: '1990-01-01' },
      { firstName: 'a', lastName: 'b', dateOfBirth: '2000-02-30' },
      { firstName: 'a', lastName: 'b', dateOfBirth: '30-01-2000' },
      { firstName: '', lastName: 'b', dateOfBirth: '2000-01-01' },
      { lastName: 'b', dateOfBirth: '2000-01-01' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/pokemon/trainers', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).not.toBe('');
    }
  });

  it('pages trainers 1-based with totals', async () => {
    for (let i = 0; i < 5; i++) await createTrainer(t.app, `page-${i}`);
    const res = await t.app.inject({ method: 'GET', url: '/pokemon/trainers?page=2&limit=2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 2, limit: 2 });
    expect(body.items).toHaveLength(2);
    expect(body.totalPages).toBe(Math.ceil(body.total / 2));
    const all = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers?limit=100' })).json();
    expect(body.items).toEqual(all.items.slice(2, 4));
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers?page=0' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers?limit=101' })).statusCode).toBe(400);
  });

  it('patches names and date of birth, and the next read shows the change', async () => {
    await createTrainer(t.app, 'patch1');
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/patch1' })).json().firstName).toBe('Ash');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/pokemon/trainers/patch1',
      payload: { firstName: 'Gary', dateOfBirth: '1988-02-29' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ firstName: 'Gary', dateOfBirth: '1988-02-29' });
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/patch1' })).json().firstName).toBe('Gary');
    expect(
      (await t.app.inject({ method: 'PATCH', url: '/pokemon/trainers/patch1', payload: { dateOfBirth: '1989-02-29' } })).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/pokemon/trainers/patch1', payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/pokemon/trainers/nobody', payload: { firstName: 'x' } })).statusCode).toBe(404);
  });

  it('returns 404 for an unknown trainer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/pokemon/trainers/nobody' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: 'TRAINER_NOT_FOUND' });
  });

  it('refuses to delete a trainer who owns pokemon (409) unless cascade=true, which removes them too', async () => {
    await createTrainer(t.app, 'del1');
    await createPokemon(t.app, 'del1-p', 'del1');
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/del1-p' })).statusCode).toBe(200);
    const refused = await t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/del1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/cascade=true/);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/del1' })).statusCode).toBe(200);
    const deleted = await t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/del1?cascade=true' });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/del1' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/del1-p' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/del1' })).statusCode).toBe(404);
  });

  it('deletes a trainer who owns nothing', async () => {
    await createTrainer(t.app, 'del2');
    expect((await t.app.inject({ method: 'DELETE', url: '/pokemon/trainers/del2' })).statusCode).toBe(204);
  });
});
