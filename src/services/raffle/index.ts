import { fileURLToPath } from 'node:url';
import type { ServiceModule } from '../../platform/service.js';
import { parseManagerList } from './domain/ip.js';
import { createBufferedSecureRandom } from './domain/secure-random.js';
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limit.js';
import { registerRaffleRoutes } from './routes.js';
import { RaffleSchema } from './schemas.js';
import { createRaffleStore } from './store.js';
import { createRaffleUseCases } from './use-cases.js';

export const raffleService: ServiceModule = {
  name: 'raffle',
  prefix: '/raffle',
  description: 'Raffles with hashed ticket codes, one claim per IP and fair, race-safe draws.',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  async register(app, platform) {
    const managers = parseManagerList(platform.config.RAFFLE_MANAGER_IPS);
    const limiter = platform.redis
      ? createRedisRateLimiter(platform.redis, platform.config.REDIS_PREFIX)
      : createMemoryRateLimiter(platform.clock);
    const useCases = createRaffleUseCases({
      store: createRaffleStore(platform.db),
      clock: platform.clock,
      drawRandom: () => createBufferedSecureRandom(),
      limiter,
    });
    app.addSchema(RaffleSchema);
    registerRaffleRoutes(app, useCases, managers);
  },
  async seedDemo(platform) {
    const store = createRaffleStore(platform.db);
    if ((await store.listRaffles(1)).length > 0) return;
    const useCases = createRaffleUseCases({
      store,
      clock: platform.clock,
      drawRandom: () => createBufferedSecureRandom(),
      limiter: createMemoryRateLimiter(platform.clock),
    });
    await useCases.create(
      { client: 'seed', isManager: true },
      {
        name: 'Demo raffle',
        total_tickets: 100,
        prizes: [
          { name: 'Golden goblet', amount: 1 },
          { name: 'Guild mug', amount: 5 },
        ],
      },
    );
  },
};
