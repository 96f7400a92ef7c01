import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { pokemonService } from '../index.js';
import { pokemonCsv, trainersCsv } from './generate.js';

const ROWS = 100_000;
const MB = 1024 * 1024;

// A forced collection before each sample measures live memory rather than garbage V8 has not swept yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// PGlite keeps its whole database in this process's memory (WASM heap), so a flat-memory claim about
// the import itself is only measurable against a real PostgreSQL server.
describe.runIf(hasRealPostgres)('a 100,000-row pokemon import (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([pokemonService]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads with memory growth under 100 MB, streamed from a generated file', { timeout: 120_000 }, async () => {
    const trainers = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=trainers',
      headers: { 'content-type': 'text/csv' },
      payload: trainersCsv('m', 1000),
    });
    expect(trainers.statusCode, trainers.body).toBe(201);

    gc();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      gc();
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 200);
    const started = Date.now();
    const res = await t.app
      .inject({
        method: 'POST',
        url: '/pokemon/imports?type=pokemon',
        headers: { 'content-type': 'text/csv' },
        payload: pokemonCsv('m', ROWS, 1000),
      })
      .finally(() => clearInterval(sampler));
    const ms = Date.now() - started;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ inserted: ROWS, updated: 0 });
    const rssGrowth = (peakRss - before.rss) / MB;
    const heapGrowth = (peakHeap - before.heapUsed) / MB;
    console.info(`100k-row import: ${ms} ms, peak RSS +${rssGrowth.toFixed(1)} MB, peak live heap +${heapGrowth.toFixed(1)} MB`);
    expect(rssGrowth).toBeLessThan(100);
    expect(heapGrowth).toBeLessThan(100);

    const page = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon?owner=mt7&limit=1' })).json();
    expect(page.total).toBe(ROWS / 1000);
  });

  it('rejects a 100,000-row file with one bad row at the end, writing nothing', { timeout: 120_000 }, async () => {
    const good = pokemonCsv('n', ROWS, 1000, 'm');
    const withBadTail = async function* () {
      for await (const chunk of good) yield chunk;
      yield 'n-bad,nick,mew,101,mt0,01-01-2001\n';
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=pokemon',
      headers: { 'content-type': 'text/csv' },
      payload: (await import('node:stream')).Readable.from(withBadTail()),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ row: ROWS + 2, column: 'level', reason: expect.stringMatching(/from 1 to 100/) }]);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/np0' })).statusCode).toBe(404);
  });
});

describe.runIf(!hasRealPostgres)('a 100,000-row pokemon import', () => {
  it('is measured only against real PostgreSQL (set TEST_DATABASE_URL): PGlite holds the database in this process', () => {
    expect(hasRealPostgres).toBe(false);
  });
});
