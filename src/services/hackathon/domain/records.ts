/** The challenge file's record shape, checked and normalised before anything touches the database. */
export interface SkillRating {
  skill: string;
  rating: number;
}

export interface ParticipantRecord {
  name: string;
  company: string;
  email: string;
  phone: string;
  skills: SkillRating[];
}

export interface SkippedRecord {
  /** 0-based position in the input. */
  index: number;
  email: string;
  reason: string;
}

export interface PreparedRecords {
  accepted: Array<ParticipantRecord & { index: number }>;
  skipped: SkippedRecord[];
  /** Records whose skill list named one skill more than once (the later rating was kept). */
  mergedSkillRecords: number;
  /** Problems that make the whole input unusable (the load is all-or-nothing). */
  invalid: string[];
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
const TEXT_FIELDS = ['name', 'company', 'email', 'phone'] as const;

/** One rating per skill: a skill listed twice keeps its first position and its later rating. */
export function mergeSkills(list: readonly SkillRating[]): SkillRating[] {
  const bySkill = new Map<string, number>();
  for (const { skill, rating } of list) bySkill.set(skill, rating);
  return [...bySkill].map(([skill, rating]) => ({ skill, rating }));
}

export function validateRecord(value: unknown): { record?: ParticipantRecord; problem?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'is not an object' };
  const raw = value as Record<string, unknown>;
  for (const field of TEXT_FIELDS) {
    const v = raw[field];
    if (typeof v !== 'string' || v.trim() === '') return { problem: `field "${field}" is missing or not a non-empty string` };
  }
  const email = String(raw.email).trim();
  if (!EMAIL_PATTERN.test(email)) return { problem: `email "${email}" is not an email address` };
  if (!Array.isArray(raw.skills)) return { problem: 'field "skills" is missing or not an array' };
  const skills: SkillRating[] = [];
  for (const [i, entry] of raw.skills.entries()) {
    const s = entry as { skill?: unknown; rating?: unknown } | null;
    if (typeof s?.skill !== 'string' || s.skill.trim() === '') return { problem: `skills[${i}].skill is missing or empty` };
    if (typeof s.rating !== 'number' || !Number.isInteger(s.rating) || s.rating < 1 || s.rating > 5) {
      return { problem: `skills[${i}].rating must be an integer from 1 to 5` };
    }
    skills.push({ skill: s.skill.trim(), rating: s.rating });
  }
  return {
    record: {
      name: String(raw.name).trim(),
      company: String(raw.company).trim(),
      email,
      phone: String(raw.phone).trim(),
      skills,
    },
  };
}

/**
 * Validates every record, keeps the first record of each email (case-insensitive) and merges
 * duplicate skills. Invalid records are collected rather than skipped: a malformed file is refused.
 */
export function prepareRecords(input: unknown): PreparedRecords {
  const result: PreparedRecords = { accepted: [], skipped: [], mergedSkillRecords: 0, invalid: [] };
  if (!Array.isArray(input)) {
    result.invalid.push('the input is not a JSON array of participant records');
    return result;
  }
  const firstByEmail = new Map<string, number>();
  for (const [index, value] of input.entries()) {
    const { record, problem } = validateRecord(value);
    if (!record) {
      result.invalid.push(`record #${index + 1}: ${problem ?? 'invalid'}`);
      continue;
    }
    const key = record.email.toLowerCase();
    const first = firstByEmail.get(key);
    if (first !== undefined) {
      result.skipped.push({ index, email: record.email, reason: `duplicate email: record #${first + 1} already has it` });
      continue;
    }
    firstByEmail.set(key, index);
    const merged = mergeSkills(record.skills);
    if (merged.length !== record.skills.length) result.mergedSkillRecords++;
    result.accepted.push({ ...record, skills: merged, index });
  }
  return result;
}
