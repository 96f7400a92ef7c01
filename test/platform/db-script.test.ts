import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db.js';
import { inlineSql, type Script, scriptedTransaction } from '../../src/platform/db-script.js';
import { createTestPlatform, type TestPlatform } from '../harness.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ redis: false });
  await p.db.execute(sql`CREATE TABLE script_test (id int PRIMARY KEY, note text, n int)`);
  await p.db.execute(sql`CREATE TABLE script_lock (id int PRIMARY KEY)`);
  await p.db.execute(sql`INSERT INTO script_lock VALUES (1)`);
});
afterAll(async () => {
  await p?.close();
});

const count = async () => (await queryRows<{ n: number }>(p.db, sql`SELECT count(*)::int AS n FROM script_test`))[0]?.n;

describe('inlineSql', () => {
  it('writes values in as literals that read back exactly, whatever they hold', async () => {
    const tricky = ["it's", "''", '--', 'a\\b', "\\'; DROP TABLE script_test; --", '$1 and $2', '/* not a comment */', 'Jötnar ✓', ''];
    for (const text of tricky) {
      const statement = sql`SELECT ${text}::text AS t, 0 -${-5} AS n, ${null}::text AS z, ${{ a: "o'k" }}::jsonb AS j`;
      const [row] = await queryRows<{ t: string; n: number; z: null; j: unknown }>(p.db, inlineSql(statement));
      expect(row).toEqual({ t: text, n: 5, z: null, j: { a: "o'k" } });
    }
  });

  it('reads back the same with standard_conforming_strings off', async () => {
    const text = "\\'; SELECT 1; --";
    const [, rows] = await scriptedTransaction(p.dbHandle, (script) =>
      script.send([sql`SET LOCAL standard_conforming_strings = off`, sql`SELECT ${text}::text AS t`]),
    );
    expect(rows).toEqual([{ t: text }]);
  });

  it('refuses what it cannot write as a literal', () => {
    expect(() => inlineSql(sql`SELECT ${Number.NaN}`)).toThrow(/NaN/);
    expect(() => inlineSql(sql`SELECT ${0.5}::int`)).toThrow(/only safe integers/);
    expect(() => inlineSql(sql`SELECT '$1', ${1}`)).toThrow(/stray \$1/);
    expect(() => inlineSql(sql`SELECT ${'a\u0000b'}`)).toThrow(/NUL/);
  });
});

describe('scriptedTransaction', () => {
  it('answers each statement of a script with its rows and commits at the end', async () => {
    const answers = await scriptedTransaction(p.dbHandle, async (script) => {
      const first = await script.send([sql`INSERT INTO script_test VALUES (${1}, ${'one'}, ${1})`, sql`SELECT note FROM script_test`]);
      const second = await script.send([sql`UPDATE script_test SET n = n + ${1} RETURNING n`], { commit: true });
      return [...first, ...second];
    });
    expect(answers).toEqual([[], [{ note: 'one' }], [{ n: 2 }]]);
    expect(await count()).toBe(1);
  });

  it('rolls everything back when a statement fails, in the first script or a later one', async () => {
    const failing: ((script: Script) => Promise<unknown>)[] = [
      (script) => script.send([sql`INSERT INTO script_test VALUES (${2}, ${'two'}, ${2})`, sql`SELECT 1 / ${0}`]),
      async (script) => {
        await script.send([sql`INSERT INTO script_test VALUES (${2}, ${'two'}, ${2})`]);
        await script.send([sql`INSERT INTO script_test VALUES (${1}, ${'duplicate'}, ${0})`], { commit: true });
      },
      async (script) => {
        await script.send([sql`INSERT INTO script_test VALUES (${2}, ${'two'}, ${2})`]);
        throw new Error('the application changed its mind');
      },
    ];
    for (const body of failing) await expect(scriptedTransaction(p.dbHandle, body)).rejects.toThrow();
    expect(await count()).toBe(1);
    // The connection is usable afterwards.
    await scriptedTransaction(p.dbHandle, (script) => script.send([sql`INSERT INTO script_test VALUES (${3}, ${'three'}, ${3})`]));
    expect(await count()).toBe(2);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'reads, in the statement after a lock, what the lock holder committed while it waited',
    async () => {
      let release!: () => void;
      const holding = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const holder = p.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT * FROM script_lock WHERE id = 1 FOR UPDATE`);
        await tx.execute(sql`INSERT INTO script_test VALUES (${10}, ${'while locked'}, ${10})`);
        locked();
        await holding;
      });
      await isLocked;
      const reader = scriptedTransaction(p.dbHandle, (script) =>
        script.send([
          sql`SELECT * FROM script_lock WHERE id = 1 FOR UPDATE`,
          sql`SELECT count(*)::int AS n FROM script_test WHERE id = ${10}`,
        ]),
      );
      await new Promise((r) => setTimeout(r, 100));
      release();
      await holder;
      expect((await reader)[1]).toEqual([{ n: 1 }]);
    },
  );
});
