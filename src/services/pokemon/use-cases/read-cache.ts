import type { Db } from '../../../platform/db.js';
import type { Platform } from '../../../platform/platform.js';
import type { PokemonDetail, TrainerDetail } from '../schemas.js';
import { type CacheKind, readGenerations } from '../store/index.js';

const TTL_MS = 60_000;
const BATCH = 500;

/**
 * Cached single reads. Keys carry the kind's generation (`<generation>:<id>`): a single write invalidates
 * its ids after commit, and an import — which may touch hundreds of thousands of rows — bumps the
 * generation inside its transaction and drops the cached generation after commit, which retires every
 * key of that kind at once. Writers look the generation up (through the same cache) only after their
 * commit: a reader that later sees a newer generation read it after the import dropped the old one,
 * hence after this commit too, so whatever it loads under the new generation is already fresh.
 */
export function createReadCache(platform: Platform, db: Db) {
  const generations = platform.cache('pokemon:generations');
  const trainers = platform.cache('pokemon:trainers');
  const pokemon = platform.cache('pokemon:pokemon');

  const generation = (kind: CacheKind) => generations.getOrLoad(kind, async () => (await readGenerations(db))[kind], TTL_MS);

  async function invalidate(cache: typeof trainers, kind: CacheKind, ids: Iterable<string>): Promise<void> {
    const list = [...new Set(ids)];
    if (list.length === 0) return;
    const gen = await generation(kind);
    for (let i = 0; i < list.length; i += BATCH) {
      await cache.invalidate(...list.slice(i, i + BATCH).map((id) => `${gen}:${id}`));
    }
  }

  return {
    async trainer(id: string, load: () => Promise<TrainerDetail | undefined>): Promise<TrainerDetail | undefined> {
      return trainers.getOrLoad(`${await generation('trainers')}:${id}`, load, TTL_MS);
    },
    async pokemon(id: string, load: () => Promise<PokemonDetail | undefined>): Promise<PokemonDetail | undefined> {
      return pokemon.getOrLoad(`${await generation('pokemon')}:${id}`, load, TTL_MS);
    },
    /** After commit: the given trainers' and pokemon's cached reads are gone. */
    async invalidate(changed: { trainers?: Iterable<string>; pokemon?: Iterable<string> }): Promise<void> {
      await Promise.all([invalidate(trainers, 'trainers', changed.trainers ?? []), invalidate(pokemon, 'pokemon', changed.pokemon ?? [])]);
    },
    /** After an import commit that bumped these generations. */
    async generationsBumped(kinds: CacheKind[]): Promise<void> {
      await generations.invalidate(...kinds);
    },
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;
