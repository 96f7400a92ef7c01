import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, hasRealPostgres, type TestApp } from '../../../../test/harness.js';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { createPlatform } from '../../../platform/platform.js';
import { raffleService } from '../index.js';
import { claim, createRaffle, draw, playerIp } from './helpers.js';

/** Runs of ascending/descending steps; a random order has (2n-1)/3 ± sqrt((16n-29)/90). */
function runs(xs: number[]): number {
  let count = 1;
  for (let i = 2; i < xs.length; i++) {
    if (Math.sign((xs[i] as number) - (xs[i - 1] as number)) !== Math.sign((xs[i - 1] as number) - (xs[i - 2] as number))) count++;
  }
  return count;
}

// PGlite runs one statement at a time, which would prove nothing about races.
describe.runIf(hasRealPostgres)('raffle under concurrency (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([raffleService]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('hands each of 1,000 tickets out exactly once to 1,000 simultaneous clients, then 410, no 5xx', async () => {
    const r = await createRaffle(t.app, 1000);
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => claim(t.app, r.raffle_id, playerIp(i + 1))));
    const statuses = responses.map((res) => res.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const tickets = responses.map((res) => (res.json() as { ticket_number: number }).ticket_number);
    expect(new Set(tickets).size).toBe(1000);
    expect(Math.min(...tickets)).toBe(1);
    expect(Math.max(...tickets)).toBe(1000);
    expect(new Set(responses.map((res) => (res.json() as { verification_code: string }).verification_code)).size).toBe(1000);
    expect((await claim(t.app, r.raffle_id, playerIp(5000))).statusCode).toBe(410);
    expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` })).json().available_tickets).toBe(0);
  }, 60_000);

  it('gives exactly one of 20 simultaneous claims from one address a ticket; the rest get 403', async () => {
    const r = await createRaffle(t.app, 50);
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => claim(t.app, r.raffle_id, '198.51.100.20')))).map(
      (res) => res.statusCode,
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(19);
    // The refused claims did not consume tickets.
    expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` })).json().available_tickets).toBe(49);
  });

  it('keeps one ticket per client when duplicates race inside one batch and across two processes', async () => {
    // A second API process on the same database: its own pool and its own claim batches.
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: t.platform.databaseUrl ?? '', DATABASE_POOL_SIZE: '10' });
    const platform2 = await createPlatform(config, createLogger(config));
    const app2 = await buildApp(platform2, [raffleService]);
    try {
      const r = await createRaffle(t.app, 150);
      const requests = Array.from({ length: 100 }, (_, i) => playerIp(30_000 + i)).flatMap((ip) => [
        claim(t.app, r.raffle_id, ip),
        claim(app2, r.raffle_id, ip),
        claim(t.app, r.raffle_id, ip),
      ]);
      const responses = await Promise.all(requests);
      const statuses = responses.map((res) => res.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(100);
      expect(statuses.filter((s) => s === 403)).toHaveLength(200);
      for (let i = 0; i < 100; i++) expect(statuses.slice(3 * i, 3 * i + 3).filter((s) => s === 201)).toHaveLength(1);
      const tickets = responses.filter((res) => res.statusCode === 201).map((res) => res.json().ticket_number as number);
      expect(new Set(tickets).size).toBe(100);
      expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` })).json().available_tickets).toBe(50);
    } finally {
      await app2.close();
      await platform2.close();
    }
  }, 60_000);

  it('lets exactly one of 10 simultaneous draws win; the others get 409', async () => {
    const r = await createRaffle(t.app, 30, [{ name: 'p', amount: 10 }]);
    await Promise.all(Array.from({ length: 30 }, (_, i) => claim(t.app, r.raffle_id, playerIp(10_000 + i))));
    const responses = await Promise.all(Array.from({ length: 10 }, () => draw(t.app, r.raffle_id)));
    expect(responses.filter((res) => res.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((res) => res.statusCode === 409)).toHaveLength(9);
    const winners = await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}/winners` });
    expect(winners.json()).toHaveLength(10);
    expect(winners.json()).toEqual(responses.find((res) => res.statusCode === 201)?.json());
  });

  it('hands out in a non-sequential order and draws without favouring low numbers (statistics)', async () => {
    const n = 1000;
    const r = await createRaffle(t.app, n, [{ name: 'p', amount: 500 }]);
    const order: number[] = [];
    // Sequential claims, so the order observed is the hand-out order.
    for (let i = 0; i < n; i++) order.push((await claim(t.app, r.raffle_id, playerIp(20_000 + i))).json().ticket_number);
    const adjacent = order.slice(1).filter((x, i) => Math.abs(x - (order[i] as number)) === 1).length;
    expect(adjacent).toBeLessThan(12);
    expect(Math.abs(runs(order) - (2 * n - 1) / 3)).toBeLessThan(5 * Math.sqrt((16 * n - 29) / 90));

    const winners = (await draw(t.app, r.raffle_id)).json() as { ticket_number: number }[];
    const k = winners.length;
    const mean = winners.reduce((s, w) => s + w.ticket_number, 0) / k;
    const se = Math.sqrt((n * n - 1) / 12 / k) * Math.sqrt((n - k) / (n - 1));
    expect(Math.abs(mean - (n + 1) / 2)).toBeLessThan(5 * se);
    const deciles = new Array<number>(10).fill(0);
    for (const w of winners) {
      const d = Math.floor(((w.ticket_number - 1) * 10) / n);
      deciles[d] = (deciles[d] ?? 0) + 1;
    }
    // Sampling without replacement (half the tickets win) only shrinks the spread, so the usual
    // chi-square bound (9 df, significance 1e-9, so a fair draw practically never fails CI) is conservative.
    const chi2 = deciles.reduce((s, o) => s + (o - k / 10) ** 2 / (k / 10), 0);
    expect(chi2).toBeLessThan(60.66);
  }, 120_000);
});

describe('client address behind a proxy', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    [direct, proxied] = await Promise.all([
      buildTestApp([raffleService], { env: { RAFFLE_MANAGER_IPS: '10.9.0.0/16' } }),
      buildTestApp([raffleService], { env: { RAFFLE_MANAGER_IPS: '10.9.0.0/16', TRUST_PROXY: '127.0.0.1' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([direct?.close(), proxied?.close()]);
  });

  const create = (t: TestApp, forwardedFor: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/raffle/raffles',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { name: 'proxied', total_tickets: 3, prizes: [{ name: 'p', amount: 1 }] },
    });

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    expect((await create(direct, '10.9.1.1')).statusCode).toBe(403);
    expect((await create(direct, '127.0.0.1', '10.9.1.1')).statusCode).toBe(201);
  });

  it('uses X-Forwarded-For from a trusted proxy only', async () => {
    expect((await create(proxied, '10.9.1.1')).statusCode).toBe(201);
    expect((await create(proxied, '203.0.113.1')).statusCode).toBe(403);
    // From an untrusted peer the header is not believed.
    expect((await create(proxied, '10.9.1.1', '203.0.113.50')).statusCode).toBe(403);
  });

  it('counts claims per forwarded client behind a trusted proxy', async () => {
    const r = (await create(proxied, '10.9.1.1')).json() as { raffle_id: string };
    const viaProxy = (xff: string) =>
      proxied.app.inject({
        method: 'POST',
        url: `/raffle/raffles/${r.raffle_id}/participate`,
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': xff },
      });
    expect((await viaProxy('198.51.100.1')).statusCode).toBe(201);
    expect((await viaProxy('198.51.100.2')).statusCode).toBe(201);
    expect((await viaProxy('198.51.100.1')).statusCode).toBe(403);
  });
});
