/**
 * The world model of the Potion Exchange, in one table-driven folder so the world can be tuned.
 *
 * Every number that shapes the economy lives in a table in these files. Everything random is drawn from
 * `worldRandom(seed, key, tick, purpose)`: a generator seeded per (run seed, shop key, tick, purpose), so a
 * shop's customers and offers never depend on which other shops exist or on what the shop did earlier
 * (except through its reputation, which scales how many customers come).
 *
 * Calibration (specs/exchange.md): at the best reputation about 6 visitors a tick on average (~500 a
 * week), fewer at night and on a class's quiet day; a perfect potion is worth 30–120 gold to a visitor
 * while its 100 ml of liquid costs 5–30 gold wholesale; about half the visitors to a shop that suits them
 * buy. `model.test.ts` checks these figures.
 */
export type { Barrel, BarrelListing, Colour, Mix } from './barrels.js';
export {
  barrelSku,
  CAPACITY_UNIT_PRICE,
  CHEAPEST_PER_ML,
  COLOURS,
  MAX_CAPACITY_UNITS_PER_ORDER,
  ML_PER_CAPACITY_UNIT,
  ML_PER_POTION,
  POTIONS_PER_CAPACITY_UNIT,
  PRICE_LIST,
  STARTING_GOLD,
  wholesaleOffer,
} from './barrels.js';
export type { Choice, ShelfItem } from './choice.js';
export { choosePurchase, distance, MAX_DISTANCE, maxPotionsFor, quality } from './choice.js';
export type { CustomerClass, Visitor } from './customers.js';
export {
  BUSIEST_DAY_FACTOR,
  baseVisitors,
  CLASS_NAMES,
  CLASSES,
  poisson,
  QUIET_DAY_FACTOR,
  REGULARS_PER_CLASS,
  reputationMultiplier,
  SPECIES,
  TARGET_VISITORS_PER_TICK_AT_BEST,
  visitorsOfTick,
  WORLD_HOURS,
  wealth,
} from './customers.js';
export type { Reputation } from './reputation.js';
export {
  newReputation,
  RECOGNITION_SCALE,
  REPUTATION_WINDOW,
  recognition,
  recordTrip,
  reputationFactors,
  reputationScore,
} from './reputation.js';
export type { Cadence, Day, GameTime, Schedule } from './time.js';
export { CADENCES, DAYS, gameTime, schedule, TICKS_PER_DAY, TICKS_PER_WEEK, worldRandom } from './time.js';
