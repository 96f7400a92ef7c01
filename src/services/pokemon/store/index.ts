export * from './generations.js';
export * from './pokemon.js';
export * as staging from './staging.js';
export * from './trades.js';
export * from './trainers.js';
