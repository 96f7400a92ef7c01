import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, hasRedis, type TestApp } from '../../../../test/harness.js';
import { buildApp } from '../../../app.js';
import { createLogger } from '../../../platform/logger.js';
import { createPlatform, type Platform } from '../../../platform/platform.js';
import type { App } from '../../../platform/service.js';
import { pokemonService } from '../index.js';
import { createPokemon, createTrainer, postCsv } from './fixtures.js';

// Two API processes share one PostgreSQL and one Redis: a write through one must never be followed by
// an old value read through the other (the second "process" has its own pool and its own app).
describe.runIf(hasRealPostgres && hasRedis)('cached reads across two processes (real PostgreSQL + Redis)', () => {
  let one: TestApp;
  let platform2: Platform;
  let two: App;

  beforeAll(async () => {
    one = await buildTestApp([pokemonService]);
    platform2 = await createPlatform(one.platform.config, createLogger(one.platform.config));
    two = await buildApp(platform2, [pokemonService]);
    await two.ready();
    await createTrainer(one.app, 'x-a');
    await createTrainer(one.app, 'x-b');
    await createPokemon(one.app, 'x-p', 'x-a', { level: 1 });
  });
  afterAll(async () => {
    await two?.close();
    await platform2?.close();
    await one?.close();
  });

  const read = async (app: App, url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  it('shows every PATCH of a pokemon on the other process immediately, even while it is being read hard', async () => {
    let stop = false;
    // Background readers keep re-filling the cache in the second process while writes land in the first.
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) await read(two, '/pokemon/pokemon/x-p');
    });
    try {
      for (let level = 2; level <= 30; level++) {
        const res = await one.app.inject({ method: 'PATCH', url: '/pokemon/pokemon/x-p', payload: { level } });
        expect(res.statusCode).toBe(200);
        expect((await read(two, '/pokemon/pokemon/x-p')).body.level).toBe(level);
        expect((await read(two, '/pokemon/trainers/x-a')).body.pokemon[0].level).toBe(level);
      }
    } finally {
      stop = true;
      await Promise.all(readers);
    }
  });

  it('shows trades, imports and deletes on the other process immediately', async () => {
    expect((await read(two, '/pokemon/trainers/x-b')).body.pokemon).toEqual([]);
    const trade = await one.app.inject({
      method: 'POST',
      url: '/pokemon/trades',
      payload: { trainerA: 'x-a', trainerB: 'x-b', pokemonA: ['x-p'], pokemonB: [] },
    });
    expect(trade.statusCode).toBe(201);
    expect((await read(two, '/pokemon/pokemon/x-p')).body.owner).toBe('x-b');
    expect((await read(two, '/pokemon/trainers/x-b')).body.pokemon.map((p: { id: string }) => p.id)).toEqual(['x-p']);
    expect((await read(two, '/pokemon/trainers/x-a')).body.pokemon).toEqual([]);

    const imported = await postCsv(
      one.app,
      'pokemon',
      'id,nickname,species,level,owner,dateOfOwnership\nx-p,Imported,mew,77,x-a,01-01-2030\n',
      'upsert',
    );
    expect(imported.statusCode, imported.body).toBe(201);
    expect((await read(two, '/pokemon/pokemon/x-p')).body).toMatchObject({ nickname: 'Imported', level: 77, owner: 'x-a' });
    expect((await read(two, '/pokemon/trainers/x-b')).body.pokemon).toEqual([]);
    const trainers = await postCsv(one.app, 'trainers', 'id,firstName,lastName,dateOfBirth\nx-a,Renamed,A,01-01-1990\n', 'upsert');
    expect(trainers.statusCode).toBe(201);
    expect((await read(two, '/pokemon/trainers/x-a')).body.firstName).toBe('Renamed');

    expect((await one.app.inject({ method: 'DELETE', url: '/pokemon/pokemon/x-p' })).statusCode).toBe(204);
    expect((await read(two, '/pokemon/pokemon/x-p')).status).toBe(404);
    expect((await read(two, '/pokemon/trainers/x-a')).body.pokemon).toEqual([]);
    expect((await one.app.inject({ method: 'DELETE', url: '/pokemon/trainers/x-b' })).statusCode).toBe(204);
    expect((await read(two, '/pokemon/trainers/x-b')).status).toBe(404);
  });
});

describe.runIf(!(hasRealPostgres && hasRedis))('cached reads across two processes', () => {
  it('are tested only with TEST_DATABASE_URL and TEST_REDIS_URL (an in-process cache is per process by design)', () => {
    expect(hasRealPostgres && hasRedis).toBe(false);
  });
});
