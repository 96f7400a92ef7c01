import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { buildApp } from '../../../app.js';
import type { Db } from '../../../platform/db.js';
import type { App } from '../../../platform/service.js';
import { generateParticipants } from '../domain/generator.js';
import { createHackathonDeps, hackathonService } from '../index.js';
import { loadParticipants } from '../loader.js';

// The same app on the same database, through a drizzle handle that counts every statement it runs.
let t: TestApp;
let counted: App;
let statements = 0;
beforeAll(async () => {
  t = await buildTestApp([hackathonService]);
  const logger = { logQuery: () => void statements++ };
  const handle = t.platform.dbHandle;
  const db = (handle.kind === 'pg' ? drizzlePg(handle.pool, { logger }) : drizzlePglite(handle.client, { logger })) as unknown as Db;
  counted = await buildApp({ ...t.platform, db }, [hackathonService]);
  await counted.ready();
});
afterAll(async () => {
  await counted.close();
  await t.close();
});

async function queriesFor(url: string): Promise<{ count: number; users: number }> {
  statements = 0;
  const res = await counted.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(200);
  return { count: statements, users: Object.keys(res.json()).length };
}

describe('GET /users query count', () => {
  it('runs the same small number of SQL statements for 10 and for 200 participants', async () => {
    const { store, skillsCache } = createHackathonDeps(t.platform);
    const records = generateParticipants({ count: 260, seed: 'n+1' });
    await loadParticipants(store, skillsCache, records.slice(0, 10));
    const small = await queriesFor('/hackathon/users');
    expect(small.users).toBe(10);
    await loadParticipants(store, skillsCache, records.slice(10));
    const large = await queriesFor('/hackathon/users');
    expect(large.users).toBeGreaterThanOrEqual(200);
    expect(small.count).toBeGreaterThan(0);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(2);
    expect((await queriesFor('/hackathon/users?checked_in=false&page=2')).count).toBe(small.count);
  });
});
