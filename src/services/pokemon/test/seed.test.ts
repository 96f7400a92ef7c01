import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { pokemonService } from '../index.js';
import { SAMPLE_DIR } from '../seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([pokemonService]);
});
afterAll(async () => {
  await t.close();
});

describe('demo data and docs', () => {
  it('seeds demo data into empty tables once, and leaves existing data alone', async () => {
    await pokemonService.seedDemo?.(t.platform);
    const first = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers' })).json();
    expect(first.total).toBeGreaterThan(0);
    if (existsSync(resolve(SAMPLE_DIR, 'trainers.csv'))) expect(first.total).toBe(20);
    await pokemonService.seedDemo?.(t.platform);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers' })).json().total).toBe(first.total);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon' })).json().total).toBeGreaterThan(0);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/pokemon/trainers',
      '/pokemon/trainers/{id}',
      '/pokemon/trainers/{id}/trades',
      '/pokemon/pokemon',
      '/pokemon/pokemon/{id}',
      '/pokemon/trades',
      '/pokemon/trades/{id}',
      '/pokemon/imports',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
