import { expect } from 'vitest';
import type { App } from '../../../platform/service.js';

export async function createTrainer(app: App, id: string, extra: Record<string, string> = {}): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/pokemon/trainers',
    payload: { id, firstName: 'Ash', lastName: 'Ketchum', dateOfBirth: '1987-05-22', ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
}

export async function createPokemon(app: App, id: string, owner: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/pokemon/pokemon',
    payload: { id, nickname: `nick-${id}`, species: 'pikachu', level: 10, owner, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
}

export function postCsv(app: App, type: 'trainers' | 'pokemon', body: string | Buffer, mode?: 'insert' | 'upsert') {
  return app.inject({
    method: 'POST',
    url: `/pokemon/imports?type=${type}${mode ? `&mode=${mode}` : ''}`,
    headers: { 'content-type': 'text/csv' },
    payload: body,
  });
}
