import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import type { Platform } from './platform.js';

/** The Fastify instance services register routes on (TypeBox-typed). */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Something running in the background that the shutdown sequence stops (workers, tickers). */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface CommandContext {
  platform: Platform;
  args: string[];
  /** Human-facing output (progress, tables); logs go to platform.logger. */
  out: NodeJS.WritableStream;
}

/** One service: its routes, its tables, its background work and its CLI commands. */
export interface ServiceModule {
  name: string;
  /** URL prefix, e.g. `/raffle`. */
  prefix: string;
  /** One line for the landing page. */
  description: string;
  /** Folder of generated SQL migrations; the service's Postgres schema is `name`. */
  migrationsFolder?: string;
  securitySchemes?: Record<string, OpenAPIV3.SecuritySchemeObject>;
  register(app: App, platform: Platform): Promise<void>;
  /** Background workers: run by `guildhall worker`, and by `serve` when WORK_IN_SERVE is on. */
  startWorkers?(platform: Platform): Promise<Stoppable>;
  /** Other background work of `serve` (the exchange's clock, for instance). */
  startBackground?(platform: Platform, server: { baseUrl: string }): Promise<Stoppable>;
  /** Loads demo data when the service's tables are empty (`serve` with SEED_DEMO_DATA). */
  seedDemo?(platform: Platform): Promise<void>;
  /** `guildhall seed <name> [args…]`. */
  seed?(ctx: CommandContext): Promise<void>;
  /** `guildhall <name> <command> [args…]`. */
  commands?: Record<string, (ctx: CommandContext) => Promise<number | undefined>>;
}
