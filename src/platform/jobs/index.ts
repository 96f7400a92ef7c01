export { createBullJobQueue } from './bullmq.js';
export { createPostgresJobQueue } from './postgres.js';
export * from './types.js';
