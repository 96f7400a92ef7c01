import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import type { ServiceModule } from '../../platform/service.js';
import { importRoutes } from './routes/imports.js';
import { pokemonRoutes } from './routes/pokemon.js';
import { trainerRoutes } from './routes/trainers.js';
import { seedCommand, seedDemo } from './seed.js';
import { createPokemonServiceUseCases } from './use-cases/index.js';

export const pokemonService: ServiceModule = {
  name: 'pokemon',
  prefix: '/pokemon',
  description: 'Trainers, pokemon, atomic trades with history and all-or-nothing CSV imports.',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  async register(app, platform) {
    const limitBytes = platform.config.UPLOAD_LIMIT_BYTES;
    await app.register(multipart, { limits: { fileSize: limitBytes, files: 1, fields: 10 } });
    const useCases = createPokemonServiceUseCases(platform);
    trainerRoutes(app, useCases);
    pokemonRoutes(app, useCases);
    importRoutes(app, useCases, limitBytes);
  },
  seedDemo,
  seed: seedCommand,
};
