import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../platform/errors.js';
import type { Platform } from '../../platform/platform.js';
import type { CommandContext } from '../../platform/service.js';
import type { ImportType } from './domain/csv-rows.js';
import { countTrainers } from './store/index.js';
import { createPokemonServiceUseCases } from './use-cases/index.js';

/** `../shared/data/pokemon` next to the repository, where the organisers' sample files live. */
export const SAMPLE_DIR = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/data/pokemon');

async function importFile(platform: Platform, type: ImportType, path: string): Promise<string> {
  const { imports } = createPokemonServiceUseCases(platform);
  const outcome = await imports
    .run({ type, mode: 'upsert', source: createReadStream(path), limitBytes: platform.config.UPLOAD_LIMIT_BYTES })
    .catch((err: unknown) => {
      // A rule broken by the whole file (header, encoding, size): say which file, without a stack.
      if (err instanceof AppError) throw new Error(`${path}: ${err.message}`);
      throw err;
    });
  if (!outcome.ok) {
    const lines = outcome.errors.slice(0, 20).map((e) => `  line ${e.row}${e.column ? ` (${e.column})` : ''}: ${e.reason}`);
    throw new Error(`${path}: ${outcome.message}\n${lines.join('\n')}`);
  }
  return `${path}: ${outcome.result.inserted} inserted, ${outcome.result.updated} updated`;
}

/** Loads the sample files (or a tiny generated set) when the service has no trainers yet. */
export async function seedDemo(platform: Platform): Promise<void> {
  if ((await countTrainers(platform.db)) > 0) return;
  const trainers = resolve(SAMPLE_DIR, 'trainers.csv');
  const pokemon = resolve(SAMPLE_DIR, 'pokemon.csv');
  if (existsSync(trainers) && existsSync(pokemon)) {
    platform.logger.info(await importFile(platform, 'trainers', trainers));
    platform.logger.info(await importFile(platform, 'pokemon', pokemon));
    return;
  }
  const { trainers: t, pokemon: p } = createPokemonServiceUseCases(platform);
  await t.create({ id: 'ash', firstName: 'Ash', lastName: 'Ketchum', dateOfBirth: '1987-05-22' });
  await t.create({ id: 'misty', firstName: 'Misty', lastName: 'Waterflower', dateOfBirth: '1988-04-01' });
  await p.create({ id: 'pikachu', nickname: 'Pika', species: 'pikachu', level: 25, owner: 'ash' });
  await p.create({ id: 'staryu', nickname: 'Star', species: 'staryu', level: 18, owner: 'misty' });
}

/** `guildhall seed pokemon [--trainers FILE] [--pokemon FILE]`: upserts the files (trainers first). */
export async function seedCommand(ctx: CommandContext): Promise<void> {
  const option = (name: string) => {
    const i = ctx.args.indexOf(`--${name}`);
    return i >= 0 ? ctx.args[i + 1] : undefined;
  };
  const trainers = option('trainers');
  const pokemon = option('pokemon');
  if (!trainers && !pokemon) {
    await seedDemo(ctx.platform);
    ctx.out.write('pokemon: demo data loaded (if the tables were empty); use --trainers FILE --pokemon FILE to load files\n');
    return;
  }
  if (trainers) ctx.out.write(`${await importFile(ctx.platform, 'trainers', resolve(trainers))}\n`);
  if (pokemon) ctx.out.write(`${await importFile(ctx.platform, 'pokemon', resolve(pokemon))}\n`);
}
