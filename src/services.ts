import type { ServiceModule } from './platform/service.js';
import { arenaService } from './services/arena/index.js';
import { exchangeService } from './services/exchange/index.js';
import { hackathonService } from './services/hackathon/index.js';
import { pokemonService } from './services/pokemon/index.js';
import { raffleService } from './services/raffle/index.js';
import { shopService } from './services/shop/index.js';

/** Every service this build serves, in landing-page order. */
export const services: readonly ServiceModule[] = [
  shopService,
  exchangeService,
  hackathonService,
  raffleService,
  arenaService,
  pokemonService,
];
