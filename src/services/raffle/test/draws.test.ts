import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { queryRows } from '../../../platform/db.js';
import { raffleService } from '../index.js';
import { claim, claimAll, createRaffle, draw, playerIp, verify } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([raffleService]);
});
afterAll(async () => {
  await t.close();
});

describe('draws and verification', () => {
  it('refuses to draw while tickets remain (409), for non-managers (403) and unknown raffles (404)', async () => {
    const r = await createRaffle(t.app, 3);
    await claim(t.app, r.raffle_id, playerIp(9001));
    const early = await draw(t.app, r.raffle_id);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('TICKETS_REMAIN');
    // Precedence: not a manager (403) before state (409).
    expect((await draw(t.app, r.raffle_id, '203.0.113.1')).statusCode).toBe(403);
    // Unknown raffle (404) before not a manager.
    expect((await draw(t.app, '00000000-0000-4000-8000-000000000000', '203.0.113.1')).statusCode).toBe(404);
  });

  it('draws once, lists winners by ticket, and verifies wins, losses and wrong codes', async () => {
    const r = await createRaffle(t.app, 10, [
      { name: 'Car', amount: 1 },
      { name: 'Mug', amount: 3 },
    ]);
    expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}/winners` })).statusCode).toBe(409);
    const codes = await claimAll(t.app, r.raffle_id, 10, 2000);
    expect((await verify(t.app, r.raffle_id, 1, codes.get(1))).json().code).toBe('NOT_DRAWN');

    const drawn = await draw(t.app, r.raffle_id);
    expect(drawn.statusCode).toBe(201);
    const winners = drawn.json() as { ticket_number: number; prize: string }[];
    expect(winners).toHaveLength(4);
    expect(winners.filter((w) => w.prize === 'Car')).toHaveLength(1);
    expect(winners.filter((w) => w.prize === 'Mug')).toHaveLength(3);
    expect(new Set(winners.map((w) => w.ticket_number)).size).toBe(4);
    expect(winners.map((w) => w.ticket_number)).toEqual([...winners.map((w) => w.ticket_number)].sort((a, b) => a - b));

    const again = await draw(t.app, r.raffle_id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_DRAWN');
    const listed = await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}/winners` });
    expect(listed.json()).toEqual(winners);
    expect((await t.app.inject({ method: 'GET', url: `/raffle/raffles/${r.raffle_id}` })).json().winners_drawn).toBe(true);

    const prizeOf = new Map(winners.map((w) => [w.ticket_number, w.prize]));
    for (const [ticket, code] of codes) {
      const res = await verify(t.app, r.raffle_id, ticket, code.toLowerCase(), playerIp(ticket));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ has_won: prizeOf.has(ticket), prize: prizeOf.get(ticket) ?? null });
    }
    const [firstTicket, firstCode] = [...codes][0] as [number, string];
    const otherCode = [...codes.values()].find((c) => c !== firstCode);
    const wrong = await verify(t.app, r.raffle_id, firstTicket, otherCode);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('WRONG_CODE');
    expect((await verify(t.app, r.raffle_id, firstTicket, 'nonsense')).statusCode).toBe(403);
    expect((await verify(t.app, r.raffle_id, 11, firstCode)).statusCode).toBe(404);
    expect((await verify(t.app, r.raffle_id, 0, firstCode)).statusCode).toBe(400);
    expect((await verify(t.app, r.raffle_id, '3', firstCode)).statusCode).toBe(400);
    expect((await verify(t.app, '00000000-0000-4000-8000-000000000000', 1, firstCode)).statusCode).toBe(404);
  });

  it('rate-limits verification per ticket with 429 and Retry-After', async () => {
    const r = await createRaffle(t.app, 2);
    const codes = await claimAll(t.app, r.raffle_id, 2, 3000);
    await draw(t.app, r.raffle_id);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await verify(t.app, r.raffle_id, 1, 'AAAA-AAAA-AAAA-AAAA', playerIp(4000 + i))).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await verify(t.app, r.raffle_id, 1, codes.get(1), playerIp(4100));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another ticket is unaffected.
    expect((await verify(t.app, r.raffle_id, 2, codes.get(2), playerIp(4101))).statusCode).toBe(200);
  });

  it('rate-limits verification per client address', async () => {
    const r = await createRaffle(t.app, 70);
    const codes = await claimAll(t.app, r.raffle_id, 70, 6000);
    await draw(t.app, r.raffle_id);
    const statuses: number[] = [];
    for (const [ticket, code] of [...codes].slice(0, 62))
      statuses.push((await verify(t.app, r.raffle_id, ticket, code, '192.0.2.77')).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.slice(60)).toEqual([429, 429]);
  });

  it('keeps no code in plain text in any column of the database', async () => {
    const r = await createRaffle(t.app, 5);
    const codes = [...(await claimAll(t.app, r.raffle_id, 5, 7000)).values()];
    const columns = await queryRows<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
      t.platform.db,
      `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
         AND data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')`,
    );
    expect(columns.some((c) => c.table_schema === 'raffle' && c.column_name === 'code_hash')).toBe(true);
    const needles = codes.flatMap((c) => [c, c.replaceAll('-', '')]);
    // Positive control: a code-shaped string stored in plain text is found by the same scan.
    const planted = 'ZZZZ-YYYY-XXXX-WWWW';
    await createRaffle(t.app, 1, undefined, planted);
    needles.push(planted);
    for (const n of needles) expect(n).toMatch(/^[0-9A-Z-]+$/);
    const found: string[] = [];
    for (const col of columns) {
      const ref = `"${col.table_schema}"."${col.table_name}"."${col.column_name}"`;
      const asText = col.data_type === 'bytea' ? `encode(${ref}, 'escape')` : `${ref}::text`;
      // Needles are [0-9A-Z-] only (checked above), so they are safe inside a SQL literal.
      const hits = await queryRows<{ needle: string }>(
        t.platform.db,
        `SELECT n AS needle FROM unnest(ARRAY[${needles.map((n) => `'${n}'`).join(',')}]) AS n
         WHERE EXISTS (SELECT 1 FROM "${col.table_schema}"."${col.table_name}" WHERE position(n in upper(${asText})) > 0)`,
      );
      for (const h of hits) found.push(`${ref}: ${h.needle}`);
    }
    expect(found).toEqual([`"raffle"."raffles"."name": ${planted}`]);
  });
});
