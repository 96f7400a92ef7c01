import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { seededRandom } from '../../../platform/random.js';
import { drawWinners } from '../domain/draw.js';
import { raffleService } from '../index.js';
import { createRaffleStore, WINNER_CHUNK } from '../store.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([raffleService]);
});
afterAll(async () => {
  await t.close();
});

describe('raffle store', () => {
  it('claims a whole batch in one statement, skipping clients that hold a ticket and stopping at the last ticket', async () => {
    const store = createRaffleStore(t.platform.db);
    const raffle = await store.insertRaffle({
      id: randomUUID(),
      name: 'batch',
      totalTickets: 5,
      prizes: [{ name: 'p', amount: 1 }],
      permKey: randomBytes(32),
      createdAt: new Date(),
    });
    const member = (ip: string) => ({ clientIp: ip, codeSalt: randomBytes(16), codeHash: randomBytes(32) });
    const first = await store.claimBatch(raffle.id, [member('a'), member('b')]);
    expect([...(first?.granted ?? [])]).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    const second = await store.claimBatch(raffle.id, ['b', 'c', 'd', 'e', 'f'].map(member));
    expect([...(second?.granted ?? [])]).toEqual([
      ['c', 2],
      ['d', 3],
      ['e', 4],
    ]);
    expect([...(second?.existing ?? [])]).toEqual(['b']);
    expect((await store.getRaffle(raffle.id))?.claimed).toBe(5);
    expect(await store.claimBatch(randomUUID(), [member('a')])).toBeUndefined();
  });

  it('stores winners in chunks and finds every winner and loser across chunk boundaries', async () => {
    const store = createRaffleStore(t.platform.db);
    const total = 3_000;
    const prizes = [
      { name: 'gold', amount: 3 },
      { name: 'tin', amount: 2_342 },
    ];
    const raffle = await store.insertRaffle({
      id: randomUUID(),
      name: 'chunks',
      totalTickets: total,
      prizes,
      permKey: randomBytes(32),
      createdAt: new Date(),
    });
    const members = Array.from({ length: total }, (_, i) => ({ clientIp: `c${i}`, codeSalt: randomBytes(16), codeHash: randomBytes(32) }));
    expect((await store.claimBatch(raffle.id, members))?.granted.size).toBe(total);
    const drawn = drawWinners(total, prizes, seededRandom(3));
    await store.transaction((tx) => store.insertWinners(tx, raffle.id, drawn));

    const listed = await store.listWinners(raffle.id);
    expect([...listed.tickets]).toEqual([...drawn.tickets]);
    expect([...listed.prizeIndexes]).toEqual([...drawn.prizeIndexes]);
    expect(Math.ceil(drawn.tickets.length / WINNER_CHUNK)).toBe(3);
    const chunks = await t.platform.db.execute(
      sql`SELECT first_ticket, cardinality(tickets) AS n FROM raffle.winner_chunks WHERE raffle_id = ${raffle.id} ORDER BY first_ticket`,
    );
    expect((chunks as unknown as { rows: { first_ticket: number; n: number }[] }).rows).toEqual([
      { first_ticket: drawn.tickets[0], n: WINNER_CHUNK },
      { first_ticket: drawn.tickets[WINNER_CHUNK], n: WINNER_CHUNK },
      { first_ticket: drawn.tickets[2 * WINNER_CHUNK], n: drawn.tickets.length - 2 * WINNER_CHUNK },
    ]);

    const prizeOf = new Map([...drawn.tickets].map((ticket, i) => [ticket, drawn.prizeIndexes[i]]));
    const boundaries = [0, 1, WINNER_CHUNK - 1, WINNER_CHUNK, 2 * WINNER_CHUNK - 1, 2 * WINNER_CHUNK, drawn.tickets.length - 1];
    const probes = new Set<number>([1, total]);
    for (const i of boundaries) {
      const ticket = drawn.tickets[i] as number;
      for (const d of [-1, 0, 1]) if (ticket + d >= 1 && ticket + d <= total) probes.add(ticket + d);
    }
    for (let i = 0; i < 100; i++) probes.add(1 + ((i * 7919) % total));
    for (const ticket of probes) {
      const found = await store.getClaimAndPrize(raffle.id, 0, ticket);
      expect(found?.prizeIndex ?? null, `ticket ${ticket}`).toBe(prizeOf.get(ticket) ?? null);
    }
  });
});
