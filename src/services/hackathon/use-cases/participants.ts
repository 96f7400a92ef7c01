import { PG, pgConstraint, pgErrorCode } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { mergeSkills } from '../domain/records.js';
import type { ParticipantMap, RegisterBody, SkillRatingInput, SkillStats, SkillsQuery, UpdateBody } from '../schemas.js';
import type { HackathonStore } from '../store/index.js';
import { type HackathonDeps, parseId, participantsChanged, SKILLS_KEY, toParticipantMap, USER_TTL_MS } from './shared.js';

export const PAGE_SIZE = 50;
const EMAIL_INDEX = 'participants_email_lower_key';

export function createParticipantUseCases({ store, skillsCache, usersCache }: HackathonDeps) {
  /** The hot read: served from the participant cache, loaded by one prepared statement on a miss. */
  async function readOne(id: number): Promise<ParticipantMap> {
    const row = await usersCache.getOrLoad(String(id), () => store.participantById(id), USER_TTL_MS);
    if (!row) throw errors.notFound(`No participant with id ${id}.`);
    return toParticipantMap([row]);
  }

  return {
    async listUsers(query: { checked_in?: 'true' | 'false'; page?: number }): Promise<ParticipantMap> {
      const rows = await store.readParticipants(store.db, {
        ...(query.checked_in !== undefined ? { checkedIn: query.checked_in === 'true' } : {}),
        ...(query.page !== undefined ? { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE } : {}),
      });
      return toParticipantMap(rows);
    },

    async getUser(rawId: string): Promise<ParticipantMap> {
      const id = parseId(rawId);
      if (id === undefined) throw errors.notFound(`No participant with id "${rawId}"; ids are positive integers.`);
      return readOne(id);
    },

    async register(body: RegisterBody): Promise<ParticipantMap> {
      const skills = mergeSkills(trimSkills(body.skills));
      const id = await store.transaction(async (tx) => {
        const ids = await store.insertParticipants(tx, [body]);
        const newId = ids.get(body.email.toLowerCase());
        if (newId === undefined) throw emailTaken(body.email);
        await saveRatings(store, tx, newId, skills);
        return newId;
      });
      if (skills.length > 0) await skillsCache.invalidate(SKILLS_KEY);
      return readOne(id);
    },

    async updateUser(rawId: string, body: UpdateBody): Promise<ParticipantMap> {
      const id = parseId(rawId);
      if (id === undefined) throw errors.notFound(`No participant with id "${rawId}"; ids are positive integers.`);
      const skills = body.skills ? mergeSkills(trimSkills(body.skills)) : [];
      await store.transaction(async (tx) => {
        if (!(await store.lockParticipant(tx, id))) throw errors.notFound(`No participant with id ${id}.`);
        const fields = {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.company !== undefined ? { company: body.company } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.phone !== undefined ? { phone: body.phone } : {}),
        };
        try {
          await store.updateParticipant(tx, id, fields);
        } catch (err) {
          if (pgErrorCode(err) === PG.uniqueViolation && pgConstraint(err) === EMAIL_INDEX) throw emailTaken(body.email ?? '');
          throw err;
        }
        await saveRatings(store, tx, id, skills);
      });
      await participantsChanged(usersCache, id);
      if (skills.length > 0) await skillsCache.invalidate(SKILLS_KEY);
      return readOne(id);
    },

    async skills(query: SkillsQuery): Promise<Record<string, SkillStats>> {
      const stats = await skillsCache.getOrLoad(SKILLS_KEY, () => store.skillStats(store.db), 60_000);
      const keyword = query.keyword?.toLowerCase();
      const result: Record<string, SkillStats> = {};
      for (const s of stats) {
        if (query.min_frequency !== undefined && s.frequency < query.min_frequency) continue;
        if (query.max_frequency !== undefined && s.frequency > query.max_frequency) continue;
        if (query.min_average_rating !== undefined && s.average_rating < query.min_average_rating) continue;
        if (query.max_average_rating !== undefined && s.average_rating > query.max_average_rating) continue;
        if (keyword !== undefined && !s.name.toLowerCase().includes(keyword)) continue;
        result[s.name] = { frequency: s.frequency, average_rating: s.average_rating };
      }
      return result;
    },
  };
}

async function saveRatings(
  store: HackathonStore,
  tx: Parameters<HackathonStore['skillIds']>[0],
  participantId: number,
  skills: readonly SkillRatingInput[],
): Promise<void> {
  if (skills.length === 0) return;
  const ids = await store.skillIds(
    tx,
    skills.map((s) => s.skill),
  );
  await store.upsertRatings(
    tx,
    skills.map((s) => ({ participantId, skillId: ids.get(s.skill) ?? 0, rating: s.rating })),
  );
}

function trimSkills(skills: readonly SkillRatingInput[]): SkillRatingInput[] {
  return skills.map((s) => ({ skill: s.skill.trim(), rating: s.rating }));
}

function emailTaken(email: string) {
  return errors.conflict(`The email ${email} is already registered to another participant.`, 'EMAIL_TAKEN');
}
