import { readFile } from 'node:fs/promises';
import type { Cache } from '../../platform/cache.js';
import type { CommandContext } from '../../platform/service.js';
import { generateParticipants } from './domain/generator.js';
import { prepareRecords, type SkippedRecord } from './domain/records.js';
import type { HackathonStore } from './store/index.js';
import { SKILLS_KEY } from './use-cases/shared.js';

const PARTICIPANT_BATCH = 500;
const RATING_BATCH = 2_000;

export interface LoadReport {
  records: number;
  loaded: number;
  skipped: SkippedRecord[];
  mergedSkillRecords: number;
  ratings: number;
}

export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
    // The CLI prints `stack`; for a bad input file the message is all a person needs.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Loads records of the challenge shape in ONE transaction: either every accepted record is stored or
 * nothing is. Duplicate emails (in the input, or already registered) are skipped and reported; a
 * malformed record refuses the whole input.
 */
export async function loadParticipants(
  store: HackathonStore,
  skillsCache: Cache,
  input: unknown,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadReport> {
  const prepared = prepareRecords(input);
  if (prepared.invalid.length > 0) {
    const shown = prepared.invalid.slice(0, 10).join('\n  ');
    const more = prepared.invalid.length > 10 ? `\n  … and ${prepared.invalid.length - 10} more` : '';
    throw new LoadError(`nothing was loaded: ${prepared.invalid.length} invalid record(s):\n  ${shown}${more}`);
  }
  const skipped = [...prepared.skipped];
  let loaded = 0;
  let ratings = 0;
  await store.transaction(async (tx) => {
    const skillIds = await store.skillIds(
      tx,
      prepared.accepted.flatMap((r) => r.skills.map((s) => s.skill)),
    );
    const pending: Array<{ participantId: number; skillId: number; rating: number }> = [];
    for (let start = 0; start < prepared.accepted.length; start += PARTICIPANT_BATCH) {
      const batch = prepared.accepted.slice(start, start + PARTICIPANT_BATCH);
      const ids = await store.insertParticipants(tx, batch);
      for (const record of batch) {
        const id = ids.get(record.email.toLowerCase());
        if (id === undefined) {
          skipped.push({ index: record.index, email: record.email, reason: 'email already registered' });
          continue;
        }
        loaded++;
        for (const s of record.skills) pending.push({ participantId: id, skillId: skillIds.get(s.skill) ?? 0, rating: s.rating });
      }
      while (pending.length >= RATING_BATCH) {
        const chunk = pending.splice(0, RATING_BATCH);
        await store.upsertRatings(tx, chunk);
        ratings += chunk.length;
      }
      onProgress?.(Math.min(start + PARTICIPANT_BATCH, prepared.accepted.length), prepared.accepted.length);
    }
    await store.upsertRatings(tx, pending);
    ratings += pending.length;
  });
  await skillsCache.invalidate(SKILLS_KEY);
  skipped.sort((a, b) => a.index - b.index);
  return { records: Array.isArray(input) ? input.length : 0, loaded, skipped, mergedSkillRecords: prepared.mergedSkillRecords, ratings };
}

export interface SeedArgs {
  file?: string;
  count: number;
  seed: string;
}

export function parseSeedArgs(args: readonly string[]): SeedArgs {
  const result: SeedArgs = { count: 1000, seed: 'guildhall-hackathon' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if ((arg === '--file' || arg === '--count' || arg === '--seed') && value === undefined) throw new LoadError(`${arg} needs a value`);
    if (arg === '--file') result.file = value;
    else if (arg === '--seed') result.seed = value ?? result.seed;
    else if (arg === '--count') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new LoadError('--count must be an integer from 1 to 1000000');
      result.count = n;
    } else throw new LoadError(`unknown option ${arg}; usage: guildhall seed hackathon [--file F] [--count N] [--seed S]`);
    i++;
  }
  return result;
}

/** `guildhall seed hackathon [--file F] [--count N] [--seed S]`: report on `out`, progress on stderr. */
export async function runSeedCommand(
  ctx: CommandContext,
  store: HackathonStore,
  skillsCache: Cache,
  progress: NodeJS.WritableStream = process.stderr,
): Promise<LoadReport> {
  const args = parseSeedArgs(ctx.args);
  let input: unknown;
  if (args.file) {
    let text: string;
    try {
      text = await readFile(args.file, 'utf8');
    } catch (err) {
      throw new LoadError(`cannot read ${args.file}: ${(err as Error).message}`);
    }
    try {
      input = JSON.parse(text);
    } catch (err) {
      throw new LoadError(`${args.file} is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    input = generateParticipants({ count: args.count, seed: args.seed });
  }
  const source = args.file ?? `generated (count ${args.count}, seed "${args.seed}")`;
  const report = await loadParticipants(store, skillsCache, input, (done, total) => {
    if (total > PARTICIPANT_BATCH) progress.write(`hackathon seed: ${done}/${total} participants\n`);
  });
  ctx.out.write(
    `hackathon seed from ${source}: ${report.records} records, ${report.loaded} participants loaded, ` +
      `${report.ratings} skill ratings, ${report.skipped.length} skipped, ` +
      `${report.mergedSkillRecords} records listed a skill twice (later rating kept)\n`,
  );
  for (const s of report.skipped) ctx.out.write(`  skipped record #${s.index + 1} (${s.email}): ${s.reason}\n`);
  return report;
}
