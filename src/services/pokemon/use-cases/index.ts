import type { Platform } from '../../../platform/platform.js';
import { createImportUseCases } from './imports.js';
import { createPokemonUseCases } from './pokemon.js';
import { createReadCache } from './read-cache.js';
import { createTradeUseCases } from './trades.js';
import { createTrainerUseCases } from './trainers.js';

export function createPokemonServiceUseCases(platform: Platform) {
  const deps = { db: platform.db, clock: platform.clock, cache: createReadCache(platform, platform.db) };
  return {
    trainers: createTrainerUseCases(deps),
    pokemon: createPokemonUseCases(deps),
    trades: createTradeUseCases(deps),
    imports: createImportUseCases(deps),
  };
}

export type PokemonUseCases = ReturnType<typeof createPokemonServiceUseCases>;
