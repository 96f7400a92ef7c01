import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLeaderboard, createSqlLeaderboard, type Leaderboard } from '../../src/platform/leaderboard.js';
import { createTestPlatform, type TestPlatform } from '../harness.js';

let sqlPlatform: TestPlatform;
let redisPlatform: TestPlatform | undefined;

beforeAll(async () => {
  sqlPlatform = await createTestPlatform({ redis: false });
  const withRedis = await createTestPlatform();
  if (withRedis.redis) redisPlatform = withRedis;
  else await withRedis.close();
});
afterAll(async () => {
  await sqlPlatform.close();
  await redisPlatform?.close();
});

const backends: { name: string; create(): Leaderboard }[] = [
  { name: 'sql', create: () => createSqlLeaderboard(sqlPlatform.db) },
  ...(process.env.TEST_REDIS_URL
    ? [
        {
          name: 'redis',
          create: () => {
            if (!redisPlatform?.redis) throw new Error('TEST_REDIS_URL is set but Redis did not connect');
            return createRedisLeaderboard(redisPlatform.redis, redisPlatform.config.REDIS_PREFIX);
          },
        },
      ]
    : []),
];

describe.each(backends)('leaderboard contract: $name', ({ create }) => {
  it('accumulates increments and returns the new score', async () => {
    const lb = create();
    expect(await lb.increment('acc', 'a', 5)).toBe(5);
    expect(await lb.increment('acc', 'a', 7)).toBe(12);
    expect(await lb.rank('acc', 'a')).toEqual({ member: 'a', score: 12, rank: 1 });
  });

  it('gives tied scores the same rank and skips the ranks they use (1224)', async () => {
    const lb = create();
    await lb.set('ties', [
      { member: 'p1', score: 100 },
      { member: 'p2', score: 50 },
      { member: 'p3', score: 50 },
      { member: 'p4', score: 10 },
    ]);
    expect(await lb.top('ties', 10)).toEqual([
      { member: 'p1', score: 100, rank: 1 },
      { member: 'p3', score: 50, rank: 2 },
      { member: 'p2', score: 50, rank: 2 },
      { member: 'p4', score: 10, rank: 4 },
    ]);
    expect((await lb.rank('ties', 'p2'))?.rank).toBe(2);
    expect((await lb.rank('ties', 'p4'))?.rank).toBe(4);
  });

  it('ranks a page that starts inside a tie correctly', async () => {
    const lb = create();
    await lb.set('paged', [
      { member: 'a', score: 9 },
      { member: 'b', score: 5 },
      { member: 'c', score: 5 },
      { member: 'd', score: 5 },
      { member: 'e', score: 1 },
    ]);
    expect(await lb.top('paged', 2, 2)).toEqual([
      { member: 'c', score: 5, rank: 2 },
      { member: 'b', score: 5, rank: 2 },
    ]);
    expect(await lb.top('paged', 5, 4)).toEqual([{ member: 'e', score: 1, rank: 5 }]);
    expect(await lb.top('paged', 5, 10)).toEqual([]);
  });

  it('answers undefined for an unknown member and keeps boards apart', async () => {
    const lb = create();
    await lb.increment('one', 'x', 1);
    expect(await lb.rank('one', 'nobody')).toBeUndefined();
    expect(await lb.rank('two', 'x')).toBeUndefined();
    expect(await lb.size('one')).toBe(1);
  });

  it('overwrites with set, removes members and clears boards', async () => {
    const lb = create();
    await lb.set('edit', [{ member: 'm', score: 3 }]);
    await lb.set('edit', [
      { member: 'm', score: 8 },
      { member: 'n', score: 1 },
    ]);
    expect((await lb.rank('edit', 'm'))?.score).toBe(8);
    await lb.remove('edit', 'm');
    expect(await lb.rank('edit', 'm')).toBeUndefined();
    expect((await lb.rank('edit', 'n'))?.rank).toBe(1);
    await lb.clear('edit');
    expect(await lb.size('edit')).toBe(0);
  });

  it('raises scores without ever lowering one, adding new members', async () => {
    const lb = create();
    await lb.set('raise', [{ member: 'a', score: 10 }]);
    await lb.raise('raise', [
      { member: 'a', score: 7 },
      { member: 'b', score: 3 },
    ]);
    expect((await lb.rank('raise', 'a'))?.score).toBe(10);
    expect((await lb.rank('raise', 'b'))?.score).toBe(3);
    await lb.raise('raise', [{ member: 'a', score: 12 }]);
    expect(await lb.top('raise', 5)).toEqual([
      { member: 'a', score: 12, rank: 1 },
      { member: 'b', score: 3, rank: 2 },
    ]);
  });

  it('loses no increment under concurrent updates', async () => {
    const lb = create();
    await Promise.all(Array.from({ length: 200 }, (_, i) => lb.increment('race', `m${i % 5}`, 1)));
    const top = await lb.top('race', 10);
    expect(top.map((e) => e.score)).toEqual([40, 40, 40, 40, 40]);
    expect(top.every((e) => e.rank === 1)).toBe(true);
  });

  it('answers many rank lookups made at once, across boards and with unknown members, each its own', async () => {
    const lb = create();
    // 1,200 members on one board (more than one Redis script call takes), scores 0..599 twice: ties.
    await lb.set(
      'many',
      Array.from({ length: 1_200 }, (_, i) => ({ member: `m${i}`, score: i % 600 })),
    );
    await lb.set('other', [{ member: 'm5', score: 1 }]);
    const asked = [
      ...Array.from({ length: 1_200 }, (_, i) => ({ board: 'many', member: `m${i}` })),
      { board: 'many', member: 'nobody' },
      { board: 'other', member: 'm5' },
      { board: 'other', member: 'm6' },
    ];
    const answers = await Promise.all(asked.map(({ board, member }) => lb.rank(board, member)));
    asked.slice(0, 1_200).forEach(({ member }, i) => {
      const score = i % 600;
      // Two members per higher score rank above.
      expect(answers[i]).toEqual({ member, score, rank: 2 * (599 - score) + 1 });
    });
    expect(answers.slice(1_200)).toEqual([undefined, { member: 'm5', score: 1, rank: 1 }, undefined]);
  });
});
