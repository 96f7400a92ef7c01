import type { Scenario } from '../types.js';
import { arenaScenarios } from './arena.js';
import { exchangeScenarios } from './exchange.js';
import { hackathonScenarios } from './hackathon.js';
import { platformScenarios } from './platform.js';
import { pokemonScenarios } from './pokemon.js';
import { raffleScenarios } from './raffle.js';
import { shopScenarios } from './shop.js';

/** Every benchmark scenario, by service. */
export const scenarios: Scenario[] = [
  ...platformScenarios,
  ...shopScenarios,
  ...exchangeScenarios,
  ...hackathonScenarios,
  ...raffleScenarios,
  ...arenaScenarios,
  ...pokemonScenarios,
];
