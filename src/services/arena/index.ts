import { fileURLToPath } from 'node:url';
import type { ServiceModule } from '../../platform/service.js';
import { loadPlayersCommand, rebuildLeaderboardCommand, seedArenaDemo } from './commands.js';
import { registerArenaRoutes } from './routes.js';
import { createArenaStore } from './store/index.js';
import { createArenaUseCases } from './use-cases.js';
import { startArenaWorkers } from './worker.js';

export const arenaService: ServiceModule = {
  name: 'arena',
  prefix: '/arena',
  description: 'Players, queued battles fought by a deterministic engine, loot and a leaderboard.',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  securitySchemes: {
    arenaBearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'The operator key (ARENA_API_KEY) for everything, or a player token to act as that player.',
    },
  },
  async register(app, platform) {
    const useCases = createArenaUseCases({
      store: createArenaStore(platform.db, { driver: platform.dbHandle.kind }),
      leaderboard: platform.leaderboard,
      jobs: platform.jobs,
      logger: platform.logger,
    });
    await registerArenaRoutes(app, useCases, platform.config.ARENA_API_KEY);
  },
  startWorkers: startArenaWorkers,
  seedDemo: seedArenaDemo,
  commands: {
    'rebuild-leaderboard': rebuildLeaderboardCommand,
    'load-players': loadPlayersCommand,
  },
};
