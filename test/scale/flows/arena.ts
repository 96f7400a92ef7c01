import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { queryRows } from '../../../src/platform/db.js';
import { expectQueueInvariants } from '../../../src/services/arena/test/invariants.js';
import { pick, randomInt, unknownOutcome } from '../support/api.js';
import { waitUntil } from '../support/processes.js';
import { type Flow, type FlowContext, SECRETS } from './types.js';

export const ARENA_PLAYERS = 12;
const operator = { authorization: `Bearer ${SECRETS.ARENA_API_KEY}` };

export interface ArenaFlow extends Flow {
  /** Battles answered 202. */
  accepted: number[];
  /** Waits until no battle is unfinished (the workers drained the queue). */
  drain(timeoutMs?: number): Promise<void>;
  players: { id: number; gold: number; silver: number }[];
  submit(): Promise<void>;
}

export async function unfinishedBattles(db: FlowContext['db']): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, "SELECT count(*)::int AS n FROM arena.battles WHERE status <> 'done'");
  return row?.n ?? 0;
}

/** Battles between a dozen players, fought by the worker processes; checked battle by battle at the end. */
export function arenaFlow({ api, db, exact }: FlowContext): ArenaFlow {
  const players: { id: number; gold: number; silver: number }[] = [];
  const accepted: number[] = [];
  let unknown = 0;
  const run = randomBytes(2).toString('hex');

  async function submit(): Promise<void> {
    const a = pick(players);
    let d = pick(players);
    while (d === a) d = pick(players);
    const res = await api.call('arena.battle', 'POST', '/arena/battles', {
      headers: operator,
      body: { attacker_id: a.id, defender_id: d.id },
    });
    if (res.status === 202) accepted.push((res.body as { battle_id: number }).battle_id);
    else if (unknownOutcome(res)) unknown++;
    else throw new Error(`submit battle: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async function drain(timeoutMs = 60_000): Promise<void> {
    await waitUntil('every battle to be fought', async () => (await unfinishedBattles(db)) === 0, { timeoutMs });
  }

  return {
    name: 'arena',
    accepted,
    players,
    submit,
    drain,
    async setup() {
      for (let i = 0; i < ARENA_PLAYERS; i++) {
        const body = {
          name: `sc${run}-${i}`,
          gold: randomInt(10_000, 1_000_000),
          silver: randomInt(1_000, 100_000),
          luck: randomInt(0, 30),
        };
        const res = await api.call('arena.player', 'POST', '/arena/players', { headers: operator, body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        players.push({ id: (res.body as { id: number }).id, gold: body.gold, silver: body.silver });
      }
    },
    step: submit,
    async settle() {
      // One more battle for every player: a worker fights a player's older unfinished battles before a
      // newer one, so battles whose queue entry a Redis outage lost are fought now rather than at the
      // next recovery sweep (which runs only every minute or more). The timeout still covers a sweep.
      for (let i = 0; i < players.length; i += 2) {
        const a = players[i];
        const d = players[(i + 1) % players.length];
        if (!a || !d) continue;
        const res = await api.call('arena.battle', 'POST', '/arena/battles', {
          headers: operator,
          body: { attacker_id: a.id, defender_id: d.id },
        });
        if (res.status === 202) accepted.push((res.body as { battle_id: number }).battle_id);
        else throw new Error(`submit battle after the load: ${res.status} ${JSON.stringify(res.body)}`);
      }
      await drain(180_000);
    },
    async check() {
      const [row] = await queryRows<{ n: number }>(db, 'SELECT count(*)::int AS n FROM arena.battles');
      const recorded = row?.n ?? 0;
      if (exact) expect(recorded, 'battles answered 202 = battles recorded').toBe(accepted.length);
      else {
        expect(recorded).toBeGreaterThanOrEqual(accepted.length);
        expect(recorded).toBeLessThanOrEqual(accepted.length + unknown);
      }
      const known = await queryRows<{ id: number }>(db, `SELECT id FROM arena.battles WHERE id IN (${accepted.join(',') || 0})`);
      expect(known.length, 'every battle answered 202 is recorded').toBe(accepted.length);
      // Every battle done exactly once, in submission order per player, balances conserved.
      await expectQueueInvariants(db, new Map(players.map((p) => [p.id, { gold: p.gold, silver: p.silver }])), recorded);
    },
  };
}
