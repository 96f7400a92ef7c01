import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, hasRedis, type TestApp } from '../../../../test/harness.js';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { createPlatform } from '../../../platform/platform.js';
import { hackathonService } from '../index.js';
import { register } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([hackathonService]);
  await register(t.app, {
    skills: [
      { skill: 'Python', rating: 5 },
      { skill: 'Go', rating: 2 },
    ],
  });
  await register(t.app, { skills: [{ skill: 'Python', rating: 4 }] });
  await register(t.app, {
    skills: [
      { skill: 'python-ish', rating: 1 },
      { skill: 'Go', rating: 3 },
    ],
  });
  await register(t.app, { skills: [{ skill: 'Python', rating: 4 }] });
});
afterAll(async () => {
  await t.close();
});

const skills = async (query = '') => (await t.app.inject({ method: 'GET', url: `/hackathon/skills${query}` })).json();

describe('GET /skills', () => {
  it('counts participants per skill and averages ratings to 2 decimals', async () => {
    expect(await skills()).toEqual({
      Go: { frequency: 2, average_rating: 2.5 },
      Python: { frequency: 3, average_rating: 4.33 },
      'python-ish': { frequency: 1, average_rating: 1 },
    });
  });

  it('applies inclusive, combinable filters and a case-insensitive keyword', async () => {
    expect(Object.keys(await skills('?min_frequency=2'))).toEqual(['Go', 'Python']);
    expect(Object.keys(await skills('?max_frequency=2'))).toEqual(['Go', 'python-ish']);
    expect(Object.keys(await skills('?min_frequency=2&max_frequency=2'))).toEqual(['Go']);
    expect(Object.keys(await skills('?min_average_rating=4.33'))).toEqual(['Python']);
    expect(Object.keys(await skills('?max_average_rating=2.5'))).toEqual(['Go', 'python-ish']);
    expect(Object.keys(await skills('?keyword=PYTH'))).toEqual(['Python', 'python-ish']);
    expect(await skills('?keyword=cobol')).toEqual({});
  });

  it.each(['min_frequency=many', 'max_frequency=1.5', 'min_average_rating=high', 'max_average_rating=9'])(
    'answers 400 for %s',
    async (q) => {
      const res = await t.app.inject({ method: 'GET', url: `/hackathon/skills?${q}` });
      expect(res.statusCode).toBe(400);
    },
  );

  it('serves from the cache and sees every write that changes skills', async () => {
    expect(await skills('?keyword=haskell')).toEqual({});
    const id = await register(t.app, { skills: [{ skill: 'Haskell', rating: 5 }] });
    expect(await skills('?keyword=haskell')).toEqual({ Haskell: { frequency: 1, average_rating: 5 } });
    await t.app.inject({ method: 'PUT', url: `/hackathon/users/${id}`, payload: { skills: [{ skill: 'Haskell', rating: 2 }] } });
    expect(await skills('?keyword=haskell')).toEqual({ Haskell: { frequency: 1, average_rating: 2 } });
  });
});

// Two API processes on one database and one Redis: a write in one must be seen by the other's next read.
describe.runIf(hasRealPostgres && hasRedis)('skills cache across processes (real PostgreSQL + Redis)', () => {
  it('invalidates the other process’s cached skills after a write', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: t.platform.databaseUrl ?? '',
      REDIS_URL: t.platform.config.REDIS_URL ?? '',
      REDIS_PREFIX: t.platform.config.REDIS_PREFIX,
    });
    const second = await createPlatform(config, createLogger(config));
    const app2 = await buildApp(second, [hackathonService]);
    try {
      const read2 = async () => (await app2.inject({ method: 'GET', url: '/hackathon/skills?keyword=erlang' })).json();
      expect(await read2()).toEqual({});
      await register(t.app, { skills: [{ skill: 'Erlang', rating: 4 }] });
      expect(await read2()).toEqual({ Erlang: { frequency: 1, average_rating: 4 } });
      const [id] = Object.keys(
        (
          await app2.inject({
            method: 'POST',
            url: '/hackathon/register',
            payload: {
              name: 'Second',
              company: 'P2',
              email: 'second-process@example.com',
              phone: '1',
              skills: [{ skill: 'Erlang', rating: 2 }],
            },
          })
        ).json(),
      );
      expect(id).toBeDefined();
      expect(await skills('?keyword=erlang')).toEqual({ Erlang: { frequency: 2, average_rating: 3 } });
    } finally {
      await app2.close();
      await second.close();
    }
  });
});
