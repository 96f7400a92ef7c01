import { sql } from 'drizzle-orm';
import { queryRows } from '../../../platform/db.js';
import type { Platform } from '../../../platform/platform.js';
import type { App } from '../../../platform/service.js';

export const OPERATOR_KEY = 'arena-operator-key-for-tests-0123456789';
export const env = { ARENA_API_KEY: OPERATOR_KEY };
export const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface CreatedPlayer {
  id: number;
  name: string;
  token: string;
  gold: number;
  silver: number;
}

let counter = 0;
export function uniqueName(prefix = 'p'): string {
  counter++;
  return `${prefix}${process.pid % 1000}-${Date.now() % 100_000}-${counter}`.slice(0, 20);
}

export async function createPlayer(app: App, body: Record<string, unknown> = {}): Promise<CreatedPlayer> {
  const res = await app.inject({ method: 'POST', url: '/arena/players', headers: operator, payload: { name: uniqueName(), ...body } });
  if (res.statusCode !== 201) throw new Error(`create player: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function submit(app: App, attackerId: number, defenderId: number, headers = operator): Promise<number> {
  const res = await app.inject({
    method: 'POST',
    url: '/arena/battles',
    headers,
    payload: { attacker_id: attackerId, defender_id: defenderId },
  });
  if (res.statusCode !== 202) throw new Error(`submit battle: ${res.statusCode} ${res.body}`);
  return res.json().battle_id;
}

/** Waits until no battle of the arena is unfinished. */
export async function waitForAllDone(platform: Platform, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(platform.db, sql`SELECT count(*)::int AS n FROM arena.battles WHERE status <> 'done'`);
    if ((row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.n} battles still unfinished after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
