import type { Cache } from '../../../platform/cache.js';
import type { Clock } from '../../../platform/clock.js';
import type { ParticipantMap } from '../schemas.js';
import type { HackathonStore, ParticipantRow } from '../store/index.js';

export interface HackathonDeps {
  store: HackathonStore;
  clock: Clock;
  skillsCache: Cache;
  /** One participant as GET /users/{id} shows it, keyed by id; every write to a participant invalidates it. */
  usersCache: Cache;
  tokensPerOrder: number;
  cooldownSeconds: number;
  adminToken: string;
}

/** The one cache key: the full skill statistics, filtered per request in memory (≈100 rows). */
export const SKILLS_KEY = 'all';

/**
 * How long a cached participant lives. Writes invalidate it (after commit, in every process when Redis
 * is on), so the TTL only bounds what a process that died between its commit and its invalidation could
 * leave behind in Redis.
 */
export const USER_TTL_MS = 10_000;

const MAX_ID = 2_147_483_647;

/** A path id: a positive integer in range, else undefined (the caller answers 404, as for an unknown id). */
export function parseId(raw: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** Drops the cached participants after a committed write that changed them. */
export async function participantsChanged(usersCache: Cache, ...ids: number[]): Promise<void> {
  await usersCache.invalidate(...ids.map(String));
}

export function toParticipantMap(rows: readonly ParticipantRow[]): ParticipantMap {
  const map: ParticipantMap = {};
  for (const r of rows) {
    map[String(r.id)] = {
      name: r.name,
      company: r.company,
      email: r.email,
      phone: r.phone,
      checked_in: r.checked_in,
      bbt_tokens: r.bbt_tokens,
      skills: r.skills,
    };
  }
  return map;
}
