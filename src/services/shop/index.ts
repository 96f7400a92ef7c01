import { fileURLToPath } from 'node:url';
import type { ServiceModule } from '../../platform/service.js';
import { strategyFor } from './domain/strategies.js';
import { registerShopRoutes, SECURITY_SCHEME } from './routes.js';
import { createBookUseCases } from './use-cases/books.js';
import { createCartUseCases } from './use-cases/carts.js';

export const shopService: ServiceModule = {
  name: 'shop',
  prefix: '/shop',
  description: 'A potion shop driven by a game simulator through the Potion Exchange wire contract.',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  securitySchemes: { [SECURITY_SCHEME]: { type: 'apiKey', in: 'header', name: 'access_token' } },
  async register(app, platform) {
    const deps = {
      db: platform.db,
      dbHandle: platform.dbHandle,
      strategy: strategyFor(platform.config.SHOP_STRATEGY),
      catalogCache: platform.cache('shop:catalog'),
    };
    await registerShopRoutes(app, platform, { books: createBookUseCases(deps), carts: createCartUseCases(deps) });
  },
};
